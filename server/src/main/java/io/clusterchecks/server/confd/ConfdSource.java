package io.clusterchecks.server.confd;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.config.Murmur3;
import io.clusterchecks.core.config.TemplateVariables;
import io.clusterchecks.server.confd.ConfdFileParser.Empty;
import io.clusterchecks.server.confd.ConfdFileParser.Ignored;
import io.clusterchecks.server.confd.ConfdFileParser.Invalid;
import io.clusterchecks.server.confd.ConfdFileParser.Loaded;
import io.clusterchecks.server.confd.ConfdFileParser.Result;
import io.clusterchecks.server.confd.ConfdLayout.Candidate;
import io.clusterchecks.server.confd.ConfdLayout.Listed;
import io.clusterchecks.server.confd.ConfdWatcher.Changes;
import io.clusterchecks.server.confd.FileState.Stamp;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster check configs from a Datadog Agent {@code conf.d} directory, kept up to date.
 *
 * <p>The layout ({@code <check>.d/} directories, {@code .default} files, read order) is
 * {@link ConfdLayout}'s. Each file with a top-level {@code cluster_check: true} yields one config
 * (see {@link ConfdFileParser}); configs with the same digest are served once
 * (docs/reference/wire-format.md, section 2).
 *
 * <p>Changes reach the {@link ConfigListener} as differences only, compared per file by value:
 * a new file is scheduled, a deleted one unscheduled, an edited one unscheduled (old config) then
 * scheduled (new config), and a rewrite that yields an equal config produces no call. A file that
 * stops parsing keeps its previous config scheduled (a half-written save loses nothing), and so
 * does a file that becomes empty; deleting the file, or removing its {@code cluster_check: true},
 * unschedules it. A file the parser fails on (a bug: an exception rather than a verdict) is
 * reported as that file's problem and treated like a file that stops parsing; the rest of the
 * scan goes on. A check directory that cannot be listed keeps what was known of it.
 *
 * <p>{@link #start()} scans synchronously (stat, read and parse run on every core while the
 * listing goes on, when there are many files: {@link CheckPipeline}), then a daemon thread waits
 * for file-system events ({@link ConfdWatcher}): an event checks the file it names, or lists the one directory it is about; nothing is listed or stat'ed
 * while nothing changes, as the reference reads its files once unless asked to poll. A full scan
 * happens only when events were lost (overflow), on conf.d's own replacement, and every
 * {@code rescanInterval} if one is set (a safety net for file systems that do not report every
 * change, such as network file systems or links to files outside conf.d; zero, the default, sets
 * none). Directories that cannot be watched (the system's watch limit) are listed on a timer.
 * Either way a file is read again only when its size, modification time or identity changed, and
 * parsed again only when its bytes did. A missing or empty conf.d is warned about once and kept
 * under watch.
 *
 * <p>Listener calls are made one at a time, in change order, from whichever thread scans.
 */
public final class ConfdSource implements AutoCloseable {
  /** No periodic full rescan: events only (the default). */
  public static final Duration NO_RESCAN = Duration.ZERO;
  /** How often directories that cannot be watched are listed when no rescan period is set. */
  static final Duration UNWATCHED_POLL = Duration.ofSeconds(10);
  /**
   * Files checked together on one thread: a full slice goes to the common pool while listing goes
   * on, so a scan of fewer files is checked on the scanning thread alone.
   */
  private static final int SLICE = 256;
  /**
   * From this many files to check, a scan logs each file's load at debug and one summary line at
   * info: a million lines at start would cost more than the loading.
   */
  private static final int SUMMARY_FROM = 100;

  private static final Logger log = LoggerFactory.getLogger(ConfdSource.class);

  private final Path root;
  private final ConfigListener listener;
  private final Duration rescanInterval;
  private final TemplateVariables.Variables variables;

  private final Object scanLock = new Object();
  /** Which files exist, by directory, in read order, with what is known of each. Guarded by scanLock. */
  private final ConfdLayout layout;
  /** Current problem per file. Guarded by scanLock. */
  private final Map<Path, String> problems = new TreeMap<>();
  /** Files read since start: how much each scan costs. Guarded by scanLock. */
  private long filesRead;
  /** Files stat'ed since start. Guarded by scanLock. */
  private long filesChecked;
  /** Scans of the whole conf.d since start (the first included). Guarded by scanLock. */
  private long fullScans;
  private boolean warnedMissing;
  private boolean warnedEmpty;
  /**
   * Whether the scan in progress logs per-file loads at debug; null until the scan knows (its
   * first result is recorded once a slice is full or the listing is done). Guarded by scanLock.
   */
  private Boolean summarizing;
  /** The checks of the scan in progress. Guarded by scanLock. */
  private CheckPipeline<Pending, Checked> checks;
  /** Where the scan's checks run besides the scanning thread. */
  private final Executor pool = ForkJoinPool.commonPool();

  /** Set by start(); then used under scanLock. */
  private ConfdWatcher watcher;
  private Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * A file to check, with what was known of it when it was listed: the check runs on the pool
   * while the scanning thread records earlier results, so it must not read the file's state.
   *
   * @param knownStamp the stamp when last read, or null
   */
  private record Pending(FileState file, Stamp knownStamp, long knownHash) {}

  /** What checking one candidate found; computed off the lock's state, applied under it. */
  private sealed interface Checked {
    FileState file();
  }

  /** Gone, or not a regular file. */
  private record Missing(FileState file) implements Checked {}

  private record Unreadable(FileState file, String problem) implements Checked {}

  /** Same stamp as when last read. */
  private record Unchanged(FileState file) implements Checked {}

  /**
   * Read again.
   *
   * @param result the parsed file, or null when its bytes are those last parsed
   * @param digest the digest of a loaded config, or null
   */
  private record Read(FileState file, Stamp stamp, long hash, Result result, String digest)
      implements Checked {}

  public ConfdSource(Path confdPath, ConfigListener listener) {
    this(confdPath, listener, NO_RESCAN);
  }

  /**
   * @param confdPath the conf.d directory; need not exist yet
   * @param listener receives schedule/unschedule calls
   * @param rescanInterval how often to scan everything even without events; zero for never
   */
  public ConfdSource(Path confdPath, ConfigListener listener, Duration rescanInterval) {
    this(confdPath, listener, rescanInterval, TemplateVariables.envOnly(name -> null));
  }

  /**
   * @param variables what {@code %%env_X%%} in a file resolves to
   */
  public ConfdSource(Path confdPath, ConfigListener listener, Duration rescanInterval,
      TemplateVariables.Variables variables) {
    this.variables = Objects.requireNonNull(variables, "variables");
    this.root = confdPath.toAbsolutePath().normalize();
    this.layout = new ConfdLayout(root);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.rescanInterval = Objects.requireNonNull(rescanInterval, "rescanInterval");
    if (rescanInterval.isNegative()) {
      throw new IllegalArgumentException("rescanInterval must be zero (none) or positive: " + rescanInterval);
    }
  }

  /** The watched directory, absolute. */
  public Path path() {
    return root;
  }

  /**
   * Loads the configs present now (the listener gets one {@code schedule} call with all of them,
   * if any), then starts watching in the background.
   *
   * @return how many cluster check configs were loaded
   */
  public int start() {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("already started");
      }
      started = true;
    }
    int count;
    synchronized (scanLock) {
      watcher = ConfdWatcher.open(root);
      count = scan(Changes.everything());
      long ignored = layout.readOrder().stream().filter(s -> s.scheduled == null).count() - problems.size();
      log.info("conf.d: {} cluster check config(s) loaded from {} ({} other file(s) ignored, {} with problems)",
          count, root, Math.max(0, ignored), problems.size());
    }
    thread = new Thread(this::watchLoop, "confd-watcher");
    thread.setDaemon(true);
    thread.start();
    return count;
  }

  /**
   * Scans everything now (a stat per file, a read per changed file) and notifies the listener of
   * differences. Safe to call from any thread, before or after {@link #start()}.
   *
   * @return how many cluster check configs are scheduled after the scan
   */
  public int rescan() {
    synchronized (scanLock) {
      return scan(Changes.everything());
    }
  }

  /** The configs currently scheduled from conf.d, sorted by source. */
  public List<Config> configs() {
    synchronized (scanLock) {
      return layout.readOrder().stream()
          .map(s -> s.scheduled)
          .filter(Objects::nonNull)
          .sorted((a, b) -> a.source().compareTo(b.source()))
          .toList();
    }
  }

  /** How many times a file was read since start. */
  long filesRead() {
    synchronized (scanLock) {
      return filesRead;
    }
  }

  /** How many times a file was stat'ed since start. */
  long filesChecked() {
    synchronized (scanLock) {
      return filesChecked;
    }
  }

  /** How many scans of the whole conf.d ran since start (the first included). */
  long fullScans() {
    synchronized (scanLock) {
      return fullScans;
    }
  }

  /** Files that currently cannot be used, with the reason (parse errors carry line and column). */
  public Map<Path, String> problems() {
    synchronized (scanLock) {
      return Map.copyOf(problems);
    }
  }

  /** Stops watching. Scheduled configs stay scheduled: the listener is not called. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing.countDown();
    ConfdWatcher w;
    synchronized (scanLock) {
      w = watcher;
    }
    if (w != null) {
      w.close();
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- scanning

  /** Applies what the watcher reported (or a timer asked for). */
  void changed(Changes changes) {
    if (changes.isEmpty()) {
      return;
    }
    log.debug("conf.d: changes {}", changes);
    synchronized (scanLock) {
      scan(changes);
    }
  }

  /**
   * Applies what changed: lists what {@code changes} names (everything, some directories), checks
   * the files it names or those listings found, and notifies the listener of the differences.
   * Guarded by scanLock.
   *
   * @return how many cluster check configs are scheduled after the scan
   */
  private int scan(Changes changes) {
    long readBefore = filesRead; // records start while listing goes on
    Set<FileState> gone = new LinkedHashSet<>();
    checks = new CheckPipeline<>(this::check, result -> record(result, gone), SLICE, pool);
    summarizing = null;
    Listed listed = new Listed() {
      @Override
      public void candidate(FileState s) {
        checks.add(new Pending(s, s.stamp, s.contentHash));
      }

      @Override
      public void gone(FileState s) {
        gone.add(s);
      }
    };
    if (changes.full()) {
      fullScans++;
      try {
        layout.listAll(this::watch, listed);
      } catch (IOException e) {
        log.warn("conf.d: cannot list {} ({}); keeping the current configs", root, e.toString());
        return scheduledCount();
      }
      syncWatches(layout.dirs());
    } else {
      listDirs(changes.dirs(), listed, gone);
      for (Path file : changes.files()) {
        Candidate c = layout.classify(file);
        Path parent = file.getParent();
        if (c != null && !changes.dirs().contains(parent) // else listed above
            && (parent.equals(root) || layout.knowsDir(parent))) {
          listed.candidate(layout.put(c)); // known until the check finds it missing
        }
      }
    }
    checks.finish();
    int checked = checks.added();
    summarizing = checked >= SUMMARY_FROM;
    filesChecked += checked;
    List<Config> toUnschedule = new ArrayList<>();
    List<Config> toSchedule = new ArrayList<>();
    for (FileState state : gone) {
      layout.remove(state);
      problems.remove(state.path());
      Config old = state.scheduled;
      if (old != null) {
        logPerFile("conf.d: file removed {}, unscheduling {}", state.path(), old.checkName());
        toUnschedule.add(old);
      }
    }
    reconcile(layout.readOrder(), toUnschedule, toSchedule);
    if (summarizing) {
      log.info("conf.d: checked {} file(s), read {}, {} gone; scheduling {} config(s), unscheduling {}",
          checked, filesRead - readBefore, gone.size(), toSchedule.size(), toUnschedule.size());
    }
    notifyListener(toUnschedule, toSchedule);
    int count = scheduledCount();
    warnIfNothing(count);
    return count;
  }

  /** Lists check directories again: the files of one that is gone are gone; a new one is watched. */
  private void listDirs(Set<Path> dirs, Listed listed, Set<FileState> gone) {
    List<Path> present = new ArrayList<>();
    for (Path dir : dirs) {
      if (root.equals(dir.getParent()) && Files.isDirectory(dir)) {
        present.add(dir);
      } else {
        // removed, renamed or not a directory: forget it before a new name is watched (a renamed
        // directory keeps its watch under its old name otherwise)
        gone.addAll(layout.removeDir(dir));
        if (watcher != null) {
          watcher.forget(dir);
        }
      }
    }
    for (Path dir : present) {
      watch(dir); // before listing: a file created meanwhile is listed or has an event
      try {
        layout.listDir(dir, listed);
      } catch (IOException e) {
        log.debug("conf.d: cannot list {}: {}", dir, e.toString());
        // its removal comes as an event of its own
      }
    }
  }

  private void watch(Path dir) {
    if (watcher != null) {
      watcher.watch(dir);
    }
  }

  /** After a full listing: watch conf.d and its check directories, or its closest ancestor. */
  private void syncWatches(List<Path> checkDirs) {
    if (watcher == null) {
      return;
    }
    List<Path> dirs = new ArrayList<>();
    if (Files.isDirectory(root)) {
      dirs.add(root);
      dirs.addAll(checkDirs);
    } else {
      // conf.d does not exist (yet): watch its closest existing ancestor to see it appear.
      Path ancestor = root.getParent();
      while (ancestor != null && !Files.isDirectory(ancestor)) {
        ancestor = ancestor.getParent();
      }
      if (ancestor != null) {
        dirs.add(ancestor);
      }
    }
    watcher.watchOnly(dirs, false);
  }

  /**
   * Checks one candidate against what was known of it when it was listed. Runs on the pool:
   * reads no mutable state. A parser failure (a bug, not a bad file: those are {@link Invalid})
   * is that file's problem, not the scan's, so one file cannot keep every other from loading.
   */
  private Checked check(Pending p) {
    FileState f = p.file();
    Candidate c = f.candidate;
    Stamp stamp;
    byte[] content;
    try {
      BasicFileAttributes a = Files.readAttributes(c.path(), BasicFileAttributes.class);
      if (!a.isRegularFile()) {
        return new Missing(f);
      }
      stamp = new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
      if (stamp.equals(p.knownStamp())) {
        return new Unchanged(f);
      }
      content = Files.readAllBytes(c.path());
    } catch (NoSuchFileException e) {
      return new Missing(f);
    } catch (IOException e) {
      return new Unreadable(f, "cannot read: " + e);
    }
    long hash = Murmur3.hash64(content);
    if (p.knownStamp() != null && p.knownHash() == hash) {
      return new Read(f, stamp, hash, null, null);
    }
    Result result;
    try {
      result = ConfdFileParser.parse(c.path(), c.checkName(), content, variables);
    } catch (RuntimeException | StackOverflowError e) {
      return new Unreadable(f, "cannot parse: " + e);
    }
    String digest = result instanceof Loaded loaded ? loaded.digest() : null;
    return new Read(f, stamp, hash, result, digest);
  }

  /** Records what checking a file found. */
  private void record(Checked checked, Set<FileState> gone) {
    if (summarizing == null) {
      summarizing = checks.added() >= SUMMARY_FROM;
    }
    FileState state = checked.file();
    if (checked instanceof Missing) {
      gone.add(state);
      return;
    }
    gone.remove(state);
    if (checked instanceof Unreadable unreadable) {
      report(state.path(), unreadable.problem(), state);
    } else if (checked instanceof Read read) {
      filesRead++;
      state.stamp = read.stamp();
      state.contentHash = read.hash();
      if (read.result() != null) {
        apply(read.result(), read.digest(), state);
      }
    }
  }

  /** Records what a file holds now; what is served follows in {@link #reconcile}. */
  private void apply(Result result, String digest, FileState state) {
    Path path = state.path();
    Config old = state.config;
    if (result instanceof Loaded loaded) {
      state.valid = true;
      if (problems.remove(path) != null && old != null) {
        log.info("conf.d: {} is valid again", path);
      }
      Config config = loaded.config();
      if (loaded.templateError() != null) {
        log.warn("conf.d: {}: a template variable was not substituted ({}); those parts are sent as written",
            path, loaded.templateError());
      }
      if (config.equals(old)) {
        log.debug("conf.d: {} rewritten without changes to {}", path, config.checkName());
        return;
      }
      int n = config.instances().size();
      logPerFile("conf.d: {} {} from {} ({} instance{})", old != null ? "reloaded" : "loaded", config.checkName(),
          path, n, n == 1 ? "" : "s");
      state.config = config;
      state.digest = digest;
    } else if (result instanceof Ignored ignored) {
      state.valid = true;
      problems.remove(path);
      if (old != null) {
        log.info("conf.d: {} is no longer a cluster check config ({}), unscheduling {}",
            path, ignored.reason(), old.checkName());
        state.config = null;
        state.digest = null;
      } else {
        log.debug("conf.d: ignoring {}: {}", path, ignored.reason());
      }
    } else if (result instanceof Empty) {
      if (old != null) {
        report(path, "file is empty", state);
      } else {
        problems.remove(path);
        log.debug("conf.d: ignoring empty file {}", path);
      }
    } else if (result instanceof Invalid invalid) {
      state.valid = false;
      report(path, invalid.message(), state);
    }
  }

  /**
   * Decides which files are served, and queues the differences for the listener.
   *
   * <p>As in the reference, a {@code .default} file counts only when no other file names its
   * check, and configs with the same digest are served once. Unlike a fresh read, a digest stays
   * with the file that serves it as long as that file still gives it, so adding a copy never moves
   * a running check; when the serving file changes or goes, the first remaining copy in read order
   * takes over.
   */
  private void reconcile(List<FileState> readOrder, List<Config> toUnschedule, List<Config> toSchedule) {
    Set<String> namedByRegularFiles = new HashSet<>();
    for (FileState s : readOrder) {
      if (!s.candidate.isDefault() && s.valid) {
        namedByRegularFiles.add(s.candidate.checkName());
      }
    }
    Map<String, FileState> servedBy = new HashMap<>();
    for (FileState s : readOrder) {
      if (s.scheduled != null && s.scheduled.equals(s.config) && eligible(s, namedByRegularFiles)) {
        servedBy.put(s.digest, s);
      }
    }
    for (FileState s : readOrder) {
      boolean eligible = s.config != null && eligible(s, namedByRegularFiles);
      // the first eligible file in read order serves a digest no running file keeps; as the walk
      // is in read order, the server a file sees here is final
      FileState server = eligible ? servedBy.putIfAbsent(s.digest, s) : null;
      boolean serves = eligible && (server == null || server == s);
      Config desired = serves ? s.config : null;
      Path duplicateOf = eligible && !serves ? server.path() : null;
      if (duplicateOf != null && !duplicateOf.equals(s.duplicateOf)) {
        log.info("conf.d: {} gives the same config as {}; it is served once", s.path(), duplicateOf);
      }
      s.duplicateOf = duplicateOf;
      if (Objects.equals(desired, s.scheduled)) {
        continue;
      }
      if (s.scheduled != null) {
        toUnschedule.add(s.scheduled);
      }
      if (desired != null) {
        toSchedule.add(desired);
      } else if (s.config != null && s.candidate.isDefault() && !eligible(s, namedByRegularFiles)) {
        log.info("conf.d: {} is a default config and another file names check {}; not served",
            s.path(), s.candidate.checkName());
      }
      s.scheduled = desired;
    }
  }

  private static boolean eligible(FileState s, Set<String> namedByRegularFiles) {
    return !s.candidate.isDefault() || !namedByRegularFiles.contains(s.candidate.checkName());
  }

  /** A line about one file: at info, or at debug during a scan that logs a summary. */
  private void logPerFile(String format, Object... args) {
    if (Boolean.TRUE.equals(summarizing)) {
      log.debug(format, args);
    } else {
      log.info(format, args);
    }
  }

  /** Records a problem with a file and logs it once (until the problem changes). */
  private void report(Path path, String problem, FileState state) {
    String previous = problems.put(path, problem);
    if (problem.equals(previous)) {
      return;
    }
    Config old = state == null ? null : state.scheduled;
    if (old != null) {
      log.warn("conf.d: cannot load {}: {}; keeping its previous {} config scheduled", path, problem,
          old.checkName());
    } else {
      log.warn("conf.d: cannot load {}: {}; skipped", path, problem);
    }
  }

  private void notifyListener(List<Config> toUnschedule, List<Config> toSchedule) {
    if (!toUnschedule.isEmpty()) {
      try {
        listener.unschedule(List.copyOf(toUnschedule));
      } catch (RuntimeException e) {
        log.error("conf.d: the config listener failed to unschedule {} config(s)", toUnschedule.size(), e);
      }
    }
    if (!toSchedule.isEmpty()) {
      try {
        listener.schedule(List.copyOf(toSchedule));
      } catch (RuntimeException e) {
        log.error("conf.d: the config listener failed to schedule {} config(s)", toSchedule.size(), e);
      }
    }
  }

  private int scheduledCount() {
    return (int) layout.readOrder().stream().filter(s -> s.scheduled != null).count();
  }

  private void warnIfNothing(int count) {
    if (!Files.isDirectory(root)) {
      if (!warnedMissing) {
        log.warn("conf.d: directory {} does not exist; no file configs loaded, watching for it", root);
        warnedMissing = true;
      }
      return;
    }
    warnedMissing = false;
    if (count == 0) {
      if (!warnedEmpty) {
        log.warn("conf.d: no cluster check configs in {} (a file needs a top-level cluster_check: true);"
            + " watching for changes", root);
        warnedEmpty = true;
      }
    } else {
      warnedEmpty = false;
    }
  }

  // ---------------------------------------------------------------- watching

  private void watchLoop() {
    long fullEvery = rescanInterval.isZero() ? 0 : rescanInterval.toNanos();
    long pollUnwatched = (rescanInterval.isZero() ? UNWATCHED_POLL : rescanInterval).toNanos();
    long nextFull = System.nanoTime() + fullEvery;
    long nextPoll = System.nanoTime() + pollUnwatched;
    while (!closed) {
      try {
        Set<Path> unwatched;
        boolean canWatch;
        synchronized (scanLock) {
          unwatched = watcher.unwatched();
          canWatch = watcher.canWatch();
        }
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        if (fullEvery > 0) {
          wait = nextFull - now;
        }
        if (!unwatched.isEmpty() || !canWatch) {
          wait = Math.min(wait, nextPoll - now);
        }
        Changes changes = null;
        if (canWatch) {
          changes = watcher.take(wait == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        } else if (closing.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
          break;
        }
        if (closed) {
          break;
        }
        now = System.nanoTime();
        if (changes == null) {
          // conf.d itself, or the ancestor watched while it is missing, cannot be watched: scan it all
          boolean unwatchedTop = unwatched.stream().anyMatch(d -> d.equals(root) || !d.startsWith(root));
          if (fullEvery > 0 && now - nextFull >= 0 || !canWatch || unwatchedTop) {
            changes = Changes.everything();
          } else if (!unwatched.isEmpty() && now - nextPoll >= 0) {
            changes = new Changes(false, unwatched, Set.of());
          } else {
            continue;
          }
          nextPoll = now + pollUnwatched;
        }
        if (changes.full()) {
          nextFull = now + fullEvery;
        }
        changed(changes);
      } catch (ClosedWatchServiceException e) {
        break;
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException e) {
        log.error("conf.d: unexpected error while watching {}; will retry", root, e);
        try {
          if (closing.await(pollUnwatched, TimeUnit.NANOSECONDS)) {
            break;
          }
        } catch (InterruptedException ie) {
          break;
        }
      }
    }
    log.debug("conf.d: stopped watching {}", root);
  }
}
