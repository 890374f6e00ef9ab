package io.clusterchecks.simulator;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterChecksWorker;
import io.clusterchecks.worker.WorkerListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N simulated cluster check runners in one process, for demos, tests and for the
 * {@code clusterchecks workers --count N --url URL --token T} command.
 *
 * <p>Workers are named {@code sim-worker-1} … {@code sim-worker-N}, report as CLC runners, share
 * one connection pool and one thread pool, and log the checks they are given. They run no checks:
 * the fleet only shows where the agent dispatched them. Stopping a worker simulates its death: it
 * goes silent (runner API included) and the agent expires it.
 *
 * <h2>Runner stats API</h2>
 *
 * With {@link Builder#runnerApi(boolean)} each worker also serves the runner API the agent reads
 * check costs from (docs/reference/protocol.md section 6, {@link SimulatedRunnerApi}): {@code /stats} reports every
 * instance of every config the worker currently runs, keyed by its check ID
 * ({@link io.clusterchecks.core.config.CheckIds#checkIds(Config)}), with timings from
 * {@link Builder#runnerCosts(SyntheticCosts)}; {@code /workers} reports
 * {@link Builder#workersPerRunner(int)} check workers and their utilization.
 *
 * <p>The agent reaches a runner at {@code https://<X-Real-Ip>:<cluster_checks.clc_runners_port>}:
 * one port for all runners, told apart by their IP. So that several simulated runners can share
 * one machine, worker {@code i} (1-based) listens on its own loopback address, {@code 127.0.0.1 + i}
 * ({@code sim-worker-1} on 127.0.0.2, {@code sim-worker-2} on 127.0.0.3, …), all on the same port,
 * and sends that address as its {@code X-Real-Ip}. Linux answers on all of 127.0.0.0/8 without
 * setup; macOS only on 127.0.0.1 unless aliases are added ({@code ifconfig lo0 alias 127.0.0.2}).
 * {@link Builder#runnerAddresses(IntFunction)} picks other addresses; {@link Builder#runnerPort(int)}
 * the port (by default a free one, found once and used by every runner: {@link #runnerPort()}),
 * which is what the agent's {@code clc_runners_port} must be. Without the runner API the workers
 * advertise {@value #SIMULATED_REAL_IP} unless addresses are given.
 *
 * <pre>{@code
 * try (SimulatedWorkerFleet fleet = SimulatedWorkerFleet.builder(url, token).count(3)
 *     .runnerApi(true)
 *     .runnerCosts(SyntheticCosts.builder().checkName("kubernetes_state_core", Cost.of(4000)).build())
 *     .build()) {
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
  private final Map<String, SimulatedRunnerApi> runners;
  private final Map<String, String> addresses;
  private final ScheduledThreadPoolExecutor executor;
  private final InstantSource clock;
  private final Instant epoch;
  private final int runnerPort;
  private final SyntheticCosts costs;

  private SimulatedWorkerFleet(Builder b) {
    ClusterAgentClient client = b.client != null
        ? b.client
        : ClusterAgentClient.builder(b.url).token(b.token).realIp(SIMULATED_REAL_IP)
            .allowPlainHttp(b.allowPlainHttp).build();
    this.clock = b.clock;
    this.epoch = b.clock.instant();
    IntFunction<String> addressOf = b.runnerAddresses != null ? b.runnerAddresses
        : b.runnerApi ? SimulatedWorkerFleet::loopbackAddress : null;
    Map<String, String> addrs = new LinkedHashMap<>();
    if (addressOf != null) {
      for (int i = 1; i <= b.count; i++) {
        String a = addressOf.apply(i);
        if (a == null || a.isBlank()) {
          throw new IllegalArgumentException("no runner address for worker " + i);
        }
        addrs.put(b.idPrefix + i, a.strip());
      }
    }
    this.addresses = Collections.unmodifiableMap(addrs);
    this.runnerPort = b.runnerApi ? resolvePort(b.runnerPort, addrs.values()) : -1;
    SSLContext tls = b.runnerApi && b.runnerTls ? SimulatedRunnerApi.selfSignedTls("clc-runner") : null;
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
    Map<String, SimulatedRunnerApi> apis = new LinkedHashMap<>();
    String runnerToken = b.runnerToken != null ? b.runnerToken : b.token;
    for (int i = 1; i <= b.count; i++) {
      String id = b.idPrefix + i;
      WorkerListener extra = b.listenerFactory == null ? WorkerListener.NONE : b.listenerFactory.apply(id);
      String address = addrs.get(id);
      ClusterAgentClient own = address == null ? client : client.withRealIp(address);
      if (b.runnerApi) {
        int workerCount = b.workersPerRunner.applyAsInt(id);
        if (workerCount < 1) {
          throw new IllegalArgumentException("workers per runner must be positive: " + workerCount + " for " + id);
        }
        SimulatedRunnerApi.Builder rb = SimulatedRunnerApi.builder(runnerToken)
            .bindAddress(address)
            .port(runnerPort)
            .plainHttp(!b.runnerTls)
            .stats(() -> runnerStats(id))
            .workers(() -> runnerWorkers(id, workerCount));
        if (tls != null) {
          rb.sslContext(tls);
        }
        apis.put(id, rb.build());
      }
      ClusterChecksWorker.Builder wb = ClusterChecksWorker.builder(own, id)
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
    runners = Collections.unmodifiableMap(apis);
    costs = b.costs;
  }

  /** {@code 127.0.0.1 + i}: 127.0.0.2 for worker 1, …, 127.0.1.0 for worker 255. */
  static String loopbackAddress(int i) {
    int v = 0x7f000001 + i;
    return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
  }

  /** {@code port}, or a port free on every address when 0. */
  private static int resolvePort(int port, Collection<String> addresses) {
    if (port != 0) {
      return port;
    }
    IOException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      List<ServerSocket> held = new ArrayList<>();
      try {
        int found = -1;
        for (String a : addresses) {
          ServerSocket ss = new ServerSocket();
          held.add(ss);
          ss.bind(new InetSocketAddress(InetAddress.getByName(a), Math.max(found, 0)));
          found = ss.getLocalPort();
        }
        return found;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("invalid runner address: " + e.getMessage(), e);
      } catch (IOException e) {
        last = e;
      } finally {
        for (ServerSocket ss : held) {
          try {
            ss.close();
          } catch (IOException ignored) {
            // nothing to do
          }
        }
      }
    }
    throw new UncheckedIOException("no port free on every runner address " + addresses, last);
  }

  private Duration elapsed() {
    return Duration.between(epoch, clock.instant());
  }

  private Map<String, Config> configsOf(String id) {
    ClusterChecksWorker w = workers.get(id);
    return w == null ? Map.of() : w.currentConfigs();
  }

  private SimulatedRunnerApi.Workers runnerWorkers(String id, int count) {
    return SimulatedRunnerApi.Workers.even(count, costs.utilizationPerWorker(configsOf(id), elapsed(), count));
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
    runners.values().forEach(SimulatedRunnerApi::start);
    workers.values().forEach(ClusterChecksWorker::start);
    LOG.info("fleet: {} simulated worker(s) running", runningIds().size());
  }

  /** Starts (or restarts) one worker. Returns false when no worker has that id. */
  public boolean start(String id) {
    ClusterChecksWorker w = workers.get(id);
    if (w == null) {
      return false;
    }
    SimulatedRunnerApi api = runners.get(id);
    if (api != null) {
      api.start();
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
    SimulatedRunnerApi api = runners.get(id);
    if (api != null) {
      api.close();
    }
    LOG.info("fleet: {} stopped (simulating a dead worker)", id);
    return true;
  }

  public void stopAll() {
    workers.values().forEach(ClusterChecksWorker::stop);
    runners.values().forEach(SimulatedRunnerApi::close);
  }

  /** Stops every worker and releases the threads. */
  @Override
  public void close() {
    workers.values().forEach(ClusterChecksWorker::close);
    runners.values().forEach(SimulatedRunnerApi::close);
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

  /**
   * The port every runner API listens on (the agent's {@code cluster_checks.clc_runners_port}),
   * or -1 when the fleet serves no runner API.
   */
  public int runnerPort() {
    return runnerPort;
  }

  /** The address a worker advertises as {@code X-Real-Ip} and its runner API listens on. */
  public Optional<String> runnerAddress(String id) {
    return Optional.ofNullable(addresses.get(id));
  }

  /** A worker's runner API, to inspect it or to kill it alone ({@link SimulatedRunnerApi#close()}). */
  public Optional<SimulatedRunnerApi> runnerApi(String id) {
    return Optional.ofNullable(runners.get(id));
  }

  /**
   * What worker {@code id}'s runner reports on {@code /stats} now: every instance of every config
   * it runs, keyed by check ID. Empty for an unknown id.
   */
  public Map<String, CheckStats> runnerStats(String id) {
    return costs.statsFor(configsOf(id), elapsed(), clock.millis());
  }

  /** Digests each running worker holds, by worker id (sorted); stopped workers are left out. */
  public Map<String, Set<String>> digestsByWorker() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (ClusterChecksWorker w : workers.values()) {
      if (w.isRunning()) {
        out.put(w.identifier(), Collections.unmodifiableSet(new TreeSet<>(w.currentConfigs().keySet())));
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
    private boolean runnerApi;
    private SyntheticCosts costs = SyntheticCosts.uniform();
    private ToIntFunction<String> workersPerRunner = id -> 4;
    private String runnerToken;
    private int runnerPort;
    private boolean runnerTls = true;
    private IntFunction<String> runnerAddresses;

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

    /** Serve the runner stats API from every worker (off by default); see the class comment. */
    public Builder runnerApi(boolean on) {
      this.runnerApi = on;
      return this;
    }

    /** What the simulated checks cost ({@link SyntheticCosts#uniform()} by default). */
    public Builder runnerCosts(SyntheticCosts costs) {
      this.costs = Objects.requireNonNull(costs, "costs");
      return this;
    }

    /** The check workers every runner reports on {@code /workers} (4, the agent's default). */
    public Builder workersPerRunner(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("workers per runner must be positive: " + n);
      }
      this.workersPerRunner = id -> n;
      return this;
    }

    /** The check workers of each runner, by worker id. */
    public Builder workersPerRunner(ToIntFunction<String> byWorkerId) {
      this.workersPerRunner = Objects.requireNonNull(byWorkerId, "byWorkerId");
      return this;
    }

    /** The token the runner API expects; the fleet's cluster agent token by default. */
    public Builder runnerToken(String token) {
      this.runnerToken = token;
      return this;
    }

    /** The one port every runner listens on; 0 (default) finds one free on every runner address. */
    public Builder runnerPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("invalid port: " + port);
      }
      this.runnerPort = port;
      return this;
    }

    /** HTTPS with a self-signed certificate (true, the default) or plain HTTP. */
    public Builder runnerTls(boolean tls) {
      this.runnerTls = tls;
      return this;
    }

    /**
     * The address of worker {@code i} (1-based): sent as its {@code X-Real-Ip}, and where its runner
     * API listens. Default with the runner API: {@code 127.0.0.1 + i}.
     */
    public Builder runnerAddresses(IntFunction<String> byIndex) {
      this.runnerAddresses = Objects.requireNonNull(byIndex, "byIndex");
      return this;
    }

    public SimulatedWorkerFleet build() {
      if (client == null && (token == null || token.isBlank())) {
        throw new IllegalArgumentException("a cluster agent token is required");
      }
      if (runnerApi && (runnerToken != null ? runnerToken : token) == null) {
        throw new IllegalArgumentException("the runner API needs a token: set runnerToken");
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
