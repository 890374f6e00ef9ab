package io.clusterchecks.server.api;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.dispatch.NodeConfigs;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StatusResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a replica warm before it leads: a follower forwards every worker request, so the code
 * that answers them (token check, identifier check, status decoding, the dispatcher's status and
 * configs paths, the prepared configs answer, the request counter) never runs until it becomes
 * leader, exactly when every worker turns to it. This drives that code in-process, the way a
 * fleet of workers would (statuses echoing the last token, a fetch when told to, placements that
 * change now and then), so the JIT compiles it.
 *
 * <p>It touches nothing real: its dispatcher, registries and token are its own and dropped
 * afterwards; its thread logs nothing but one debug line at the end. It runs once, at start, on a
 * daemon thread of minimum priority, for at most {@code maxRequests} requests or {@code budget},
 * pausing between batches so it never holds a core, and stops between batches once it is no longer
 * wanted (the replica leads: then real workers' requests warm the same code, and the warm-up would
 * only take CPU from them).
 */
public final class WorkerPathWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPathWarmup.class);
  /** Enough for the JIT's top tier on every method of the path (its thresholds are about 10^4 calls). */
  public static final int DEFAULT_REQUESTS = 200_000;
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);
  private static final int WORKERS = 64;
  private static final int CONFIGS = 640;
  private static final int BATCH = 2_000;
  private static final Duration PAUSE = Duration.ofMillis(5);

  /** What one warm-up did. */
  public record Result(long statuses, long fetches, long upToDate, Duration took) {}

  private WorkerPathWarmup() {}

  /**
   * Starts the warm-up on a background thread with the default bounds.
   *
   * @param wanted asked between batches; the warm-up ends when it says false
   */
  public static Thread startInBackground(BooleanSupplier wanted) {
    Thread t = new Thread(() -> {
      try {
        run(DEFAULT_REQUESTS, DEFAULT_BUDGET, wanted);
      } catch (RuntimeException e) {
        LOG.debug("Worker-route warm-up stopped: {}", e.toString());
      }
    }, "clusterchecks-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }

  /** Runs the warm-up on the calling thread: at most {@code maxRequests} statuses, or {@code budget}. */
  public static Result run(int maxRequests, Duration budget) {
    return run(maxRequests, budget, () -> true);
  }

  /** As {@link #run(int, Duration)}, ending early once {@code wanted} says false (asked between batches). */
  public static Result run(int maxRequests, Duration budget, BooleanSupplier wanted) {
    long t0 = System.nanoTime();
    Result r;
    try (QuietThreadFilter quiet = QuietThreadFilter.silenceCurrentThread()) {
      r = drive(maxRequests, t0 + budget.toNanos(), wanted);
    }
    r = new Result(r.statuses(), r.fetches(), r.upToDate(), Duration.ofNanos(System.nanoTime() - t0));
    LOG.debug("Worker-route warm-up: {} statuses, {} configs answers in {} ms", r.statuses(), r.fetches(),
        r.took().toMillis());
    return r;
  }

  private static Result drive(int maxRequests, long deadlineNanos, BooleanSupplier wanted) {
    // The real clock, as the agent's dispatcher has, so the compiled status path fits both; a
    // manual scheduler, so every dispatch task runs on this (silenced) thread and no timer fires.
    ManualTime tasks = new ManualTime();
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    BearerTokenAuth auth = new BearerTokenAuth(token);
    String authorization = "Bearer " + token;
    ApiMetrics metrics = new ApiMetrics(new SimpleMeterRegistry());
    ApiMetrics.Route statusMeters = metrics.route("postCheckStatus");
    ApiMetrics.Route configsMeters = metrics.route("getCheckConfigs");
    byte[] upToDateAnswer = ConfigCodec.toJson(new StatusResponse(true));
    long statuses = 0;
    long fetches = 0;
    long upToDate = 0;
    try (Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
        InstantSource.system(), tasks, new SimpleMeterRegistry())) {
      WorkerAnswers answers = new WorkerAnswers(dispatcher);
      dispatcher.start();
      tasks.advance(Duration.ZERO);
      long[] lastChange = new long[WORKERS];
      List<Config> configs = new ArrayList<>();
      for (int i = 0; i < CONFIGS; i++) {
        configs.add(config(i));
      }
      int round = 0;
      while (statuses < maxRequests && System.nanoTime() < deadlineNanos && wanted.getAsBoolean()) {
        for (int b = 0; b < BATCH && statuses < maxRequests; b++) {
          int w = (int) (statuses % WORKERS);
          String node = "warmup-worker-" + w;
          if (w == 0) {
            round++;
            churn(dispatcher, configs, round);
          }
          long started = System.nanoTime();
          String path = WorkerRoutesHandler.STATUS_PREFIX + node;
          auth.check(authorization);
          String id = NodeIdentifiers.require(WorkerRoutesHandler.plainIdentifier(path, WorkerRoutesHandler.STATUS_PREFIX));
          byte[] body = ("{\"last_change\":" + lastChange[w] + ",\"node_type\":" + NodeType.CLC_RUNNER.code() + "}")
              .getBytes(StandardCharsets.UTF_8);
          byte[] answer = answers.status(id, "127.0.0.1", body);
          statusMeters.request(200, System.nanoTime() - started);
          statuses++;
          if (Arrays.equals(answer, upToDateAnswer)) {
            upToDate++;
            continue;
          }
          started = System.nanoTime();
          auth.check(authorization);
          String fetchPath = WorkerRoutesHandler.CONFIGS_PREFIX + node;
          byte[] json = answers.configs(NodeIdentifiers.require(
              WorkerRoutesHandler.plainIdentifier(fetchPath, WorkerRoutesHandler.CONFIGS_PREFIX)));
          configsMeters.request(200, System.nanoTime() - started);
          fetches++;
          if (json.length > 0) {
            lastChange[w] = dispatcher.nodeConfigs(id).map(NodeConfigs::lastChange).orElse(0L);
          }
        }
        pause();
      }
    }
    return new Result(statuses, fetches, upToDate, Duration.ZERO);
  }

  /**
   * The configs arrive once every worker has reported (round 2: no arrival window to wait for);
   * then placements change as in a live fleet: every few rounds a config leaves and comes back,
   * so some workers are told they are not up to date and fetch.
   */
  private static void churn(Dispatcher dispatcher, List<Config> configs, int round) {
    if (round == 2) {
      dispatcher.schedule(configs);
    } else if (round % 4 == 0) {
      Config c = configs.get(round % configs.size());
      dispatcher.unschedule(List.of(c));
      dispatcher.schedule(List.of(c));
    }
  }

  private static Config config(int i) {
    return Config.builder("http_check").clusterCheck(true)
        .instanceYaml("name: warmup-" + i + "\nurl: http://127.0.0.1:" + (1024 + i) + "/health\ntimeout: 5\n")
        .initConfigYaml("{}").provider("file").source("file:warmup").build();
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
