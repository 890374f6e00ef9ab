package io.clusterchecks.worker;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N simulated cluster check runners in one process, for demos and for the
 * {@code clusterchecks workers --count N --url URL --token T} command.
 *
 * <p>Workers are named {@code sim-worker-1} … {@code sim-worker-N}, report as CLC runners with
 * {@code X-Real-Ip: 127.0.0.1}, share one {@link ClusterAgentClient} and one thread pool, and log
 * the checks they are given. They run no checks: the fleet only shows where the agent dispatched
 * them. Stopping a worker simulates its death: it goes silent and the agent expires it.
 *
 * <pre>{@code
 * try (SimulatedWorkerFleet fleet = SimulatedWorkerFleet.builder(url, token).count(3).build()) {
 *   fleet.startAll();
 *   ...
 *   fleet.stop("sim-worker-2");
 *   Map<String, Set<String>> where = fleet.digestsByWorker();
 * }
 * }</pre>
 */
public final class SimulatedWorkerFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedWorkerFleet.class);

  public static final String DEFAULT_ID_PREFIX = "sim-worker-";
  public static final String SIMULATED_REAL_IP = "127.0.0.1";
  private static final AtomicInteger FLEETS = new AtomicInteger();

  private final Map<String, ClusterChecksWorker> workers;
  private final ScheduledThreadPoolExecutor executor;

  private SimulatedWorkerFleet(Builder b) {
    ClusterAgentClient client = b.client != null
        ? b.client
        : ClusterAgentClient.builder(b.url).token(b.token).realIp(SIMULATED_REAL_IP)
            .allowPlainHttp(b.allowPlainHttp).build();
    int fleetNo = FLEETS.incrementAndGet();
    AtomicInteger threadNo = new AtomicInteger();
    // Each poll blocks a thread for up to the request timeout; heartbeats need threads of their own.
    executor = new ScheduledThreadPoolExecutor(Math.min(b.count + 2, 64), r -> {
      Thread t = new Thread(r, "sim-fleet-" + fleetNo + "-" + threadNo.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    Map<String, ClusterChecksWorker> built = new LinkedHashMap<>();
    for (int i = 1; i <= b.count; i++) {
      String id = b.idPrefix + i;
      WorkerListener extra = b.listenerFactory == null ? WorkerListener.NONE : b.listenerFactory.apply(id);
      ClusterChecksWorker.Builder wb = ClusterChecksWorker.builder(client, id)
          .nodeType(NodeType.CLC_RUNNER)
          .pollInterval(b.pollInterval)
          .clock(b.clock)
          .executor(executor)
          .listener(new LoggingListener(id, built, Objects.requireNonNull(extra, "listener")));
      if (b.digester != null) {
        wb.digester(b.digester);
      }
      b.workerCustomizer.accept(wb);
      built.put(id, wb.build());
    }
    workers = Collections.unmodifiableMap(built);
  }

  /** A fleet talking to the cluster agent at {@code url} with the DCA token {@code token}. */
  public static Builder builder(String url, String token) {
    return new Builder(url, token, null);
  }

  /** A fleet sharing an existing client (its X-Real-Ip is used as is). */
  public static Builder builder(ClusterAgentClient client) {
    return new Builder(null, null, Objects.requireNonNull(client, "client"));
  }

  /** Starts every worker that is not running. */
  public void startAll() {
    workers.values().forEach(ClusterChecksWorker::start);
    LOG.info("fleet: {} simulated worker(s) running", runningIds().size());
  }

  /** Starts (or restarts) one worker. Returns false when no worker has that id. */
  public boolean start(String id) {
    ClusterChecksWorker w = workers.get(id);
    if (w == null) {
      return false;
    }
    w.start();
    return true;
  }

  /**
   * Stops one worker as if it died: no more status or heartbeat, so the agent expires it and
   * re-dispatches its checks. Returns false when no worker has that id.
   */
  public boolean stop(String id) {
    ClusterChecksWorker w = workers.get(id);
    if (w == null) {
      return false;
    }
    w.stop();
    LOG.info("fleet: {} stopped (simulating a dead worker)", id);
    return true;
  }

  public void stopAll() {
    workers.values().forEach(ClusterChecksWorker::stop);
  }

  /** Stops every worker and releases the threads. */
  @Override
  public void close() {
    workers.values().forEach(ClusterChecksWorker::close);
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

  /** Every worker id, in creation order. */
  public List<String> workerIds() {
    return List.copyOf(workers.keySet());
  }

  public List<String> runningIds() {
    return workers.values().stream().filter(ClusterChecksWorker::isRunning).map(ClusterChecksWorker::identifier)
        .toList();
  }

  public Optional<ClusterChecksWorker> worker(String id) {
    return Optional.ofNullable(workers.get(id));
  }

  public List<ClusterChecksWorker> workers() {
    return List.copyOf(workers.values());
  }

  /** Digests each running worker holds, by worker id (sorted); stopped workers are left out. */
  public Map<String, Set<String>> digestsByWorker() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (ClusterChecksWorker w : workers.values()) {
      if (w.isRunning()) {
        out.put(w.identifier(), Collections.unmodifiableSet(new java.util.TreeSet<>(w.currentConfigs().keySet())));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Configs (by digest) each running worker holds, by worker id (sorted); stopped workers are left out. */
  public Map<String, Map<String, Config>> configsByWorker() {
    Map<String, Map<String, Config>> out = new TreeMap<>();
    for (ClusterChecksWorker w : workers.values()) {
      if (w.isRunning()) {
        out.put(w.identifier(), w.currentConfigs());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Logs what a simulated worker was given, then passes the event on. */
  private static final class LoggingListener implements WorkerListener {
    private final String id;
    private final Map<String, ClusterChecksWorker> workers;
    private final WorkerListener next;

    LoggingListener(String id, Map<String, ClusterChecksWorker> workers, WorkerListener next) {
      this.id = id;
      this.workers = workers;
      this.next = next;
    }

    @Override
    public void onScheduled(List<Config> configs) {
      LOG.info("{}: now running {} [{}], {} check config(s) in total", id, plural(configs.size()), names(configs),
          total());
      next.onScheduled(configs);
    }

    @Override
    public void onUnscheduled(List<Config> configs) {
      LOG.info("{}: no longer running {} [{}], {} check config(s) in total", id, plural(configs.size()),
          names(configs), total());
      next.onUnscheduled(configs);
    }

    private int total() {
      ClusterChecksWorker w = workers.get(id);
      return w == null ? 0 : w.currentConfigs().size();
    }

    private static String plural(int n) {
      return n + (n == 1 ? " check config" : " check configs");
    }

    private static String names(List<Config> configs) {
      return configs.stream().map(Config::checkName).collect(Collectors.joining(", "));
    }
  }

  /** Settings of a {@link SimulatedWorkerFleet}. */
  public static final class Builder {
    private final String url;
    private final String token;
    private final ClusterAgentClient client;
    private int count = 1;
    private String idPrefix = DEFAULT_ID_PREFIX;
    private boolean allowPlainHttp;
    private Duration pollInterval = ClusterChecksWorker.DEFAULT_POLL_INTERVAL;
    private InstantSource clock = InstantSource.system();
    private Function<String, WorkerListener> listenerFactory;
    private Function<Config, String> digester;
    private Consumer<ClusterChecksWorker.Builder> workerCustomizer = b -> {};

    private Builder(String url, String token, ClusterAgentClient client) {
      this.url = url;
      this.token = token;
      this.client = client;
    }

    /** How many workers (1 to 1000). */
    public Builder count(int count) {
      if (count < 1 || count > 1000) {
        throw new IllegalArgumentException("worker count must be between 1 and 1000: " + count);
      }
      this.count = count;
      return this;
    }

    /** Worker ids are this prefix plus 1..N ({@value #DEFAULT_ID_PREFIX} by default). */
    public Builder idPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isBlank()) {
        throw new IllegalArgumentException("empty id prefix");
      }
      this.idPrefix = prefix;
      return this;
    }

    /** Accept an {@code http://} URL (local demos and tests). */
    public Builder allowPlainHttp(boolean allow) {
      this.allowPlainHttp = allow;
      return this;
    }

    public Builder pollInterval(Duration d) {
      this.pollInterval = Objects.requireNonNull(d, "pollInterval");
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** An extra listener per worker id (for example for a CLI to print events), after the logging one. */
    public Builder listenerFactory(Function<String, WorkerListener> factory) {
      this.listenerFactory = factory;
      return this;
    }

    /** Overrides the workers' config digest (default {@code Digests::digest}). */
    public Builder digester(Function<Config, String> digester) {
      this.digester = Objects.requireNonNull(digester, "digester");
      return this;
    }

    /** Last word on each worker's settings (grace period, node expiration timeout, …). */
    public Builder workerCustomizer(Consumer<ClusterChecksWorker.Builder> customizer) {
      this.workerCustomizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    public SimulatedWorkerFleet build() {
      if (client == null && (token == null || token.isBlank())) {
        throw new IllegalArgumentException("a cluster agent token is required");
      }
      return new SimulatedWorkerFleet(this);
    }
  }

  @Override
  public String toString() {
    List<String> running = new ArrayList<>(runningIds());
    return "SimulatedWorkerFleet[" + workers.size() + " worker(s), running " + running + "]";
  }
}
