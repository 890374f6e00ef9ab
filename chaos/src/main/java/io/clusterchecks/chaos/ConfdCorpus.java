package io.clusterchecks.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watched conf.d directory and what it holds: one http_check per file, each with a revision
 * that an edit increases (so an edit gives a new digest). Every file is written in one step (a
 * hidden temporary file renamed), as the replicas watch the directory.
 */
final class ConfdCorpus {
  private final Path root;
  private final Path dir;
  private final Map<String, Integer> files = new TreeMap<>();
  private final Set<String> everWritten = ConcurrentHashMap.newKeySet();
  private int nextId;

  ConfdCorpus(Path confd) throws IOException {
    this.root = confd;
    this.dir = Files.createDirectories(confd.resolve("http_check.d"));
  }

  /** The conf.d directory the replicas watch. */
  Path root() {
    return root;
  }

  synchronized void addNew(int count) {
    for (int i = 0; i < count; i++) {
      write(String.format("cfg-%05d.yaml", nextId++), 0);
    }
  }

  /** Rewrites {@code count} files picked with {@code pick} with their next revision; returns their names. */
  synchronized List<String> edit(int count, Random pick) {
    List<String> chosen = choose(count, pick);
    chosen.forEach(f -> write(f, files.get(f) + 1));
    return chosen;
  }

  synchronized List<String> delete(int count, Random pick) {
    List<String> chosen = choose(count, pick);
    for (String f : chosen) {
      try {
        Files.delete(dir.resolve(f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      files.remove(f);
    }
    return chosen;
  }

  /** Every file there now, with its revision. */
  synchronized Map<String, Integer> expected() {
    return Map.copyOf(files);
  }

  /** Whether this file name was ever written (a config from anything else is invented). */
  boolean everWritten(String file) {
    return everWritten.contains(file);
  }

  private List<String> choose(int count, Random pick) {
    List<String> names = new ArrayList<>(files.keySet());
    List<String> chosen = new ArrayList<>();
    while (chosen.size() < count && !names.isEmpty()) {
      chosen.add(names.remove(pick.nextInt(names.size())));
    }
    return chosen;
  }

  private void write(String file, int rev) {
    String name = file.substring(0, file.length() - ".yaml".length());
    String text = "cluster_check: true\ninit_config:\ninstances:\n  - name: " + name + "\n    url: http://" + name
        + ".internal/health\n    rev: " + rev + "\n";
    try {
      everWritten.add(file);
      Path tmp = Files.writeString(dir.resolve("." + file + ".tmp"), text);
      Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.put(file, rev);
  }
}
