package io.clusterchecks.server.confd;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which files of a conf.d are config files, what check each names, and in which order they are
 * read; and the index of the files known now, so a change is applied without listing the rest.
 *
 * <p>Layout, as in the Datadog Agent: {@code <confd>/<check>.d/*.yaml} (or {@code .yml}), whose
 * check name is the directory name minus {@code .d}, and {@code <confd>/<check>.yaml}, whose check
 * name is the file name minus its extension, read in name order; then {@code *.yaml.default} /
 * {@code *.yml.default} files, which count only for a check name no other file gives. Other names
 * ({@code *.example}, hidden entries such as Kubernetes' {@code ..data}) and deeper directories
 * are skipped.
 *
 * <p>Names decide what is a candidate; whether a candidate is a regular file is known only when
 * it is stat'ed, which the source does once per candidate it checks. The index holds what was
 * listed (or named by an event) until the source removes what the check found missing. Not
 * thread-safe: the source guards it with its scan lock.
 */
final class ConfdLayout {
  private static final String DEFAULT_SUFFIX = ".default";

  /**
   * A conf.d file to read: its path, the check name the layout gives it, and whether it is a
   * {@code .default} file (used only for a check name no other file provides).
   */
  record Candidate(Path path, String checkName, boolean isDefault) {}

  /**
   * What a listing tells the scan, as it goes: the candidates listed (in name order within each
   * directory, so the scan can check them while the rest is listed), and the candidates that were
   * known and are not listed any more.
   */
  interface Listed {
    void candidate(Candidate c);

    void gone(Candidate c);
  }

  /** A directory entry: its name (what orders it) and its path. */
  private record Entry(String name, Path path) {}

  private static final Logger log = LoggerFactory.getLogger(ConfdLayout.class);

  private final Path root;
  /**
   * Root-level candidates by name. Names, not paths: within one directory only the name differs,
   * and comparing or hashing whole paths was a large part of a scan of a million files.
   */
  private TreeMap<String, Candidate> rootFiles = new TreeMap<>(NameOrder.INSTANCE);
  /** Check directories by name, each with its candidates by name. */
  private TreeMap<String, TreeMap<String, Candidate>> checkDirs = new TreeMap<>(NameOrder.INSTANCE);

  ConfdLayout(Path root) {
    this.root = root;
  }

  // ---------------------------------------------------------------- naming rules

  static boolean isConfigFileName(String name) {
    if (name.startsWith(".") || name.endsWith(DEFAULT_SUFFIX) || name.endsWith(".example")) {
      return false;
    }
    return (name.endsWith(".yaml") && name.length() > 5) || (name.endsWith(".yml") && name.length() > 4);
  }

  /** {@code <name>.yaml.default} or {@code <name>.yml.default}. */
  static boolean isDefaultFileName(String name) {
    return name.endsWith(DEFAULT_SUFFIX)
        && isConfigFileName(name.substring(0, name.length() - DEFAULT_SUFFIX.length()));
  }

  /** A {@code <check>.d} name (the entry may or may not be a directory). */
  static boolean isCheckDirName(String name) {
    return name.endsWith(".d") && name.length() > 2 && !name.startsWith(".");
  }

  /**
   * Kubernetes' atomic writer ({@code ..data}, {@code ..<timestamp>}): files in the directory are
   * symbolic links through {@code ..data}, so when it changes any of them may have.
   */
  static boolean isAtomicWriterName(String name) {
    return name.startsWith("..");
  }

  /** The candidate a path is by its name and place, or null if the layout does not read it. */
  Candidate classify(Path file) {
    Path parent = file.getParent();
    if (parent == null || file.getFileName() == null) {
      return null;
    }
    String name = file.getFileName().toString();
    if (parent.equals(root)) {
      if (isConfigFileName(name)) {
        return new Candidate(file, stripExtension(name), false);
      }
      if (isDefaultFileName(name)) {
        return new Candidate(file, stripExtension(name.substring(0, name.length() - DEFAULT_SUFFIX.length())), true);
      }
      return null;
    }
    if (!root.equals(parent.getParent()) || !isCheckDirName(parent.getFileName().toString())) {
      return null;
    }
    return inCheckDir(file, name, checkOf(parent.getFileName().toString()));
  }

  /** The check a {@code <check>.d} directory name gives. */
  private static String checkOf(String dirName) {
    return dirName.substring(0, dirName.length() - 2);
  }

  /** The candidate a file of a check directory is, by its name, or null. */
  private static Candidate inCheckDir(Path file, String name, String check) {
    if (isConfigFileName(name)) {
      return new Candidate(file, check, false);
    }
    if (isDefaultFileName(name)) {
      return new Candidate(file, check, true);
    }
    return null;
  }

  private static String stripExtension(String name) {
    return name.substring(0, name.lastIndexOf('.'));
  }

  // ---------------------------------------------------------------- listing

  /**
   * Lists the whole layout, the root's entries and each check directory's, and makes the index
   * what is listed, telling {@code listed} each candidate as its directory is listed and each
   * known one that is gone. A check directory that cannot be listed (other than gone) keeps what
   * was known of it, with a warning: one unreadable directory does not hold back the others.
   *
   * @param beforeListing called with each directory just before it is listed (to watch it first,
   *     so that a file created meanwhile is either listed or reported)
   * @throws IOException when conf.d itself cannot be listed; nothing is then changed or told
   */
  void listAll(Consumer<Path> beforeListing, Listed listed) throws IOException {
    TreeMap<String, Candidate> oldRoot = rootFiles;
    TreeMap<String, TreeMap<String, Candidate>> oldDirs = checkDirs;
    List<Entry> entries = List.of();
    if (Files.isDirectory(root)) {
      beforeListing.accept(root);
      entries = sortedEntries(root);
    }
    rootFiles = new TreeMap<>(NameOrder.INSTANCE);
    checkDirs = new TreeMap<>(NameOrder.INSTANCE);
    for (Entry entry : entries) {
      if (isCheckDirName(entry.name()) && Files.isDirectory(entry.path())) {
        beforeListing.accept(entry.path());
        TreeMap<String, Candidate> known = oldDirs.remove(entry.name());
        try {
          listDir(entry.name(), entry.path(), known, listed);
        } catch (NoSuchFileException e) {
          // removed since the root was listed: known as empty until its event comes
          checkDirs.put(entry.name(), new TreeMap<>(NameOrder.INSTANCE));
          goneAll(known, listed);
        } catch (IOException e) {
          log.warn("conf.d: cannot list {} ({}); keeping what was known of it", entry.path(), e.toString());
          checkDirs.put(entry.name(), known == null ? new TreeMap<>(NameOrder.INSTANCE) : known);
        }
      } else {
        Candidate c = rootCandidate(entry);
        if (c != null) {
          rootFiles.put(entry.name(), c);
          listed.candidate(c);
        }
      }
    }
    for (Map.Entry<String, Candidate> e : oldRoot.entrySet()) {
      if (!rootFiles.containsKey(e.getKey())) {
        listed.gone(e.getValue());
      }
    }
    for (TreeMap<String, Candidate> dir : oldDirs.values()) {
      goneAll(dir, listed);
    }
  }

  /**
   * Lists one check directory (known from now on, even if it cannot be listed) and makes its
   * part of the index what is listed.
   *
   * @throws IOException when it cannot be listed; what was known of it is then kept, nothing told
   */
  void listDir(Path dir, Listed listed) throws IOException {
    String name = dir.getFileName().toString();
    TreeMap<String, Candidate> known = checkDirs.computeIfAbsent(name, n -> new TreeMap<>(NameOrder.INSTANCE));
    listDir(name, dir, known, listed);
  }

  private void listDir(String dirName, Path dir, TreeMap<String, Candidate> known, Listed listed)
      throws IOException {
    List<Entry> entries = sortedEntries(dir);
    String check = checkOf(dirName);
    TreeMap<String, Candidate> now = new TreeMap<>(NameOrder.INSTANCE);
    List<Candidate> found = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      Candidate c = inCheckDir(entry.path(), entry.name(), check);
      if (c != null) {
        now.put(entry.name(), c);
        found.add(c);
      }
    }
    checkDirs.put(dirName, now);
    if (known != null) {
      // both in name order: one walk finds what is no longer listed
      Iterator<String> names = now.keySet().iterator();
      String next = names.hasNext() ? names.next() : null;
      for (Map.Entry<String, Candidate> k : known.entrySet()) {
        int cmp = -1;
        while (next != null && (cmp = NameOrder.INSTANCE.compare(next, k.getKey())) < 0) {
          next = names.hasNext() ? names.next() : null;
        }
        if (next == null || cmp != 0) {
          listed.gone(k.getValue());
        }
      }
    }
    found.forEach(listed::candidate);
  }

  private static void goneAll(TreeMap<String, Candidate> known, Listed listed) {
    if (known != null) {
      known.values().forEach(listed::gone);
    }
  }

  private Candidate rootCandidate(Entry entry) {
    String name = entry.name();
    if (isConfigFileName(name)) {
      return new Candidate(entry.path(), stripExtension(name), false);
    }
    if (isDefaultFileName(name)) {
      return new Candidate(entry.path(), stripExtension(name.substring(0, name.length() - DEFAULT_SUFFIX.length())), true);
    }
    return null;
  }

  /** A directory's entries in name order (names sorted as strings, not paths: see {@link NameOrder}). */
  private static List<Entry> sortedEntries(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        entries.add(new Entry(p.getFileName().toString(), p));
      }
    }
    entries.sort((a, b) -> NameOrder.INSTANCE.compare(a.name(), b.name()));
    return entries;
  }

  // ---------------------------------------------------------------- the index

  /** Whether {@code dir} is a check directory known now. */
  boolean knowsDir(Path dir) {
    return root.equals(dir.getParent()) && checkDirs.containsKey(dir.getFileName().toString());
  }

  /**
   * Stops knowing a check directory.
   *
   * @return the candidates it held
   */
  Collection<Candidate> removeDir(Path dir) {
    Map<String, Candidate> held = root.equals(dir.getParent()) ? checkDirs.remove(dir.getFileName().toString()) : null;
    return held == null ? List.of() : held.values();
  }

  /** Knows a candidate named by an event; its check directory must be known (or it is skipped). */
  void put(Candidate c) {
    Path parent = c.path().getParent();
    String name = c.path().getFileName().toString();
    if (parent.equals(root)) {
      rootFiles.put(name, c);
    } else if (root.equals(parent.getParent())) {
      TreeMap<String, Candidate> in = checkDirs.get(parent.getFileName().toString());
      if (in != null) {
        in.put(name, c);
      }
    }
  }

  void remove(Path file) {
    Path parent = file.getParent();
    String name = file.getFileName().toString();
    if (root.equals(parent)) {
      rootFiles.remove(name);
    } else if (parent != null && root.equals(parent.getParent())) {
      TreeMap<String, Candidate> in = checkDirs.get(parent.getFileName().toString());
      if (in != null) {
        in.remove(name);
      }
    }
  }

  /** The check directories known now. */
  List<Path> dirs() {
    List<Path> out = new ArrayList<>(checkDirs.size());
    for (String name : checkDirs.keySet()) {
      out.add(root.resolve(name));
    }
    return out;
  }

  /**
   * Every known candidate in read order: root entries by name (a check directory's files in
   * name order at the directory's place), then the {@code .default} files in the same order.
   */
  List<Candidate> readOrder() {
    List<Candidate> out = new ArrayList<>();
    List<Candidate> defaults = new ArrayList<>();
    var files = rootFiles.entrySet().iterator();
    var dirs = checkDirs.entrySet().iterator();
    Map.Entry<String, Candidate> f = files.hasNext() ? files.next() : null;
    Map.Entry<String, TreeMap<String, Candidate>> d = dirs.hasNext() ? dirs.next() : null;
    while (f != null || d != null) {
      if (d == null || (f != null && NameOrder.INSTANCE.compare(f.getKey(), d.getKey()) < 0)) {
        (f.getValue().isDefault() ? defaults : out).add(f.getValue());
        f = files.hasNext() ? files.next() : null;
      } else {
        for (Candidate c : d.getValue().values()) {
          (c.isDefault() ? defaults : out).add(c);
        }
        d = dirs.hasNext() ? dirs.next() : null;
      }
    }
    out.addAll(defaults); // read last, as the reference does
    return out;
  }
}
