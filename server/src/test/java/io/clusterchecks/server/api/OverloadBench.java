package io.clusterchecks.server.api;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The worker API driven far past its capacity, on the real clock, with and without priority
 * admission (the same server with a low-priority limit above any load, which admits everything).
 * {@code workers} workers post status every second while {@code flood} keep-alive TLS connections
 * ask for the state view, configs and version without pause; the node expiration timeout is 5 s
 * (scaled down from 30 s so that a run of {@code seconds} spans several timeouts). Counted: false
 * expiries (every worker is alive), heartbeats not answered 200, the slowest heartbeat, and the
 * flood's answers by status. Run (docs/benchmarks.md, "Overload"):
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/clusterchecks.jar \
 *   io.clusterchecks.server.api.OverloadBench [workers] [flood] [seconds]
 * </pre>
 */
public final class OverloadBench {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef-overload";
  private static final Duration EXPIRY = Duration.ofSeconds(5);

  private OverloadBench() {}

  public static void main(String[] args) throws Exception {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int flood = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    System.out.printf(Locale.ROOT, "workers=%d (status every 1 s, expiry %d s) flood=%d connections seconds=%d cores=%d%n",
        workers, EXPIRY.toSeconds(), flood, seconds, Runtime.getRuntime().availableProcessors());
    run("without admission (limit 1000000)", 1_000_000, workers, flood, seconds);
    run("with admission (limit " + PriorityAdmission.DEFAULT_LOW_PRIORITY_LIMIT + ")",
        PriorityAdmission.DEFAULT_LOW_PRIORITY_LIMIT, workers, flood, seconds);
  }

  private static void run(String name, int limit, int workers, int flood, int seconds) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TaskScheduler scheduler = TaskScheduler.singleThread("overload-dispatch");
    Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO)
        .withArrivalWindow(Duration.ZERO).withNodeExpirationTimeout(EXPIRY), InstantSource.system(), scheduler, registry);
    ApiServer api = new ApiServer(dispatcher, ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0),
        registry).lowPriorityLimit(limit).start();
    dispatcher.start();
    while (!dispatcher.isLeading() || dispatcher.isWarmingUp()) {
      Thread.onSpinWait();
    }
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    AtomicLong failed = new AtomicLong();
    LongAccumulator slowest = new LongAccumulator(Math::max, 0);
    List<Thread> beating = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      byte[] status = KeepAliveClient.request("POST", "/api/v1/clusterchecks/status/worker-" + i, TOKEN,
          "{\"last_change\":-1,\"node_type\":1}".getBytes(StandardCharsets.UTF_8));
      Thread t = new Thread(() -> {
        try (KeepAliveClient c = new KeepAliveClient("127.0.0.1", api.port(), true, 10_000)) {
          long next = System.nanoTime();
          while (next < end) {
            long started = System.nanoTime();
            try {
              if (c.exchange(status).status() != 200) {
                failed.incrementAndGet();
              }
            } catch (IOException e) {
              failed.incrementAndGet();
            }
            slowest.accumulate(System.nanoTime() - started);
            next += 1_000_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
              java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
          }
        }
      }, "worker-" + i);
      t.start();
      beating.add(t);
    }
    // Let every worker register, then give them configs to keep (so a false expiry moves some).
    while (dispatcher.stats().nodeCount() < workers) {
      Thread.onSpinWait();
    }
    List<Config> configs = new ArrayList<>();
    for (int i = 0; i < 4 * workers; i++) {
      configs.add(Config.builder("http_check").clusterCheck(true).instanceYaml("url: http://c" + i + "/\n").build());
    }
    dispatcher.schedule(configs);
    String[] paths = {"/api/v1/clusterchecks", "/api/v1/clusterchecks/configs/worker-0", "/version"};
    LoadGenerator load = new LoadGenerator("flood", api.port(), true, flood,
        i -> KeepAliveClient.request("GET", paths[i % paths.length], TOKEN, new byte[0]),
        () -> System.nanoTime() < end).start();
    for (Thread t : beating) {
      t.join();
    }
    load.join();
    double expired = registry.get("cluster_checks_nodes_expired").counter().count();
    System.out.printf(Locale.ROOT, "%s: false expiries %.0f, heartbeats not answered 200: %d, slowest heartbeat %d ms,"
        + " flood answers by status %s%n", name, expired, failed.get(), slowest.get() / 1_000_000, load.counts());
    api.close();
    dispatcher.stop();
    scheduler.close();
    registry.close();
  }

}
