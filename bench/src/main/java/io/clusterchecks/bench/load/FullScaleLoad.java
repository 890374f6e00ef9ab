package io.clusterchecks.bench.load;

import io.clusterchecks.worker.ClusterAgentClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent at full scale: a conf.d of N one-instance files, W simulated workers reporting every
 * 10 s over keep-alive TLS, the agent in a process of its own. Reports the time to load conf.d and
 * to have every config on a worker, status and configs latencies at the real rate, the agent's
 * CPU per 1,000 requests, its RSS and heap after a full GC, its collections and allocation in the
 * steady window (from its GC log, {@code <dir>/agent-gc.log}), and its CPU once the workers are
 * gone (conf.d loaded, nothing changing). See docs/benchmarks.md, "Full scale". With {@code --failover true},
 * a leader failover at that size instead ({@link FailoverLoad}; docs/benchmarks.md, "Failover").
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.clusterchecks.bench.load.FullScaleLoad \
 *   --configs 100000 --workers 1000
 * </pre>
 */
public final class FullScaleLoad {
  static final Duration PERIOD = Duration.ofSeconds(10);

  private FullScaleLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    if (Boolean.parseBoolean(o.getOrDefault("failover", "false"))) {
      FailoverLoad.run(o);
      return;
    }
    int configs = Integer.parseInt(o.getOrDefault("configs", "100000"));
    int workers = Integer.parseInt(o.getOrDefault("workers", "1000"));
    Path dir = Path.of(o.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/clusterchecks-load"));
    Path jar = agentJar(o);
    List<String> javaOpts = new ArrayList<>(Arrays.asList(o.getOrDefault("agent-java-opts", "-Xmx8g").split(" ")));
    // The agent's collections in the steady window are read from its GC log (GcLogWindow).
    Path gcLog = dir.resolve("agent-gc.log");
    javaOpts.add("-Xlog:gc:file=" + gcLog + ":uptime");
    int port = Integer.parseInt(o.getOrDefault("port", "5105"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
    int steady = Integer.parseInt(o.getOrDefault("steady", "60"));
    int idle = Integer.parseInt(o.getOrDefault("idle", "30"));
    int threads = Integer.parseInt(o.getOrDefault("threads", "64"));
    int timeout = Integer.parseInt(o.getOrDefault("timeout", "900"));
    Path confd = generatedConfd(dir, configs);

    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    Path settings = dir.resolve("agent.yaml");
    Files.writeString(settings, String.join("\n",
        "confd_path: " + confd,
        "metrics_port: 0",
        "health_port: 0",
        "leader_election: false",
        "log_level: info",
        "cluster_agent:",
        "  cmd_host: 127.0.0.1",
        "  cmd_port: " + port,
        "  auth_token: " + token,
        "cluster_checks:",
        "  warmup_duration: " + warmup,
        // No workers: the idle agent with its balancing loop on; with workers, placement by count.
        "  advanced_dispatching_enabled: " + (workers == 0),
        ""));
    if (workers == 0) {
      idleOnly(jar, javaOpts, settings, dir, configs, warmup, idle, timeout);
      return;
    }
    String url = "https://127.0.0.1:" + port;
    ClusterAgentClient client = ClusterAgentClient.builder(url).token(token).realIp("127.0.0.1")
        .requestTimeout(Duration.ofSeconds(30)).build();

    long t0 = System.nanoTime();
    try (AgentProcess agent = AgentProcess.start(jar, javaOpts, settings, dir.resolve("agent.log"));
        LoadFleet fleet = new LoadFleet(client, workers, PERIOD, threads)) {
      fleet.start(); // workers start with the agent, as after a restart; they retry until it answers
      long loaded = agent.awaitLoaded(timeout);
      double loadSeconds = (loaded - t0) / 1e9;
      say("agent: conf.d loaded %.1f s after start", loadSeconds);
      long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
      while (fleet.configsHeld() < configs) {
        if (System.nanoTime() > deadline || !agent.isAlive()) {
          throw new IllegalStateException("not every config dispatched: " + fleet.configsHeld() + " of " + configs);
        }
        Thread.sleep(100);
      }
      double dispatchSeconds = secondsSince(t0);
      say("workers: every config held %.1f s after start (warmup %d s)", dispatchSeconds, warmup);
      double configsP50 = fleet.configsLatencies().percentileMillis(50);
      double configsP99 = fleet.configsLatencies().percentileMillis(99);
      long configFetches = fleet.configRequests();

      // steady state: statuses at the real rate
      Thread.sleep(PERIOD.toMillis()); // every worker past its first fetch
      fleet.statusLatencies().clear();
      long r0 = fleet.requests();
      long e0 = fleet.errors();
      double c0 = agent.cpuSeconds();
      long s0 = System.nanoTime();
      Thread.sleep(steady * 1000L);
      double steadyCpu = agent.cpuSeconds() - c0;
      double steadyWall = secondsSince(s0);
      long requests = fleet.requests() - r0;
      double statusP50 = fleet.statusLatencies().percentileMillis(50);
      double statusP99 = fleet.statusLatencies().percentileMillis(99);
      long errors = fleet.errors() - e0;
      double rss = agent.rssMiB();
      double heap = agent.heapAfterGcMiB();
      // Uptime is counted from the JVM's start, a few milliseconds after t0: close enough for a 60 s window.
      GcLogWindow gc = GcLogWindow.read(gcLog, (s0 - t0) / 1e9, (s0 - t0) / 1e9 + steadyWall);
      say("agent GC in the steady window (%s): %s", gcLog, gc);

      fleet.close();
      // nodes expire (30 s) and the dispatcher settles; then the agent has nothing to do
      Thread.sleep(45_000);
      double i0 = agent.cpuSeconds();
      Map<String, Long> threads0 = agent.threadTicks();
      long w0 = System.nanoTime();
      Thread.sleep(idle * 1000L);
      double idleCores = (agent.cpuSeconds() - i0) / secondsSince(w0);
      Map<String, Long> busiest = new java.util.HashMap<>();
      agent.threadTicks().forEach((name, ticks) -> busiest.put(name, ticks - threads0.getOrDefault(name, 0L)));
      say("idle: agent threads by CPU ticks (1/100 s) over %d s: %s", idle, busiest.entrySet().stream()
          .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
          .map(e -> e.getKey() + "=" + e.getValue()).toList());

      say("load: %,d status ticks skipped while that worker's fetch was in flight; %,d failed requests in the "
          + "steady window", fleet.skippedTicks(), errors);
      say("");
      say("| configs | workers | conf.d loaded | every config on a worker | status p50 / p99 | configs p50 / p99 (%d fetches) "
          + "| requests/s | agent CPU per 1,000 requests | agent CPU in steady state | RSS | heap after GC | idle CPU (no workers) |",
          configFetches);
      say("|---|---|---|---|---|---|---|---|---|---|---|---|");
      say("| %,d | %,d | %.1f s | %.1f s | %.2f / %.2f ms | %.2f / %.2f ms | %.0f | %.3f CPU s | %.3f cores | %,.0f MiB | %,.0f MiB | %.3f cores |",
          configs, workers, loadSeconds, dispatchSeconds, statusP50, statusP99, configsP50, configsP99,
          requests / steadyWall, steadyCpu / requests * 1000, steadyCpu / steadyWall, rss, heap, idleCores);
      if (errors > 0) {
        say("(%d failed requests in the steady window)", errors);
      }
    }
  }

  /**
   * {@code --workers 0}: the agent loads conf.d and nobody reports; once warmup is over and the
   * configs wait for a node, its CPU over the idle window, with its busiest threads.
   */
  private static void idleOnly(Path jar, List<String> javaOpts, Path settings, Path dir, int configs, int warmup,
      int idle, int timeout) throws Exception {
    long t0 = System.nanoTime();
    try (AgentProcess agent = AgentProcess.start(jar, javaOpts, settings, dir.resolve("agent.log"))) {
      long loaded = agent.awaitLoaded(timeout);
      say("agent: conf.d loaded %.1f s after start", (loaded - t0) / 1e9);
      // Past warmup, past the unscheduled-check threshold (60 s: every waiting config is flagged
      // once, one line each), and the dashboard's first look at every config: then nothing changes.
      Thread.sleep((warmup + 80) * 1000L);
      double i0 = agent.cpuSeconds();
      Map<String, Double> threads0 = agent.threadCpuMillis();
      long w0 = System.nanoTime();
      Thread.sleep(idle * 1000L);
      double idleCores = (agent.cpuSeconds() - i0) / secondsSince(w0);
      Map<String, Double> busiest = new HashMap<>();
      agent.threadCpuMillis().forEach((name, ms) -> busiest.put(name, ms - threads0.getOrDefault(name, 0.0)));
      say("idle: agent threads by CPU ms over %d s: %s", idle, busiest.entrySet().stream()
          .filter(e -> e.getValue() >= 1).sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
          .map(e -> String.format(Locale.ROOT, "%s=%.0f", e.getKey(), e.getValue())).toList());
      say("| %,d configs, no workers | agent %s | idle CPU %.3f cores | RSS %,.0f MiB |", configs, jar, idleCores,
          agent.rssMiB());
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("options are --name value pairs: configs, workers, dir, agent-jar, "
            + "agent-java-opts, port, warmup, steady, idle, threads, timeout; with --failover true also window, "
            + "session-timeout, warm-up-worker-routes, placement-deltas; got " + args[i]);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  /** The agent jar of {@code --agent-jar} (default: the one the build makes), which must exist. */
  static Path agentJar(Map<String, String> o) {
    Path jar = Path.of(o.getOrDefault("agent-jar", "server/target/clusterchecks.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no agent jar at " + jar + ": ./mvnw -B -q -DskipTests -pl server -am package");
    }
    return jar;
  }

  /** {@code dir}/conf.d holding {@code configs} generated files (reused when it already does). */
  static Path generatedConfd(Path dir, int configs) throws IOException {
    Path confd = dir.resolve("conf.d");
    long g0 = System.nanoTime();
    ConfdGenerator.generate(confd, configs);
    say("conf.d: %d files in %s (%.1f s to write or reuse)", configs, confd, secondsSince(g0));
    return confd;
  }

  static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }

}
