package io.clusterchecks.server.confd;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

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
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster check configs from a Datadog Agent {@code conf.d} directory, kept up to date.
 *
 * <p>Layout, as in the Datadog Agent: {@code <confd>/<check>.d/*.yaml} (or {@code .yml}), whose
 * check name is the directory name minus {@code .d}, and {@code <confd>/<check>.yaml}, whose check
 * name is the file name minus its extension, read in name order; then {@code *.yaml.default} /
 * {@code *.yml.default} files, which count only for a check name no other file gives. Other names
 * ({@code *.example}, hidden entries such as Kubernetes' {@code ..data}) and deeper directories
 * are skipped. Each file with a top-level {@code cluster_check: true} yields one config (see
 * {@link ConfdFileParser}); configs with the same digest are served once
 * (docs/reference/wire-format.md, section 2).
 *
 * <p>Changes reach the {@link ConfigListener} as differences only, compared per file by value:
 * a new file is scheduled, a deleted one unscheduled, an edited one unscheduled (old config) then
 * scheduled (new config), and a rewrite that yields an equal config produces no call. A file that
 * stops parsing keeps its previous config scheduled (a half-written save loses nothing), and so
 * does a file that becomes empty; deleting the file, or removing its {@code cluster_check: true},
 * unschedules it.
 *
 * <p>{@link #start()} scans synchronously, then a daemon thread watches the directories with a
 * {@link WatchService}. An event rescans only the directories it names; every
 * {@code rescanInterval} a full rescan checks every file, since events can be missed (overflow,
 * network file systems, directories created between two registrations). Either way a file is read
 * again only when its size, modification time or identity changed, and parsed again only when its
 * bytes did: an idle conf.d of many files costs a listing and a stat per file per interval.
 * A missing or empty conf.d is warned about once and kept under watch.
 *
 * <p>Listener calls are made one at a time, in change order, from whichever thread scans.
 */
public final class ConfdSource implements AutoCloseable {
  /** Default safety-net rescan period. */
  public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ConfdSource.class);
  /** After a watch event, wait this long for more events so one save triggers one rescan. */
  private static final long SETTLE_MILLIS = 100;
  private static final long MAX_SETTLE_MILLIS = 1_000;
  private static final String DEFAULT_SUFFIX = ".default";

  private final Path root;
  private final ConfigListener listener;
  private final Duration rescanInterval;
  private final TemplateVariables.Variables variables;

  private final Object scanLock = new Object();
  /** Per-file state, by absolute path. Guarded by scanLock. */
  private final Map<Path, FileState> files = new HashMap<>();
  /** Current problem per file. Guarded by scanLock. */
  private final Map<Path, String> problems = new TreeMap<>();
  /** Files read since start: how much each rescan costs. Guarded by scanLock. */
  private long filesRead;
  private boolean warnedMissing;
  private boolean warnedEmpty;

  /** Only touched by start() and then by the watcher thread. */
  private final Map<Path, WatchKey> watched = new HashMap<>();
  private WatchService watchService;
  private Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean started;
  private volatile boolean closed;

  private static final class FileState {
    final Candidate candidate;
    /** Size, modification time and identity when last read; null before the first read. */
    FileStamp stamp;
    /** Hash of the bytes last parsed: a rewrite with the same bytes is not parsed again. */
    long contentHash;
    /** The file's latest usable config (kept while the file is broken or empty), or null. */
    Config config;
    /** {@link Digests#digest} of {@link #config}. */
    String digest;
    /** Whether the file last parsed as a valid file (a cluster check or not): it names its check. */
    boolean valid;
    /** What the listener has from this file: {@link #config}, or null while not served. */
    Config scheduled;
    /** The file that serves the same config, while this one is a duplicate. */
    Path duplicateOf;

    FileState(Candidate candidate) {
      this.candidate = candidate;
    }
  }

  /** What tells, without reading a file, that it may have changed. */
  private record FileStamp(long size, FileTime modified, Object fileKey) {
    static FileStamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(a.size(), a.lastModifiedTime(), a.fileKey());
    }
  }

  /**
   * A conf.d file to read: its path, the check name the layout gives it, and whether it is a
   * {@code .default} file (used only for a check name no other file provides).
   */
  private record Candidate(Path path, String checkName, boolean isDefault) {}

  public ConfdSource(Path confdPath, ConfigListener listener) {
    this(confdPath, listener, DEFAULT_RESCAN_INTERVAL);
  }

  /**
   * @param confdPath the conf.d directory; need not exist yet
   * @param listener receives schedule/unschedule calls
   * @param rescanInterval how often to rescan even without watch events; must be positive
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
    this.listener = Objects.requireNonNull(listener, "listener");
    this.rescanInterval = Objects.requireNonNull(rescanInterval, "rescanInterval");
    if (rescanInterval.isNegative() || rescanInterval.isZero()) {
      throw new IllegalArgumentException("rescanInterval must be positive: " + rescanInterval);
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
    try {
      watchService = root.getFileSystem().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("conf.d: cannot watch {} ({}); relying on rescans every {}s", root, e.toString(),
          rescanInterval.toSeconds());
    }
    registerWatches();
    int count = rescan();
    synchronized (scanLock) {
      long ignored = files.values().stream().filter(s -> s.scheduled == null).count() - problems.size();
      log.info("conf.d: {} cluster check config(s) loaded from {} ({} other file(s) ignored, {} with problems)",
          count, root, Math.max(0, ignored), problems.size());
    }
    thread = new Thread(this::watchLoop, "confd-watcher");
    thread.setDaemon(true);
    thread.start();
    return count;
  }

  /**
   * Rescans now and notifies the listener of differences. Safe to call from any thread, before
   * or after {@link #start()}.
   *
   * @return how many cluster check configs are scheduled after the scan
   */
  public int rescan() {
    return rescan(null);
  }

  /**
   * Rescans, reading only what may have changed: a file is read when it is new, or when its size,
   * modification time or identity changed; with {@code changedDirs}, files elsewhere are taken as
   * unchanged without even that check (the file system said which directories changed).
   *
   * @param changedDirs the directories watch events named, or null to check every file
   */
  private int rescan(Set<Path> changedDirs) {
    synchronized (scanLock) {
      List<Config> toUnschedule = new ArrayList<>();
      List<Config> toSchedule = new ArrayList<>();
      List<Candidate> candidates;
      try {
        candidates = discover(null);
      } catch (IOException e) {
        log.warn("conf.d: cannot list {} ({}); keeping the current configs", root, e.toString());
        return scheduledCount();
      }
      Set<Path> seen = new HashSet<>();
      for (Candidate c : candidates) {
        FileState known = files.get(c.path());
        if (known != null && known.stamp != null && changedDirs != null
            && !changedDirs.contains(c.path().getParent())) {
          seen.add(c.path());
          continue;
        }
        FileStamp stamp;
        byte[] content;
        try {
          stamp = FileStamp.of(c.path());
          if (known != null && stamp.equals(known.stamp)) {
            seen.add(c.path());
            continue;
          }
          content = Files.readAllBytes(c.path());
          filesRead++;
        } catch (NoSuchFileException e) {
          continue; // deleted since listing: handled as a removal below
        } catch (IOException e) {
          seen.add(c.path());
          report(c.path(), "cannot read: " + e, known);
          continue;
        }
        seen.add(c.path());
        FileState state = files.computeIfAbsent(c.path(), p -> new FileState(c));
        long hash = Murmur3.hash64(content);
        boolean sameBytes = state.stamp != null && state.contentHash == hash;
        state.stamp = stamp;
        state.contentHash = hash;
        if (!sameBytes) {
          apply(c, ConfdFileParser.parse(c.path(), c.checkName(), content, variables), state);
        }
      }
      for (Iterator<Map.Entry<Path, FileState>> it = files.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Path, FileState> e = it.next();
        if (!seen.contains(e.getKey())) {
          it.remove();
          problems.remove(e.getKey());
          Config old = e.getValue().scheduled;
          if (old != null) {
            log.info("conf.d: file removed {}, unscheduling {}", e.getKey(), old.checkName());
            toUnschedule.add(old);
          }
        }
      }
      reconcile(candidates, toUnschedule, toSchedule);
      notifyListener(toUnschedule, toSchedule);
      int count = scheduledCount();
      warnIfNothing(count);
      return count;
    }
  }

  /** The configs currently scheduled from conf.d, sorted by source. */
  public List<Config> configs() {
    synchronized (scanLock) {
      return files.values().stream()
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
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        log.debug("conf.d: closing the watch service", e);
      }
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

  /** Records what a file holds now; what is served follows in {@link #reconcile}. */
  private void apply(Candidate c, Result result, FileState state) {
    Path path = c.path();
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
      log.info("conf.d: {} {} from {} ({} instance{})", old != null ? "reloaded" : "loaded", config.checkName(),
          path, n, n == 1 ? "" : "s");
      state.config = config;
      state.digest = Digests.digest(config);
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
  private void reconcile(List<Candidate> readOrder, List<Config> toUnschedule, List<Config> toSchedule) {
    Set<String> namedByRegularFiles = new HashSet<>();
    for (FileState s : files.values()) {
      if (!s.candidate.isDefault() && s.valid) {
        namedByRegularFiles.add(s.candidate.checkName());
      }
    }
    Map<String, Path> servedBy = new HashMap<>();
    for (FileState s : files.values()) {
      if (s.scheduled != null && s.scheduled.equals(s.config) && eligible(s, namedByRegularFiles)) {
        servedBy.put(s.digest, s.candidate.path());
      }
    }
    for (Candidate c : readOrder) {
      FileState s = files.get(c.path());
      if (s != null && s.config != null && eligible(s, namedByRegularFiles)) {
        servedBy.putIfAbsent(s.digest, c.path());
      }
    }
    for (Candidate c : readOrder) {
      FileState s = files.get(c.path());
      if (s == null) {
        continue;
      }
      boolean serves = s.config != null && c.path().equals(servedBy.get(s.digest));
      Config desired = serves ? s.config : null;
      Path duplicateOf = s.config != null && !serves && eligible(s, namedByRegularFiles)
          ? servedBy.get(s.digest) : null;
      if (duplicateOf != null && !duplicateOf.equals(s.duplicateOf)) {
        log.info("conf.d: {} gives the same config as {}; it is served once", c.path(), duplicateOf);
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
      } else if (s.config != null && c.isDefault() && !eligible(s, namedByRegularFiles)) {
        log.info("conf.d: {} is a default config and another file names check {}; not served",
            c.path(), c.checkName());
      }
      s.scheduled = desired;
    }
  }

  private static boolean eligible(FileState s, Set<String> namedByRegularFiles) {
    return !s.candidate.isDefault() || !namedByRegularFiles.contains(s.candidate.checkName());
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
    return (int) files.values().stream().filter(s -> s.scheduled != null).count();
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

  /**
   * Lists the config files of the layout, sorted.
   *
   * @param dirs if not null, receives the directories to watch
   */
  private List<Candidate> discover(List<Path> dirs) throws IOException {
    List<Candidate> out = new ArrayList<>();
    List<Candidate> defaults = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    if (dirs != null) {
      dirs.add(root);
    }
    for (Path entry : sortedEntries(root)) {
      String name = entry.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (name.endsWith(".d") && name.length() > 2 && Files.isDirectory(entry)) {
        if (dirs != null) {
          dirs.add(entry);
        }
        String check = name.substring(0, name.length() - 2);
        List<Path> inner;
        try {
          inner = sortedEntries(entry);
        } catch (NoSuchFileException e) {
          continue;
        }
        for (Path file : inner) {
          String fileName = file.getFileName().toString();
          if (isConfigFileName(fileName) && Files.isRegularFile(file)) {
            out.add(new Candidate(file, check, false));
          } else if (isDefaultFileName(fileName) && Files.isRegularFile(file)) {
            defaults.add(new Candidate(file, check, true));
          }
        }
      } else if (isConfigFileName(name) && Files.isRegularFile(entry)) {
        out.add(new Candidate(entry, stripExtension(name), false));
      } else if (isDefaultFileName(name) && Files.isRegularFile(entry)) {
        String withoutDefault = name.substring(0, name.length() - DEFAULT_SUFFIX.length());
        defaults.add(new Candidate(entry, stripExtension(withoutDefault), true));
      }
    }
    out.addAll(defaults); // read last, as the reference does
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

  static boolean isConfigFileName(String name) {
    if (name.startsWith(".") || name.endsWith(".default") || name.endsWith(".example")) {
      return false;
    }
    return (name.endsWith(".yaml") && name.length() > 5) || (name.endsWith(".yml") && name.length() > 4);
  }

  /** {@code <name>.yaml.default} or {@code <name>.yml.default}. */
  static boolean isDefaultFileName(String name) {
    return name.endsWith(DEFAULT_SUFFIX)
        && isConfigFileName(name.substring(0, name.length() - DEFAULT_SUFFIX.length()));
  }

  private static String stripExtension(String name) {
    return name.substring(0, name.lastIndexOf('.'));
  }

  // ---------------------------------------------------------------- watching

  private void watchLoop() {
    long intervalMillis = rescanInterval.toMillis();
    while (!closed) {
      try {
        Set<Path> changed = waitForChange(intervalMillis);
        if (closed) {
          break;
        }
        if (changed != null) {
          log.debug("conf.d: change detected in {}", changed);
        }
        registerWatches();
        rescan(changed);
      } catch (ClosedWatchServiceException e) {
        break;
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException e) {
        log.error("conf.d: unexpected error while watching {}; will retry", root, e);
        try {
          if (closing.await(intervalMillis, TimeUnit.MILLISECONDS)) {
            break;
          }
        } catch (InterruptedException ie) {
          break;
        }
      }
    }
    log.debug("conf.d: stopped watching {}", root);
  }

  /**
   * Waits for watch events (then lets a burst of them settle) or the rescan interval.
   *
   * @return the directories the events named, or null for a full rescan (the interval passed,
   *     events were lost, or there is no watch service)
   */
  private Set<Path> waitForChange(long intervalMillis) throws InterruptedException {
    if (watchService == null) {
      closing.await(intervalMillis, TimeUnit.MILLISECONDS);
      return null;
    }
    WatchKey key = watchService.poll(intervalMillis, TimeUnit.MILLISECONDS);
    if (key == null) {
      return null;
    }
    Set<Path> dirs = new HashSet<>();
    boolean overflow = false;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS);
    while (key != null) {
      for (WatchEvent<?> event : key.pollEvents()) {
        overflow |= event.kind() == OVERFLOW;
      }
      if (key.watchable() instanceof Path dir) {
        dirs.add(dir);
      }
      key.reset();
      if (System.nanoTime() > deadline) {
        break;
      }
      key = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }
    // an ancestor is watched only while conf.d is missing: then everything may have come
    return overflow || dirs.stream().anyMatch(d -> !d.startsWith(root)) ? null : dirs;
  }

  /**
   * Watches conf.d and each {@code <check>.d} directory not yet watched (or, while conf.d is
   * missing, its closest existing ancestor); drops stale watches.
   */
  private void registerWatches() {
    if (watchService == null) {
      return;
    }
    List<Path> dirs = new ArrayList<>();
    try {
      discover(dirs);
    } catch (IOException e) {
      log.debug("conf.d: cannot list {} to watch it: {}", root, e.toString());
    }
    if (dirs.isEmpty()) {
      // conf.d does not exist (yet): watch its closest existing ancestor to see it appear.
      Path ancestor = root.getParent();
      while (ancestor != null && !Files.isDirectory(ancestor)) {
        ancestor = ancestor.getParent();
      }
      if (ancestor != null) {
        dirs.add(ancestor);
      }
    }
    watched.entrySet().removeIf(e -> {
      if (!e.getValue().isValid() || !dirs.contains(e.getKey())) {
        e.getValue().cancel();
        return true;
      }
      return false;
    });
    for (Path dir : dirs) {
      if (!watched.containsKey(dir)) {
        try {
          watched.put(dir, dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY));
        } catch (NoSuchFileException e) {
          // gone again; the next rescan sees it
        } catch (IOException e) {
          log.debug("conf.d: cannot watch {}: {}", dir, e.toString());
        }
      }
    }
  }
}
