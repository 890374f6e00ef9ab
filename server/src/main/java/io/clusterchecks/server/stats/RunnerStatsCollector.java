package io.clusterchecks.server.stats;

import io.clusterchecks.core.dispatch.RunnerTarget;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.worker.InsecureTls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of the runner stats API (docs/reference/protocol.md section 6; docs/reference/dispatcher.md section 9): asks every runner what its
 * checks cost, all runners at once, without blocking the caller.
 *
 * <p>For each {@link RunnerTarget} (a node and its {@code X-Real-Ip}, as
 * {@link io.clusterchecks.core.dispatch.Dispatcher#runnerTargets()} lists them) it GETs {@code https://<ip>:<clc_runners_port>/api/v1/clcrunner/stats}
 * and {@code .../workers} with {@code Authorization: Bearer <token>}, TLS verification off (as the
 * reference), a 2 s timeout per node covering connect, TLS, headers and body. A node's collection
 * fails, and {@code cluster_checks_failed_stats_collection{node, join_leader="true"}} goes up, when
 * its IP is empty (no request is made), or {@code /stats} answers anything but a 200 with a
 * well-typed JSON object no larger than the body limit (8 MiB), or does not answer in time. A
 * failing {@code /workers} is not a failure: the runner counts as having 4 workers (docs/reference/protocol.md section 6). The
 * empty check ID is dropped, as the reference does.
 *
 * <p>A failed node keeps its last good stats (with their original {@link RunnerStats#collectedAtMillis()})
 * for {@link Builder#keepLastGoodFor(Duration)}; after that it is left out of the result. Nodes
 * not in the target list of a collection are forgotten, their failure series included.
 *
 * <p>Logging is one line per condition and collection at most, never per node or check
 * ({@link RoundLog}): a warning naming how many nodes started failing (or fail differently) for
 * one reason, with a few of them, and an info line for the nodes that answer again; per node only
 * at debug. A fleet of 10,000 workers that send no {@code X-Real-Ip} gives one line, not 10,000. The token is never logged. No exception escapes a collection: the returned future
 * always completes normally. It completes on an HTTP client thread (or, when no request was
 * needed, on the calling thread); callers that must act on their own thread should hop with
 * {@code thenAcceptAsync(..., theirExecutor)}. The
 * {@code cluster_checks_updating_stats_duration_seconds} gauge holds the duration of the last
 * completed collection.
 *
 * <p>Thread-safe. Overlapping collections are allowed; for each node the newest stats win.
 */
public final class RunnerStatsCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerStatsCollector.class);

  public static final String STATS_PATH = "/api/v1/clcrunner/stats";
  public static final String WORKERS_PATH = "/api/v1/clcrunner/workers";
  /** {@code cluster_checks.clc_runners_port}. */
  public static final int DEFAULT_PORT = 5005;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;
  /** Three default rebalance periods ({@code cluster_checks.rebalance_period}, 10 min). */
  public static final Duration DEFAULT_KEEP_LAST_GOOD = Duration.ofMinutes(30);

  static final String FAILED_COUNTER = "cluster_checks_failed_stats_collection";
  static final String DURATION_GAUGE = "cluster_checks_updating_stats_duration_seconds";
  /** Ours: how old each runner's last good stats are; grows while its collection fails. */
  static final String AGE_GAUGE = "cluster_checks_runner_stats_age_seconds";
  private static final Tags LEADER = Tags.of("join_leader", "true");
  private static final AtomicInteger POOLS = new AtomicInteger();

  /**
   * What one collection found.
   *
   * @param stats by node: fresh stats, or the last good ones of a node that failed now but not for
   *     too long; nodes with neither are absent
   * @param failures by node: why this collection failed for it (whether or not older stats were kept)
   * @param took how long the collection took
   */
  public record Outcome(Map<String, RunnerStats> stats, Map<String, String> failures, Duration took) {
    public Outcome {
      stats = Collections.unmodifiableMap(new TreeMap<>(stats));
      failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    }
  }

  /** Why a node's collection failed, in words for the log. */
  private static final class Failure extends Exception {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param news for the round's summary: the node started failing or fails differently
   *     ({@code failure} set), or answers again after failing ({@code failure} null); false when
   *     nothing changed for it
   */
  private record NodeResult(RunnerTarget target, RunnerStats stats, String failure, boolean news) {}

  /** The token sent, asked at every request: a token file may rotate it. */
  private final Supplier<String> token;
  private final int port;
  private final String scheme;
  private final Duration timeout;
  private final long maxBodyBytes;
  private final Duration keepLastGood;
  private final boolean fetchWorkers;
  private final InstantSource clock;
  private final MeterRegistry registry;
  private final ExecutorService executor;
  private final HttpClient http;

  private final Map<String, RunnerStats> lastGood = new ConcurrentHashMap<>();
  private final Map<String, String> failing = new ConcurrentHashMap<>();
  private final Map<String, Counter> failedCounters = new ConcurrentHashMap<>();
  private final Map<String, Gauge> ageGauges = new ConcurrentHashMap<>();
  private final AtomicLong lastDurationNanos = new AtomicLong();
  private final Gauge durationGauge;
  private volatile boolean closed;

  private RunnerStatsCollector(Builder b) {
    this.token = b.tokenSource;
    this.port = b.port;
    this.scheme = b.tls ? "https" : "http";
    this.timeout = b.timeout;
    this.maxBodyBytes = b.maxBodyBytes;
    this.keepLastGood = b.keepLastGood;
    this.fetchWorkers = b.fetchWorkers;
    this.clock = b.clock;
    this.registry = b.registry;
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())),
        r -> {
          Thread t = new Thread(r, "runner-stats-" + pool + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(InsecureTls.trustAllContext())
        .executor(executor)
        .build();
    this.durationGauge = Gauge.builder(DURATION_GAUGE, lastDurationNanos, n -> n.get() / 1e9)
        .description("Duration of the last runner stats collection").baseUnit("seconds").tags(LEADER)
        .register(registry);
  }

  /** A collector presenting {@code token} (the cluster agent's {@code auth_token}) to the runners. */
  public static Builder builder(String token) {
    return new Builder(token);
  }

  /**
   * As {@link #collectOutcome(Collection)}, the stats only. Fits
   * {@code BalancingLoop.StatsSource}: {@code new BalancingLoop(dispatcher, collector::collect, ...)}.
   */
  public CompletableFuture<Map<String, RunnerStats>> collect(Collection<RunnerTarget> targets) {
    return collectOutcome(targets).thenApply(Outcome::stats);
  }

  /**
   * Asks every target at once and returns immediately. {@code targets} is the whole set of nodes:
   * nodes absent from it are forgotten. The future never completes exceptionally.
   *
   * @throws IllegalStateException when the collector is closed
   */
  public CompletableFuture<Outcome> collectOutcome(Collection<RunnerTarget> targets) {
    if (closed) {
      throw new IllegalStateException("the runner stats collector is closed");
    }
    long started = System.nanoTime();
    Map<String, RunnerTarget> byNode = new LinkedHashMap<>();
    for (RunnerTarget t : targets) {
      if (t == null || t.node() == null || t.node().isEmpty()) {
        LOG.debug("runner stats: ignoring a target without a node name");
        continue;
      }
      byNode.put(t.node(), new RunnerTarget(t.node(), t.ip() == null ? "" : t.ip().strip()));
    }
    forgetAllBut(byNode.keySet());
    List<CompletableFuture<NodeResult>> pending = new ArrayList<>(byNode.size());
    for (RunnerTarget t : byNode.values()) {
      pending.add(fetchNode(t));
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .handle((ignored, error) -> {
          Map<String, RunnerStats> stats = new LinkedHashMap<>();
          Map<String, String> failures = new LinkedHashMap<>();
          long now = clock.millis();
          RoundLog round = new RoundLog();
          for (CompletableFuture<NodeResult> f : pending) {
            NodeResult r = f.getNow(null); // every node future completes normally, see fetchNode
            if (r == null) {
              continue;
            }
            if (r.news()) {
              round.add(r.target().node() + " (" + shown(r.target()) + ")", r.failure());
            }
            if (r.failure() == null) {
              stats.put(r.target().node(), r.stats());
            } else {
              failures.put(r.target().node(), r.failure());
              RunnerStats kept = lastGood.get(r.target().node());
              if (kept != null && now - kept.collectedAtMillis() <= keepLastGood.toMillis()) {
                stats.put(r.target().node(), kept);
              }
            }
          }
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          lastDurationNanos.set(took.toNanos());
          round.write(LOG);
          LOG.debug("runner stats: {} node(s) asked, {} failed, in {} ms", pending.size(), failures.size(),
              took.toMillis());
          return new Outcome(stats, failures, took);
        });
  }

  /** The last good stats of {@code node}, however old. */
  public Optional<RunnerStats> lastGood(String node) {
    return Optional.ofNullable(lastGood.get(node));
  }

  /**
   * Stops the collector's threads (collections in flight fail their remaining nodes) and removes
   * its series from the registry, so that a new collector can register them.
   */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    registry.remove(durationGauge);
    failedCounters.values().forEach(registry::remove);
    failedCounters.clear();
    ageGauges.values().forEach(registry::remove);
    ageGauges.clear();
  }

  private void forgetAllBut(Set<String> nodes) {
    Set<String> known = new HashSet<>(lastGood.keySet());
    known.addAll(failing.keySet());
    known.addAll(failedCounters.keySet());
    for (String node : known) {
      if (!nodes.contains(node)) {
        lastGood.remove(node);
        failing.remove(node);
        Counter c = failedCounters.remove(node);
        if (c != null) {
          registry.remove(c);
        }
        Gauge age = ageGauges.remove(node);
        if (age != null) {
          registry.remove(age);
        }
      }
    }
  }

  /** One node: /stats and /workers side by side. Always completes normally. */
  private CompletableFuture<NodeResult> fetchNode(RunnerTarget t) {
    try {
      if (t.ip().isEmpty()) {
        return CompletableFuture.completedFuture(failed(t, "no IP known for the node (empty X-Real-Ip)"));
      }
      URI statsUri;
      URI workersUri;
      try {
        statsUri = new URI(scheme, null, t.ip(), port, STATS_PATH, null, null);
        workersUri = new URI(scheme, null, t.ip(), port, WORKERS_PATH, null, null);
        if (statsUri.getHost() == null) {
          throw new URISyntaxException(t.ip(), "not a host");
        }
      } catch (URISyntaxException | IllegalArgumentException e) {
        return CompletableFuture.completedFuture(failed(t, "invalid IP '" + RunnerAnswers.printable(t.ip()) + "'"));
      }
      CompletableFuture<Map<String, CheckStats>> stats = get(statsUri).thenApply(body -> {
        try {
          return RunnerAnswers.stats(body);
        } catch (IOException e) {
          throw new CompletionException(new Failure("invalid stats answer: " + RunnerAnswers.firstLine(e.getMessage())));
        }
      });
      CompletableFuture<Integer> workers = !fetchWorkers
          ? CompletableFuture.completedFuture(RunnerStats.DEFAULT_WORKERS)
          : get(workersUri).thenApply(body -> {
            try {
              return RunnerAnswers.workers(body);
            } catch (IOException e) {
              throw new CompletionException(new Failure("invalid workers answer: "
                  + RunnerAnswers.firstLine(e.getMessage())));
            }
          }).exceptionally(e -> {
            LOG.debug("runner stats: node {} ({}): {}; assuming {} workers", t.node(), shown(t), describe(e),
                RunnerStats.DEFAULT_WORKERS);
            return RunnerStats.DEFAULT_WORKERS;
          });
      return stats.thenCombine(workers, (s, w) -> succeeded(t, s, w))
          .exceptionally(e -> failed(t, describe(e)));
    } catch (RuntimeException e) {
      // e.g. the executor refused work because the collector was closed meanwhile
      return CompletableFuture.completedFuture(failed(t, describe(e)));
    }
  }

  /** One GET with the token, a 200 required, the body capped, the whole exchange within the timeout. */
  private CompletableFuture<byte[]> get(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Authorization", "Bearer " + token.get())
        .header("Accept", "application/json")
        .GET()
        .build();
    CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, info -> {
      long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      return new CappedBodySubscriber(info.statusCode() == 200 ? maxBodyBytes : -1, announced);
    });
    CompletableFuture<byte[]> body = sent.thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new CompletionException(new Failure("HTTP " + r.statusCode() + " from " + uri.getPath()));
      }
      return r.body();
    });
    // The client's own timeout stops at the headers; this one also bounds a body that trickles.
    return body.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
      if (e != null) {
        sent.cancel(true);
      }
    });
  }

  private NodeResult succeeded(RunnerTarget t, Map<String, CheckStats> stats, int workers) {
    RunnerStats s = new RunnerStats(t.node(), stats, workers, clock.millis());
    lastGood.merge(t.node(), s, (old, now) -> now.collectedAtMillis() >= old.collectedAtMillis() ? now : old);
    if (!closed) {
      ageGauges.computeIfAbsent(t.node(), n -> Gauge.builder(AGE_GAUGE, () -> ageSeconds(n))
          .description("Age of the last runner stats collected from a worker").baseUnit("seconds")
          .tags(LEADER).tag("node", n).register(registry));
    }
    String was = failing.remove(t.node());
    if (was != null) {
      LOG.debug("runner stats: node {} ({}) answers again: {} check(s), {} worker(s)", t.node(), shown(t), stats.size(),
          workers);
    }
    return new NodeResult(t, s, null, was != null);
  }

  private double ageSeconds(String node) {
    RunnerStats s = lastGood.get(node);
    return s == null ? Double.NaN : Math.max(0, clock.millis() - s.collectedAtMillis()) / 1000.0;
  }

  private NodeResult failed(RunnerTarget t, String reason) {
    if (!closed) {
      failedCounters.computeIfAbsent(t.node(), n -> Counter.builder(FAILED_COUNTER)
          .description("Runner stats collections that failed").tags(LEADER).tag("node", n).register(registry))
          .increment();
    }
    String previous = failing.put(t.node(), reason);
    RunnerStats kept = lastGood.get(t.node());
    String keeping = kept == null ? "no earlier stats"
        : "keeping stats from " + Math.max(0, (clock.millis() - kept.collectedAtMillis()) / 1000) + " s ago";
    boolean news = !reason.equals(previous);
    LOG.debug("runner stats: cannot collect from node {} ({}): {} ({}{})", t.node(), shown(t), reason, keeping,
        news ? "" : ", still failing");
    return new NodeResult(t, null, reason, news);
  }

  static String shown(RunnerTarget t) {
    return t.ip().isEmpty() ? "no IP" : RunnerAnswers.printable(t.ip());
  }

  /** A short reason for the log: never a header, never a body. */
  static String describe(Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof Failure) {
      return c.getMessage();
    }
    if (c instanceof TimeoutException || c instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    if (c instanceof CappedBodySubscriber.TooLarge) {
      return c.getMessage();
    }
    if (c instanceof ConnectException) {
      return "connection refused or unreachable";
    }
    if (c instanceof javax.net.ssl.SSLException) {
      return "TLS failure: " + RunnerAnswers.firstLine(c.getMessage());
    }
    if (c instanceof CancellationException
        || c instanceof RejectedExecutionException) {
      return "collector closed";
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + RunnerAnswers.firstLine(m));
  }

  @Override
  public String toString() {
    return "RunnerStatsCollector[" + scheme + " port " + port + ", timeout " + timeout + "]";
  }

  /** Settings of a {@link RunnerStatsCollector}; all but the token have defaults. */
  public static final class Builder {
    private Supplier<String> tokenSource;
    private int port = DEFAULT_PORT;
    private boolean tls = true;
    private Duration timeout = DEFAULT_TIMEOUT;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration keepLastGood = DEFAULT_KEEP_LAST_GOOD;
    private boolean fetchWorkers = true;
    private InstantSource clock = InstantSource.system();
    private MeterRegistry registry = new SimpleMeterRegistry();

    private Builder(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("the runner stats API needs the cluster agent token");
      }
      if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("the token contains characters not allowed in a header");
      }
      this.tokenSource = () -> token;
    }

    /**
     * The token to send, asked at every request instead of the one given to {@link #builder}, so
     * a rotated token (read from {@code cluster_agent.auth_token_file}) is used from then on. The
     * supplier must return tokens valid in a header, as the builder's is.
     */
    public Builder rotatingToken(Supplier<String> current) {
      this.tokenSource = Objects.requireNonNull(current, "current");
      return this;
    }

    /** {@code cluster_checks.clc_runners_port} (5005): the one port every runner listens on. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("invalid port: " + port);
      }
      this.port = port;
      return this;
    }

    /** HTTPS (true, the default and the reference's only choice) or plain HTTP. */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** Per node, for the whole exchange (2 s). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("timeout must be at least 1 ms: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The largest answer read (8 MiB); a larger one fails the node. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("body limit must be positive: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How long a failing node keeps its last good stats (30 min, 3 rebalance periods). */
    public Builder keepLastGoodFor(Duration d) {
      Objects.requireNonNull(d, "keepLastGoodFor");
      if (d.isNegative()) {
        throw new IllegalArgumentException("must not be negative: " + d);
      }
      this.keepLastGood = d;
      return this;
    }

    /** Whether to ask {@code /workers} (true); without it every runner counts as 4 workers. */
    public Builder fetchWorkers(boolean fetch) {
      this.fetchWorkers = fetch;
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the failure counter and duration gauge go (a private registry by default). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    public RunnerStatsCollector build() {
      return new RunnerStatsCollector(this);
    }
  }
}
