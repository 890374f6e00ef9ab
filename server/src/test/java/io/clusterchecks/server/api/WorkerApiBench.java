package io.clusterchecks.server.api;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;

/**
 * Worker API throughput against the ceiling of the stack, side by side in one process: a bare
 * Jetty 12 TLS endpoint (token check, constant answer) and the agent's status or configs route,
 * both over keep-alive TLS from the same client, rounds alternating. Prints requests per second
 * and the ratio agent / bare per round. Run (docs/benchmarks.md, "Worker API against bare Jetty"):
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/clusterchecks.jar \
 *   io.clusterchecks.server.api.WorkerApiBench [route status|configs] [connections] [seconds] [rounds]
 * </pre>
 */
public final class WorkerApiBench {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef-bench";

  private WorkerApiBench() {}

  public static void main(String[] args) throws Exception {
    String route = args.length > 0 ? args[0] : "status";
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TaskScheduler scheduler = TaskScheduler.singleThread("bench-dispatch");
    // Registered once, never expired: the configs route is measured without heartbeats.
    Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO)
        .withNodeExpirationTimeout(Duration.ofHours(1)),
        InstantSource.system(), scheduler, registry);
    ApiServer api = new ApiServer(dispatcher,
        ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0), registry).start();
    dispatcher.start();
    while (!dispatcher.isLeading() || dispatcher.isWarmingUp()) {
      Thread.onSpinWait();
    }
    try (BareJettyEndpoint bare = new BareJettyEndpoint(TOKEN)) {
      // Register one worker per connection, so configs answers a known node.
      for (int i = 0; i < connections; i++) {
        try (KeepAliveClient c = new KeepAliveClient("127.0.0.1", api.port(), true, 10_000)) {
          c.exchange(status("bench-worker-" + i));
        }
      }
      java.util.function.IntFunction<byte[]> agentRequest = i -> route.equals("configs")
          ? KeepAliveClient.request("GET", "/api/v1/clusterchecks/configs/bench-worker-" + i, TOKEN, new byte[0])
          : status("bench-worker-" + i);
      java.util.function.IntFunction<byte[]> bareRequest = agentRequest; // same bytes, constant answer
      System.out.printf(Locale.ROOT, "route=%s connections=%d seconds=%d rounds=%d cores=%d%n", route,
          connections, seconds, rounds, Runtime.getRuntime().availableProcessors());
      // Warm both (JIT, TLS sessions) before any figure counts.
      run("bare", bare.port(), connections, bareRequest, seconds);
      run("agent", api.port(), connections, agentRequest, seconds);
      // Short alternating rounds and the median: a shared machine's noise comes in bursts.
      double[] ratios = new double[rounds];
      double bareSum = 0;
      double agentSum = 0;
      for (int r = 1; r <= rounds; r++) {
        double b = run("bare", bare.port(), connections, bareRequest, seconds);
        double a = run("agent", api.port(), connections, agentRequest, seconds);
        ratios[r - 1] = a / b;
        bareSum += b;
        agentSum += a;
        System.out.printf(Locale.ROOT, "round %d: bare %.0f req/s, agent %.0f req/s, ratio %.3f%n", r, b, a, a / b);
      }
      java.util.Arrays.sort(ratios);
      for (int i = 0; i < 2; i++) { // twice: the first pass may still be compiling
        perRequest("bare", bare.port(), bareRequest.apply(0), 2_000, 10_000);
        perRequest("agent", api.port(), agentRequest.apply(0), 2_000, 10_000);
      }
      System.out.printf(Locale.ROOT, "median ratio agent/bare: %.3f; totals: bare %.0f req/s, agent %.0f req/s,"
          + " ratio of totals %.3f%n", ratios[rounds / 2], bareSum / rounds, agentSum / rounds, agentSum / bareSum);
    } finally {
      api.close();
      dispatcher.stop();
      scheduler.close();
    }
  }

  private static byte[] status(String node) {
    return KeepAliveClient.request("POST", "/api/v1/clusterchecks/status/" + node, TOKEN,
        "{\"last_change\":-1,\"node_type\":1}".getBytes(StandardCharsets.UTF_8));
  }

  /** Requests answered 200 per second over {@code seconds}; anything else stops the run. */
  private static double run(String name, int port, int connections, java.util.function.IntFunction<byte[]> request,
      int seconds) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    long started = System.nanoTime();
    LoadGenerator load = new LoadGenerator(name, port, true, connections, request,
        () -> System.nanoTime() < end).start().join();
    double elapsed = (System.nanoTime() - started) / 1e9;
    if (load.counts().size() != 1 || load.count(200) == 0) {
      throw new IllegalStateException(name + ": not every answer was 200: " + load.counts());
    }
    return load.count(200) / elapsed;
  }

  /**
   * What one request costs the server, figures the machine's load hardly moves: bytes allocated
   * and CPU time of every thread but this one (the client), per request, over {@code measured}
   * requests on one warm keep-alive connection after {@code warm} on it (so no TLS handshake
   * is counted).
   */
  private static void perRequest(String name, int port, byte[] request, int warm, int measured) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port, true, 10_000)) {
      for (int i = 0; i < warm; i++) {
        client.exchange(request);
      }
      long[] before = serverCost(threads);
      for (int i = 0; i < measured; i++) {
        if (client.exchange(request).status() != 200) {
          throw new IllegalStateException(name + ": an answer was not 200");
        }
      }
      long[] after = serverCost(threads);
      System.out.printf(Locale.ROOT, "per request, %s: %.0f bytes allocated, %.1f us CPU (server side, %d requests)%n",
          name, (double) (after[0] - before[0]) / measured, (after[1] - before[1]) / 1e3 / measured, measured);
    }
  }

  /** Bytes allocated and CPU nanoseconds so far of every live thread but this one. */
  private static long[] serverCost(com.sun.management.ThreadMXBean threads) {
    long bytes = 0;
    long cpu = 0;
    long self = Thread.currentThread().getId();
    for (long id : threads.getAllThreadIds()) {
      if (id != self) {
        bytes += Math.max(0, threads.getThreadAllocatedBytes(id));
        cpu += Math.max(0, threads.getThreadCpuTime(id));
      }
    }
    return new long[] {bytes, cpu};
  }
}
