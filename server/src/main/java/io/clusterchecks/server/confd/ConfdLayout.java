package io.clusterchecks.server.confd;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
   * What a listing tells the scan, as it goes: the files listed (in name order within each
   * directory, so the scan can check them while the rest is listed; a file known before keeps its
   * state), and the files that were known and are not listed any more.
   */
  interface Listed {
    void candidate(FileState s);

    void gone(FileState s);
  }

  /** A directory entry: its name (what orders it) and its path. */
  private record Entry(String name, Path path) {}

  private static final Logger log = LoggerFactory.getLogger(ConfdLayout.class);

  private final Path root;
  /**
   * Root-level files in name order. By name, not path: within one directory only the name
   * differs, and comparing or hashing whole paths was a large part of a scan of a million files.
   */
  private List<FileState> rootFiles = new ArrayList<>();
  /** Check directories by name, each with its files in name order. */
  private TreeMap<String, List<FileState>> checkDirs = new TreeMap<>(NameOrder.INSTANCE);

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
   * what is listed, telling {@code listed} each file as its directory is listed and each known
   * one that is gone. A check directory that cannot be listed (other than gone) keeps what was
   * known of it, with a warning: one unreadable directory does not hold back the others.
   *
   * @param beforeListing called with each directory just before it is listed (to watch it first,
   *     so that a file created meanwhile is either listed or reported)
   * @throws IOException when conf.d itself cannot be listed; nothing is then changed or told
   */
  void listAll(Consumer<Path> beforeListing, Listed listed) throws IOException {
    List<FileState> oldRoot = rootFiles;
    TreeMap<String, List<FileState>> oldDirs = checkDirs;
    List<Entry> entries = List.of();
    if (Files.isDirectory(root)) {
      beforeListing.accept(root);
      entries = sortedEntries(root);
    }
    rootFiles = new ArrayList<>();
    checkDirs = new TreeMap<>(NameOrder.INSTANCE);
    Known knownRoot = new Known(oldRoot, listed);
    for (Entry entry : entries) {
      if (isCheckDirName(entry.name()) && Files.isDirectory(entry.path())) {
        beforeListing.accept(entry.path());
        List<FileState> known = oldDirs.remove(entry.name());
        try {
          listDir(entry.name(), entry.path(), known, listed);
        } catch (NoSuchFileException e) {
          // removed since the root was listed: known as empty until its event comes
          checkDirs.put(entry.name(), new ArrayList<>());
          new Known(known, listed).goneUpTo(null);
        } catch (IOException e) {
          log.warn("conf.d: cannot list {} ({}); keeping what was known of it", entry.path(), e.toString());
          checkDirs.put(entry.name(), known == null ? new ArrayList<>() : known);
        }
      } else {
        Candidate c = rootCandidate(entry);
        if (c != null) {
          FileState s = knownRoot.take(entry.name(), c);
          rootFiles.add(s);
          listed.candidate(s);
        }
      }
    }
    knownRoot.goneUpTo(null);
    for (List<FileState> dir : oldDirs.values()) {
      new Known(dir, listed).goneUpTo(null);
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
    List<FileState> known = checkDirs.computeIfAbsent(name, n -> new ArrayList<>());
    listDir(name, dir, known, listed);
  }

  private void listDir(String dirName, Path dir, List<FileState> known, Listed listed) throws IOException {
    List<Entry> entries = sortedEntries(dir);
    String check = checkOf(dirName);
    Known before = new Known(known, listed);
    List<FileState> now = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      Candidate c = inCheckDir(entry.path(), entry.name(), check);
      if (c != null) {
        now.add(before.take(entry.name(), c));
      }
    }
    before.goneUpTo(null);
    checkDirs.put(dirName, now);
    now.forEach(listed::candidate);
  }

  /**
   * What a directory held before it was listed again, walked in name order alongside the
   * listing: a name listed again keeps its state, a name passed over is gone.
   */
  private static final class Known {
    private final List<FileState> files;
    private final Listed listed;
    private int next;

    Known(List<FileState> files, Listed listed) {
      this.files = files == null ? List.of() : files;
      this.listed = listed;
    }

    /** The state of a listed file: the known one if its name was known, else a new one. */
    FileState take(String name, Candidate c) {
      goneUpTo(name);
      if (next < files.size() && files.get(next).name.equals(name)) {
        return files.get(next++);
      }
      return new FileState(c, name);
    }

    /** Tells as gone the known files before {@code name} in name order (all of them for null). */
    void goneUpTo(String name) {
      while (next < files.size() && (name == null || NameOrder.INSTANCE.compare(files.get(next).name, name) < 0)) {
        listed.gone(files.get(next++));
      }
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

  /**
   * A directory's entries in name order. When no name has a surrogate pair (the usual case) the
   * plain string order is the name order ({@link NameOrder}) and is cheaper.
   */
  private static List<Entry> sortedEntries(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    boolean plain = true;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        plain = plain && !hasSurrogate(name);
        entries.add(new Entry(name, p));
      }
    }
    if (plain) {
      entries.sort((a, b) -> a.name().compareTo(b.name()));
    } else {
      entries.sort((a, b) -> NameOrder.INSTANCE.compare(a.name(), b.name()));
    }
    return entries;
  }

  private static boolean hasSurrogate(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (Character.isSurrogate(name.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- the index

  /** Whether {@code dir} is a check directory known now. */
  boolean knowsDir(Path dir) {
    return root.equals(dir.getParent()) && checkDirs.containsKey(dir.getFileName().toString());
  }

  /**
   * Stops knowing a check directory.
   *
   * @return the files it held
   */
  List<FileState> removeDir(Path dir) {
    List<FileState> held = root.equals(dir.getParent()) ? checkDirs.remove(dir.getFileName().toString()) : null;
    return held == null ? List.of() : held;
  }

  /**
   * The state of a file an event names, added to the index if it was not known.
   *
   * @return null when its check directory is not known
   */
  FileState put(Candidate c) {
    List<FileState> in = filesOf(c.path().getParent());
    if (in == null) {
      return null;
    }
    String name = c.path().getFileName().toString();
    int at = indexOf(in, name);
    if (at >= 0) {
      return in.get(at);
    }
    FileState s = new FileState(c, name);
    in.add(-at - 1, s);
    return s;
  }

  /** Forgets a file (if it is the one known under its name). */
  void remove(FileState s) {
    List<FileState> in = filesOf(s.path().getParent());
    int at = in == null ? -1 : indexOf(in, s.name);
    if (at >= 0 && in.get(at) == s) {
      in.remove(at);
    }
  }

  private List<FileState> filesOf(Path dir) {
    if (root.equals(dir)) {
      return rootFiles;
    }
    return dir != null && root.equals(dir.getParent()) ? checkDirs.get(dir.getFileName().toString()) : null;
  }

  /** Binary search by name: the index, or {@code -(insertion point) - 1}. */
  private static int indexOf(List<FileState> files, String name) {
    int lo = 0;
    int hi = files.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = NameOrder.INSTANCE.compare(files.get(mid).name, name);
      if (cmp < 0) {
        lo = mid + 1;
      } else if (cmp > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
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
   * Every known file in read order: root entries by name (a check directory's files in name
   * order at the directory's place), then the {@code .default} files in the same order.
   */
  List<FileState> readOrder() {
    List<FileState> out = new ArrayList<>();
    List<FileState> defaults = new ArrayList<>();
    var dirs = checkDirs.entrySet().iterator();
    int f = 0;
    Map.Entry<String, List<FileState>> d = dirs.hasNext() ? dirs.next() : null;
    while (f < rootFiles.size() || d != null) {
      if (d == null || (f < rootFiles.size() && NameOrder.INSTANCE.compare(rootFiles.get(f).name, d.getKey()) < 0)) {
        FileState s = rootFiles.get(f++);
        (s.candidate.isDefault() ? defaults : out).add(s);
      } else {
        for (FileState s : d.getValue()) {
          (s.candidate.isDefault() ? defaults : out).add(s);
        }
        d = dirs.hasNext() ? dirs.next() : null;
      }
    }
    out.addAll(defaults); // read last, as the reference does
    return out;
  }
}
