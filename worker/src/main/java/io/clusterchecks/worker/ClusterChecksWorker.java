package io.clusterchecks.worker;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StatusResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of cluster checks (docs/reference/protocol.md section 8): a node agent or cluster check runner
 * that pulls the configs the cluster agent dispatched to it.
 *
 * <p>Every poll interval (10 s by default) it POSTs its status with the {@code last_change} it
 * last fetched. When the agent says it is not up to date, it GETs its configs, compares them by
 * digest ({@link Digests#digest(Config)}, the same digest the agent computes) with the configs it runs, and tells its {@link WorkerListener} which to start and which
 * to stop. Configs whose digest did not change are left alone. The {@code last_change} received is
 * echoed back byte for byte: it is an opaque version owned by the agent.
 *
 * <p>Failure rules, as the reference provider:
 *
 * <ul>
 *   <li>A failed status POST within the grace period (60 s) of the last successful contact counts
 *       as "up to date"; after it, the error is reported. Either way the current configs stay.
 *   <li>A config GET failing with an error status answered by the agent, or a timeout, keeps the
 *       current configs while inside the degraded window ({@code degraded_deadline_minutes}, zero
 *       meaning forever). The window is measured from the last successful config fetch.
 *   <li>Any other config GET failure flushes (unschedules) every config, the first time after a
 *       success; later failures only report. After a flush the worker echoes {@code last_change}
 *       0 (it holds no version any more), so the next successful status triggers a fetch even if
 *       the agent's version did not move.
 *   <li>An extra heartbeat runs every second on its own thread: when the last successful contact
 *       and the last extra heartbeat are both older than the node expiration timeout minus 5 s, it
 *       POSTs a status with {@code last_change} -1 ({@link NodeStatus#HEARTBEAT_ONLY}), keeping the
 *       node registered while the poll loop is stalled (for example by a slow listener).
 * </ul>
 *
 * <p>Time comes from an injected {@link InstantSource} and work runs on a
 * {@link ScheduledExecutorService}; an injected executor needs at least two threads for the extra
 * heartbeat to run while a poll is stalled. {@link #pollOnce()} runs one poll synchronously.
 */
public final class ClusterChecksWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterChecksWorker.class);

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
  /** {@code grace_time_seconds}. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(60);
  /** {@code degraded_deadline_minutes}: zero keeps configs on remote errors forever. */
  public static final Duration DEFAULT_DEGRADED_DEADLINE = Duration.ZERO;
  /** {@code cluster_checks.node_expiration_timeout}. */
  public static final Duration DEFAULT_NODE_EXPIRATION_TIMEOUT = Duration.ofSeconds(30);
  /** The extra heartbeat fires this long before the node would expire. */
  public static final Duration EXTRA_HEARTBEAT_MARGIN = Duration.ofSeconds(5);
  public static final Duration DEFAULT_EXTRA_HEARTBEAT_PERIOD = Duration.ofSeconds(1);
  public static final Duration DEFAULT_EXTRA_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);

  /** What one {@link #pollOnce()} did. */
  public enum PollOutcome {
    /** The agent said the worker is up to date; nothing fetched. */
    UP_TO_DATE,
    /** Configs fetched and applied (the diff may be empty). */
    UPDATED,
    /** The status POST failed within the grace period: treated as up to date. */
    STATUS_ERROR_IN_GRACE,
    /** The status POST failed after the grace period: configs kept, error reported. */
    STATUS_ERROR,
    /** The config GET failed with a remote or timeout error in the degraded window: configs kept. */
    COLLECT_ERROR_DEGRADED,
    /** The first other config GET failure: every config unscheduled. */
    FLUSHED,
    /** A config GET failure after a flush, or outside the degraded window after one: nothing changed. */
    COLLECT_ERROR,
    /** The worker was stopped while a scheduled poll was in flight, so it did not act on the answer. */
    STOPPED
  }

  /** Counters since the worker was built. */
  public record Stats(
      long polls,
      long statusOk,
      long statusErrors,
      long collects,
      long collectErrors,
      long flushes,
      long extraHeartbeats,
      long extraHeartbeatErrors,
      long scheduled,
      long unscheduled,
      long listenerErrors) {}

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ClusterAgentClient client;
  private final String identifier;
  private final NodeType nodeType;
  private final WorkerListener listener;
  private final Duration pollInterval;
  private final Duration gracePeriod;
  private final Duration degradedDeadline;
  private final Duration nodeExpirationTimeout;
  private final Duration extraHeartbeatPeriod;
  private final Duration extraHeartbeatTimeout;
  private final InstantSource clock;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final Function<Config, String> digester;

  private final ReentrantLock pollLock = new ReentrantLock();
  private final Object lifecycle = new Object();

  // Poll state. Written under pollLock; read from any thread.
  private volatile long lastChange;
  private volatile Map<String, Config> current = Map.of();
  private volatile Instant lastContact;
  private volatile Instant lastCollect;
  private volatile Instant baseline;
  private volatile PollOutcome lastOutcome;
  private boolean flushed;

  // Extra heartbeat state; written only by the heartbeat tick.
  private volatile Instant lastExtraHeartbeat;

  private volatile boolean halted;
  private boolean running;
  private boolean closed;
  private ScheduledFuture<?> pollTask;
  private ScheduledFuture<?> heartbeatTask;

  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong statusOk = new AtomicLong();
  private final AtomicLong statusErrors = new AtomicLong();
  private final AtomicLong collects = new AtomicLong();
  private final AtomicLong collectErrors = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong extraHeartbeats = new AtomicLong();
  private final AtomicLong extraHeartbeatErrors = new AtomicLong();
  private final AtomicLong scheduled = new AtomicLong();
  private final AtomicLong unscheduled = new AtomicLong();
  private final AtomicLong listenerErrors = new AtomicLong();

  private ClusterChecksWorker(Builder b) {
    this.client = b.client;
    this.identifier = b.identifier;
    this.nodeType = b.nodeType;
    this.listener = b.listener;
    this.pollInterval = b.pollInterval;
    this.gracePeriod = b.gracePeriod;
    this.degradedDeadline = b.degradedDeadline;
    this.nodeExpirationTimeout = b.nodeExpirationTimeout;
    this.extraHeartbeatPeriod = b.extraHeartbeatPeriod;
    this.extraHeartbeatTimeout = b.extraHeartbeatTimeout;
    this.clock = b.clock;
    this.digester = b.digester;
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownsExecutor = false;
    } else {
      ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(2, r -> {
        Thread t = new Thread(r, "clc-worker-" + identifier + "-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      own.setRemoveOnCancelPolicy(true);
      this.executor = own;
      this.ownsExecutor = true;
    }
    this.baseline = clock.instant();
  }

  /**
   * A builder for a worker polling through {@code client} under {@code identifier} (the
   * {@code clc_runner_id}, or the host name; see {@link #defaultIdentifier(String)}).
   */
  public static Builder builder(ClusterAgentClient client, String identifier) {
    return new Builder(client, identifier);
  }

  /**
   * The identifier a worker reports under (docs/reference/protocol.md section 5): {@code clcRunnerId} when set,
   * otherwise the host name.
   */
  public static String defaultIdentifier(String clcRunnerId) {
    if (clcRunnerId != null && !clcRunnerId.isBlank()) {
      return clcRunnerId.strip();
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("no clc_runner_id given and the host name is unknown", e);
    }
  }

  /** Starts polling now and every poll interval, and the extra heartbeat. Does nothing when running. */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("worker " + identifier + " is closed");
      }
      if (running) {
        return;
      }
      running = true;
      halted = false;
      baseline = clock.instant();
      pollTask = executor.scheduleWithFixedDelay(
          this::scheduledPoll, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS);
      heartbeatTask = executor.scheduleWithFixedDelay(this::scheduledHeartbeat,
          extraHeartbeatPeriod.toNanos(), extraHeartbeatPeriod.toNanos(), TimeUnit.NANOSECONDS);
      LOG.info("worker {}: started as {} against {}, polling every {}", identifier, nodeType, client.baseUri(),
          pollInterval);
    }
  }

  /**
   * Stops polling and heartbeats, as if the worker died: the configs stay in
   * {@link #currentConfigs()} and the listener is not told. A poll in flight finishes its current
   * request but does not fetch configs afterwards. {@link #start()} resumes.
   */
  public void stop() {
    synchronized (lifecycle) {
      if (!running) {
        return;
      }
      running = false;
      halted = true;
      pollTask.cancel(false);
      heartbeatTask.cancel(false);
      LOG.info("worker {}: stopped, {} config(s) held", identifier, current.size());
    }
  }

  /** Stops, and shuts down the executor when the worker created it. The worker cannot restart. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      stop();
      if (closed) {
        return;
      }
      closed = true;
    }
    if (ownsExecutor) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  public boolean isRunning() {
    synchronized (lifecycle) {
      return running;
    }
  }

  /**
   * Runs one poll now, on the calling thread: status, then configs when not up to date. Waits for
   * a poll in progress on another thread to finish first.
   */
  public PollOutcome pollOnce() {
    return poll(false);
  }

  private PollOutcome poll(boolean scheduled) {
    pollLock.lock();
    try {
      PollOutcome outcome = doPoll(scheduled);
      lastOutcome = outcome;
      return outcome;
    } finally {
      pollLock.unlock();
    }
  }

  /** {@code scheduled}: run by the poll loop, which must not act any more once stopped. */
  private PollOutcome doPoll(boolean scheduled) {
    polls.incrementAndGet();
    StatusResponse status;
    long sentChange = lastChange;
    try {
      status = client.postStatus(identifier, new NodeStatus(sentChange, nodeType));
    } catch (ClusterAgentException e) {
      statusErrors.incrementAndGet();
      Instant now = clock.instant();
      if (withinGrace(now)) {
        LOG.debug("worker {}: status failed within the grace period, keeping {} config(s): {}", identifier,
            current.size(), e.getMessage());
        return PollOutcome.STATUS_ERROR_IN_GRACE;
      }
      LOG.warn("worker {}: status failed, keeping {} config(s): {}", identifier, current.size(), e.getMessage());
      return PollOutcome.STATUS_ERROR;
    }
    statusOk.incrementAndGet();
    lastContact = clock.instant();
    if (status.isUpToDate()) {
      LOG.trace("worker {}: up to date at last_change {}", identifier, sentChange);
      return PollOutcome.UP_TO_DATE;
    }
    if (scheduled && halted) {
      return PollOutcome.STOPPED;
    }
    LOG.debug("worker {}: not up to date at last_change {}, fetching configs", identifier, sentChange);
    collects.incrementAndGet();
    ConfigResponse reply;
    try {
      reply = client.getConfigs(identifier);
    } catch (ClusterAgentException e) {
      collectErrors.incrementAndGet();
      if (scheduled && halted) {
        // Stopped or closed meanwhile (the request may have been interrupted): no flush.
        return PollOutcome.STOPPED;
      }
      Instant now = clock.instant();
      if ((e.isRemoteServiceError() || e.isTimeout()) && withinDegradedWindow(now)) {
        LOG.warn("worker {}: fetching configs failed, keeping {} config(s) (degraded mode): {}", identifier,
            current.size(), e.getMessage());
        return PollOutcome.COLLECT_ERROR_DEGRADED;
      }
      if (!flushed) {
        flushed = true;
        flushes.incrementAndGet();
        LOG.warn("worker {}: fetching configs failed, unscheduling all {} config(s): {}", identifier,
            current.size(), e.getMessage());
        lastChange = 0;
        apply(List.of());
        return PollOutcome.FLUSHED;
      }
      LOG.warn("worker {}: fetching configs failed again: {}", identifier, e.getMessage());
      return PollOutcome.COLLECT_ERROR;
    }
    if (scheduled && halted) {
      return PollOutcome.STOPPED;
    }
    Instant now = clock.instant();
    flushed = false;
    lastChange = reply.lastChange();
    lastContact = now;
    lastCollect = now;
    apply(reply.configs());
    return PollOutcome.UPDATED;
  }

  private boolean withinGrace(Instant now) {
    Instant contact = lastContact;
    return contact != null && !now.isAfter(contact.plus(gracePeriod));
  }

  private boolean withinDegradedWindow(Instant now) {
    if (degradedDeadline.isZero()) {
      return true;
    }
    Instant since = lastCollect != null ? lastCollect : baseline;
    return !now.isAfter(since.plus(degradedDeadline));
  }

  /** Replaces the current set with {@code configs}, telling the listener what changed by digest. */
  private void apply(List<Config> configs) {
    Map<String, Config> next = new LinkedHashMap<>();
    for (Config c : configs) {
      String digest;
      try {
        digest = digester.apply(c);
      } catch (RuntimeException e) {
        LOG.warn("worker {}: cannot digest config {}, ignoring it: {}", identifier, c.checkName(), e.toString());
        continue;
      }
      next.putIfAbsent(digest, c);
    }
    Map<String, Config> previous = current;
    List<Config> removed = new ArrayList<>();
    previous.forEach((digest, c) -> {
      if (!next.containsKey(digest)) {
        removed.add(c);
        LOG.info("worker {}: unscheduled check {} (digest {})", identifier, c.checkName(), digest);
      }
    });
    List<Config> added = new ArrayList<>();
    for (Map.Entry<String, Config> e : next.entrySet()) {
      Config running = previous.get(e.getKey());
      if (running != null) {
        e.setValue(running); // same digest: the running check stays as it is
      } else {
        added.add(e.getValue());
        LOG.info("worker {}: scheduled check {} (digest {})", identifier, e.getValue().checkName(), e.getKey());
      }
    }
    current = Collections.unmodifiableMap(next);
    LOG.debug("worker {}: {} config(s) at last_change {} (+{} -{})", identifier, next.size(), lastChange,
        added.size(), removed.size());
    if (!removed.isEmpty()) {
      unscheduled.addAndGet(removed.size());
      notifyListener(false, removed);
    }
    if (!added.isEmpty()) {
      scheduled.addAndGet(added.size());
      notifyListener(true, added);
    }
  }

  private void notifyListener(boolean schedule, List<Config> configs) {
    List<Config> view = List.copyOf(configs);
    try {
      if (schedule) {
        listener.onScheduled(view);
      } else {
        listener.onUnscheduled(view);
      }
    } catch (RuntimeException e) {
      listenerErrors.incrementAndGet();
      LOG.error("worker {}: listener failed on {} {} config(s)", identifier, schedule ? "scheduling" : "unscheduling",
          view.size(), e);
    }
  }

  /**
   * One tick of the extra heartbeat: POSTs a {@code last_change} -1 status when both the last
   * successful contact (or the start, before any) and the last extra heartbeat are older than the
   * node expiration timeout minus 5 s. Returns whether it sent one.
   */
  boolean extraHeartbeatTick() {
    Instant now = clock.instant();
    Duration threshold = nodeExpirationTimeout.minus(EXTRA_HEARTBEAT_MARGIN);
    if (threshold.isNegative()) {
      threshold = Duration.ZERO;
    }
    Instant contact = lastContact != null ? lastContact : baseline;
    Instant extra = lastExtraHeartbeat;
    if (!isOlder(contact, now, threshold) || (extra != null && !isOlder(extra, now, threshold))) {
      return false;
    }
    lastExtraHeartbeat = now;
    extraHeartbeats.incrementAndGet();
    try {
      client.postStatus(identifier, new NodeStatus(NodeStatus.HEARTBEAT_ONLY, nodeType), extraHeartbeatTimeout);
      LOG.info("worker {}: sent an extra heartbeat, last contact {} s ago", identifier,
          Duration.between(contact, now).toSeconds());
    } catch (ClusterAgentException e) {
      extraHeartbeatErrors.incrementAndGet();
      LOG.warn("worker {}: extra heartbeat failed: {}", identifier, e.getMessage());
    }
    return true;
  }

  private static boolean isOlder(Instant then, Instant now, Duration threshold) {
    return Duration.between(then, now).compareTo(threshold) > 0;
  }

  private void scheduledPoll() {
    try {
      poll(true);
    } catch (RuntimeException | Error e) {
      // Never let an exception cancel the periodic task.
      LOG.error("worker {}: poll failed unexpectedly", identifier, e);
    }
  }

  private void scheduledHeartbeat() {
    try {
      extraHeartbeatTick();
    } catch (RuntimeException | Error e) {
      LOG.error("worker {}: extra heartbeat failed unexpectedly", identifier, e);
    }
  }

  public String identifier() {
    return identifier;
  }

  public NodeType nodeType() {
    return nodeType;
  }

  /** The {@code last_change} the next status will carry: the last one fetched, 0 before any or after a flush. */
  public long lastChange() {
    return lastChange;
  }

  /** The configs the worker runs, by digest, in the order the agent sent them. Immutable. */
  public Map<String, Config> currentConfigs() {
    return current;
  }

  /** When the agent last answered a status or config request successfully. */
  public Optional<Instant> lastSuccessfulContact() {
    return Optional.ofNullable(lastContact);
  }

  /** The outcome of the latest completed poll, empty before the first. */
  public Optional<PollOutcome> lastOutcome() {
    return Optional.ofNullable(lastOutcome);
  }

  public Stats stats() {
    return new Stats(polls.get(), statusOk.get(), statusErrors.get(), collects.get(), collectErrors.get(),
        flushes.get(), extraHeartbeats.get(), extraHeartbeatErrors.get(), scheduled.get(), unscheduled.get(),
        listenerErrors.get());
  }

  @Override
  public String toString() {
    return "ClusterChecksWorker[" + identifier + ", " + nodeType + ", " + current.size() + " config(s), last_change "
        + lastChange + "]";
  }

  /** Settings of a {@link ClusterChecksWorker}; every one but the client and identifier has a default. */
  public static final class Builder {
    private final ClusterAgentClient client;
    private final String identifier;
    private NodeType nodeType = NodeType.CLC_RUNNER;
    private WorkerListener listener = WorkerListener.NONE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private Duration degradedDeadline = DEFAULT_DEGRADED_DEADLINE;
    private Duration nodeExpirationTimeout = DEFAULT_NODE_EXPIRATION_TIMEOUT;
    private Duration extraHeartbeatPeriod = DEFAULT_EXTRA_HEARTBEAT_PERIOD;
    private Duration extraHeartbeatTimeout = DEFAULT_EXTRA_HEARTBEAT_TIMEOUT;
    private InstantSource clock = InstantSource.system();
    private ScheduledExecutorService executor;
    private Function<Config, String> digester = Digests::digest;

    private Builder(ClusterAgentClient client, String identifier) {
      this.client = Objects.requireNonNull(client, "client");
      Objects.requireNonNull(identifier, "identifier");
      if (identifier.isBlank()) {
        throw new IllegalArgumentException("the worker identifier is empty");
      }
      this.identifier = identifier;
    }

    /** {@link NodeType#CLC_RUNNER} (default) or {@link NodeType#NODE_AGENT}. */
    public Builder nodeType(NodeType type) {
      this.nodeType = Objects.requireNonNull(type, "nodeType");
      return this;
    }

    public Builder listener(WorkerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder pollInterval(Duration d) {
      this.pollInterval = positive(d, "poll interval");
      return this;
    }

    /** {@code grace_time_seconds}: how long failed status POSTs count as "up to date". */
    public Builder gracePeriod(Duration d) {
      this.gracePeriod = notNegative(d, "grace period");
      return this;
    }

    /** {@code degraded_deadline_minutes}: how long remote errors keep configs; zero means forever. */
    public Builder degradedDeadline(Duration d) {
      this.degradedDeadline = notNegative(d, "degraded deadline");
      return this;
    }

    /** The agent's {@code cluster_checks.node_expiration_timeout}; the extra heartbeat fires 5 s before it. */
    public Builder nodeExpirationTimeout(Duration d) {
      this.nodeExpirationTimeout = positive(d, "node expiration timeout");
      return this;
    }

    /** How often the extra heartbeat checks whether it must send (1 s). */
    public Builder extraHeartbeatPeriod(Duration d) {
      this.extraHeartbeatPeriod = positive(d, "extra heartbeat period");
      return this;
    }

    /** Total timeout of the extra heartbeat's POST (5 s). */
    public Builder extraHeartbeatTimeout(Duration d) {
      this.extraHeartbeatTimeout = positive(d, "extra heartbeat timeout");
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs polls and heartbeats on this executor (at least two threads) instead of a private
     * one. The worker never shuts it down.
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The config digest the diff uses; {@link Digests#digest(Config)} (the reference's digest) by default. */
    public Builder digester(Function<Config, String> digester) {
      this.digester = Objects.requireNonNull(digester, "digester");
      return this;
    }

    public ClusterChecksWorker build() {
      return new ClusterChecksWorker(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    private static Duration notNegative(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }
  }
}
