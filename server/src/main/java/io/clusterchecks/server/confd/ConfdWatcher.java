package io.clusterchecks.server.confd;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns file-system notifications (inotify on Linux, through {@link WatchService}) on the conf.d
 * directories into {@link Changes}: which files to check, which directories to list again, or that
 * everything must be scanned (events were lost).
 *
 * <p>An event names the entry it is about, so a save checks that one file. The exceptions list a
 * directory again: an event about a check directory itself (created, removed, renamed), a key
 * that became invalid (its directory was removed or replaced), Kubernetes' atomic-writer entries
 * ({@code ..data}: the files are symbolic links through it), and an {@link
 * java.nio.file.StandardWatchEventKinds#OVERFLOW} (the queue dropped events). On the conf.d
 * directory itself, those mean a full scan. A directory that cannot be watched (the system's
 * watch limit) is reported by {@link #unwatched()}, and the source lists it on a timer.
 *
 * <p>Thread-safe: the watcher thread takes events while a scan, on another thread, may watch or
 * forget directories.
 */
final class ConfdWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfdWatcher.class);
  /** After a first event, wait this long for more events so one save triggers one scan. */
  private static final long SETTLE_MILLIS = 100;
  private static final long MAX_SETTLE_MILLIS = 1_000;

  /**
   * What changed.
   *
   * @param full everything must be listed and checked again
   * @param dirs check directories to list again (created, removed, replaced, or events lost)
   * @param files files to check (created, modified, removed or renamed)
   */
  record Changes(boolean full, Set<Path> dirs, Set<Path> files) {
    static Changes everything() {
      return new Changes(true, Set.of(), Set.of());
    }

    boolean isEmpty() {
      return !full && dirs.isEmpty() && files.isEmpty();
    }
  }

  private final Path root;
  private final WatchService service;
  private final Map<Path, WatchKey> keys = new HashMap<>();
  private final Set<Path> unwatched = new TreeSet<>();
  private boolean warnedLimit;

  /**
   * @param service the watch service, or null when the file system cannot watch (everything is
   *     then {@linkplain #unwatched() unwatched})
   */
  ConfdWatcher(Path root, WatchService service) {
    this.root = root;
    this.service = service;
  }

  static ConfdWatcher open(Path root) {
    try {
      return new ConfdWatcher(root, root.getFileSystem().newWatchService());
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("conf.d: cannot watch {} ({}); listing it on a timer instead", root, e.toString());
      return new ConfdWatcher(root, null);
    }
  }

  boolean canWatch() {
    return service != null;
  }

  /**
   * Watches exactly these directories from now on (conf.d and its check directories; while conf.d
   * is missing, its closest existing ancestor). With {@code again}, directories already watched
   * are registered again, which follows a directory replaced under the same path.
   */
  synchronized void watchOnly(Collection<Path> dirs, boolean again) {
    Set<Path> wanted = new HashSet<>(dirs);
    keys.entrySet().removeIf(e -> {
      if (!wanted.contains(e.getKey()) || !e.getValue().isValid()) {
        e.getValue().cancel();
        return true;
      }
      return false;
    });
    unwatched.retainAll(wanted);
    for (Path dir : dirs) {
      if (again || !keys.containsKey(dir)) {
        watch(dir);
      }
    }
  }

  /** Starts watching one directory (again). */
  synchronized void watch(Path dir) {
    if (service == null) {
      unwatched.add(dir);
      return;
    }
    try {
      WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      WatchKey old = keys.put(dir, key);
      if (old != null && old != key) {
        old.cancel();
      }
      unwatched.remove(dir);
    } catch (NoSuchFileException e) {
      forget(dir); // gone again; its parent's event lists it
    } catch (IOException e) {
      if (!warnedLimit) {
        log.warn("conf.d: cannot watch {} ({}); listing it on a timer instead (on Linux, raise"
            + " fs.inotify.max_user_watches)", dir, e.toString());
        warnedLimit = true;
      }
      unwatched.add(dir);
    }
  }

  /** Stops watching a directory that is gone (before a new one is watched under another name). */
  synchronized void forget(Path dir) {
    WatchKey key = keys.remove(dir);
    if (key != null) {
      key.cancel();
    }
    unwatched.remove(dir);
  }

  /** Directories that could not be watched: they are listed on a timer. */
  synchronized Set<Path> unwatched() {
    return Set.copyOf(unwatched);
  }

  /**
   * Waits for events (then lets a burst of them settle) at most {@code timeoutMillis} (0: until
   * one comes).
   *
   * @return what changed, or null if nothing did within the timeout
   */
  Changes take(long timeoutMillis) throws InterruptedException {
    if (service == null) {
      throw new IllegalStateException("no watch service");
    }
    WatchKey key = timeoutMillis <= 0 ? service.take() : service.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (key == null) {
      return null;
    }
    boolean[] full = {false};
    Set<Path> dirs = new HashSet<>();
    Set<Path> files = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS);
    while (key != null) {
      collect(key, full, dirs, files);
      if (System.nanoTime() > deadline) {
        break;
      }
      key = service.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }
    return full[0] ? Changes.everything() : new Changes(false, dirs, files);
  }

  /** What one signalled key reports (the key is reset). */
  Changes changesOf(WatchKey key) {
    boolean[] full = {false};
    Set<Path> dirs = new HashSet<>();
    Set<Path> files = new HashSet<>();
    collect(key, full, dirs, files);
    return full[0] ? Changes.everything() : new Changes(false, dirs, files);
  }

  private synchronized void collect(WatchKey key, boolean[] full, Set<Path> dirs, Set<Path> files) {
    Path dir = (Path) key.watchable();
    if (!dir.startsWith(root)) {
      // an ancestor is watched only while conf.d is missing: whatever happened, look at everything
      key.pollEvents();
      if (!key.reset()) {
        keys.remove(dir, key);
      }
      full[0] = true;
      return;
    }
    boolean isRoot = dir.equals(root);
    boolean lost = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        lost = true;
        continue;
      }
      Path name = (Path) event.context();
      String n = name.toString();
      Path entry = dir.resolve(name);
      if (ConfdLayout.isAtomicWriterName(n)) {
        lost = true;
      } else if (isRoot && ConfdLayout.isCheckDirName(n)) {
        dirs.add(entry);
      } else {
        files.add(entry);
      }
    }
    if (!key.reset()) {
      // the directory was removed or replaced: drop its key and look at it again
      keys.remove(dir, key);
      lost = true;
    }
    if (lost) {
      if (isRoot || !Files.isDirectory(root)) {
        full[0] = true;
      } else {
        dirs.add(dir);
      }
    }
  }

  @Override
  public void close() {
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        log.debug("conf.d: closing the watch service", e);
      }
    }
  }
}
