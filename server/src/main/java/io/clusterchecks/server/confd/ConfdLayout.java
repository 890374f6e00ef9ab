package io.clusterchecks.server.confd;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

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
 * it is stat'ed, which the source does once per candidate it checks. Not thread-safe: the source
 * guards it with its scan lock.
 */
final class ConfdLayout {
  private static final String DEFAULT_SUFFIX = ".default";

  /**
   * A conf.d file to read: its path, the check name the layout gives it, and whether it is a
   * {@code .default} file (used only for a check name no other file provides).
   */
  record Candidate(Path path, String checkName, boolean isDefault) {}

  /** One listing of conf.d: the check directories and every candidate, in read order. */
  record Listing(List<Path> checkDirs, List<Candidate> candidates) {}

  private final Path root;
  /** Root-level candidates by path (paths sort as the reference reads). */
  private final TreeMap<Path, Candidate> rootFiles = new TreeMap<>();
  /** Check directories by path, each with its candidates by path. */
  private final TreeMap<Path, TreeMap<Path, Candidate>> checkDirs = new TreeMap<>();

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
    String dirName = parent.getFileName().toString();
    String check = dirName.substring(0, dirName.length() - 2);
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
   * Lists the whole layout: the root's entries, and each check directory's.
   *
   * @param beforeListing called with each directory just before it is listed (to watch it first,
   *     so that a file created meanwhile is either listed or reported)
   */
  Listing listAll(Consumer<Path> beforeListing) throws IOException {
    List<Path> dirs = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return new Listing(dirs, candidates);
    }
    beforeListing.accept(root);
    for (Path entry : sortedEntries(root)) {
      String name = entry.getFileName().toString();
      if (isCheckDirName(name) && Files.isDirectory(entry)) {
        dirs.add(entry);
        beforeListing.accept(entry);
        try {
          candidates.addAll(listDir(entry));
        } catch (NoSuchFileException e) {
          // removed since the root was listed
        }
      } else {
        Candidate c = classify(entry);
        if (c != null) {
          candidates.add(c);
        }
      }
    }
    return new Listing(dirs, candidates);
  }

  /** The candidates in one check directory, by name. */
  List<Candidate> listDir(Path dir) throws IOException {
    List<Candidate> out = new ArrayList<>();
    for (Path file : sortedEntries(dir)) {
      Candidate c = classify(file);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<Path> sortedEntries(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(entries::add);
    }
    entries.sort(null);
    return entries;
  }

  // ---------------------------------------------------------------- the index

  /** Forgets everything known, then knows the given check directories (empty) . */
  void reset(Collection<Path> dirs) {
    rootFiles.clear();
    checkDirs.clear();
    for (Path dir : dirs) {
      checkDirs.put(dir, new TreeMap<>());
    }
  }

  boolean knowsDir(Path dir) {
    return checkDirs.containsKey(dir);
  }

  /** Starts knowing a check directory (empty) if it was not known. */
  void addDir(Path dir) {
    checkDirs.computeIfAbsent(dir, d -> new TreeMap<>());
  }

  /**
   * Stops knowing a check directory.
   *
   * @return the candidates it held
   */
  Collection<Candidate> removeDir(Path dir) {
    Map<Path, Candidate> held = checkDirs.remove(dir);
    return held == null ? List.of() : held.values();
  }

  /** The candidates known in a check directory. */
  Collection<Candidate> candidatesIn(Path dir) {
    Map<Path, Candidate> held = checkDirs.get(dir);
    return held == null ? List.of() : List.copyOf(held.values());
  }

  /** Knows a candidate that is a regular file; its check directory must be known (or it is skipped). */
  void put(Candidate c) {
    Path parent = c.path().getParent();
    if (parent.equals(root)) {
      rootFiles.put(c.path(), c);
    } else {
      TreeMap<Path, Candidate> in = checkDirs.get(parent);
      if (in != null) {
        in.put(c.path(), c);
      }
    }
  }

  void remove(Path file) {
    Path parent = file.getParent();
    if (root.equals(parent)) {
      rootFiles.remove(file);
    } else {
      TreeMap<Path, Candidate> in = checkDirs.get(parent);
      if (in != null) {
        in.remove(file);
      }
    }
  }

  /** The check directories known now. */
  List<Path> dirs() {
    return List.copyOf(checkDirs.keySet());
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
    Map.Entry<Path, Candidate> f = files.hasNext() ? files.next() : null;
    Map.Entry<Path, TreeMap<Path, Candidate>> d = dirs.hasNext() ? dirs.next() : null;
    while (f != null || d != null) {
      if (d == null || (f != null && f.getKey().compareTo(d.getKey()) < 0)) {
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
