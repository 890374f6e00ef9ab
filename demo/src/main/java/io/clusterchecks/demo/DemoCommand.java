package io.clusterchecks.demo;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.server.Agent;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.clusterchecks.simulator.SyntheticCosts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The agent on loopback with the example configs and a few simulated workers. After a while one
 * worker stops, so the log shows it expire and its checks dispatched again.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the agent with example configs and simulated workers, and show a re-dispatch.")
final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger("io.clusterchecks.demo");

  @Option(names = "--port", defaultValue = "5005", description = "Worker API port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 for any).")
  int port;

  @Option(names = "--workers", defaultValue = "3", description = "Simulated workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--stop-worker-after", defaultValue = "40",
      description = "Seconds before one worker is stopped to show a re-dispatch (default ${DEFAULT-VALUE}; 0 never).")
  int stopAfterSeconds;

  @Option(names = "--duration", defaultValue = "0",
      description = "Seconds to run before exiting with a summary (default ${DEFAULT-VALUE}: until Ctrl-C).")
  int durationSeconds;

  @Option(names = "--confd", description = "conf.d to use instead of a copy of the bundled examples.")
  Path confd;

  @Option(names = "--runners", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Workers also serve the runner stats API with synthetic check costs, so the agent "
          + "dispatches and rebalances by measured load (default ${DEFAULT-VALUE}; each worker listens on "
          + "its own 127.0.0.x address, which Linux provides).")
  boolean runners;

  /** Synthetic run times per instance: a few expensive database checks, many cheap probes. */
  static SyntheticCosts demoCosts() {
    return SyntheticCosts.builder()
        .defaultCost(SyntheticCosts.Cost.of(200))
        .checkName("postgres", SyntheticCosts.Cost.of(6000))
        .checkName("mysql", SyntheticCosts.Cost.of(4500))
        .checkName("redisdb", SyntheticCosts.Cost.of(1500))
        .checkName("http_check", SyntheticCosts.Cost.of(800))
        .checkName("tls", SyntheticCosts.Cost.of(300))
        .checkName("tcp_check", SyntheticCosts.Cost.of(100))
        .checkName("dns_check", SyntheticCosts.Cost.of(50))
        .build();
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    String token = HexFormat.of().formatHex(randomBytes());
    Path dir = confd;
    if (dir == null) {
      dir = Files.createTempDirectory("clusterchecks-demo-");
      int n = Examples.extractTo(dir.resolve("conf.d"));
      dir = dir.resolve("conf.d");
      LOG.info("DEMO: copied {} example files to {} (add, edit or delete files there and watch the log)", n, dir);
    }
    int runnerPort = 0;
    if (runners) {
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
        runnerPort = probe.getLocalPort();
      }
    }
    Path yaml = Files.createTempFile("clusterchecks-demo-", ".yaml");
    Files.writeString(yaml, String.join("\n",
        "cluster_name: demo",
        "confd_path: " + quote(dir.toString()),
        "autoconf_config_files_poll_interval: 2",
        "metrics_port: 0",
        "health_port: 0",
        "cluster_agent:",
        "  cmd_host: 127.0.0.1",
        "  cmd_port: " + port,
        "  auth_token: " + token,
        "cluster_checks:",
        "  warmup_duration: 5",
        "  node_expiration_timeout: 10",
        "  advanced_dispatching_enabled: " + runners,
        "  rebalance_period: 30s",
        runners ? "  clc_runners_port: " + runnerPort : "",
        ""));
    AgentSettings settings = SettingsLoader.fromFileOnly(yaml);
    Files.deleteIfExists(yaml);
    try (Agent agent = Agent.start(settings)) {
      String url = "https://127.0.0.1:" + agent.apiPort();
      LOG.info("DEMO: agent on {} with token {}", url, token);
      LOG.info("DEMO: in another terminal: ./clusterchecks clusterchecks --url {} --token {}", url, token);
      LOG.info("DEMO: the dashboard: open {}/dashboard in a browser and sign in with the token (the certificate is self-signed)", url);
      SimulatedWorkerFleet.Builder builder = SimulatedWorkerFleet.builder(url, token).count(workers)
          .pollInterval(Duration.ofSeconds(2))
          .workerCustomizer(b -> b.nodeExpirationTimeout(Duration.ofSeconds(10)));
      if (runners) {
        builder.runnerApi(true).runnerCosts(demoCosts()).runnerToken(token).runnerPort(runnerPort)
            .runnerTls(true).workersPerRunner(4);
        LOG.info("DEMO: the workers serve runner stats with synthetic costs (postgres 6 s, mysql 4.5 s, "
            + "http_check 0.8 s per instance...); the agent reads them every 15 s and rebalances every 30 s");
      }
      SimulatedWorkerFleet fleet = builder.build();
      try (fleet) {
        fleet.startAll();
        LOG.info("DEMO: started {} simulated workers; the agent warms up for 5 s, then dispatches", workers);
        run(fleet);
        Map<String, Integer> perWorker = new TreeMap<>();
        fleet.configsByWorker().forEach((w, configs) -> perWorker.put(w, configs.size()));
        LOG.info("DEMO: checks per running worker: {}", perWorker);
        for (var e : fleet.configsByWorker().entrySet()) {
          for (Config c : e.getValue().values()) {
            LOG.info("DEMO:   {} runs {} ({})", e.getKey(), c.checkName(), c.source());
          }
        }
      }
    }
    return 0;
  }

  private void run(SimulatedWorkerFleet fleet) throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread hook = new Thread(interrupted::countDown, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long start = System.nanoTime();
    boolean stopped = stopAfterSeconds <= 0;
    while (true) {
      long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      if (!stopped && elapsed >= stopAfterSeconds && fleet.runningIds().size() > 1) {
        String victim = fleet.runningIds().get(fleet.runningIds().size() - 1);
        fleet.stop(victim);
        stopped = true;
        LOG.info("DEMO: stopped {} without warning; it expires 10 s after its last report "
            + "and its checks are dispatched again", victim);
      }
      if (durationSeconds > 0 && elapsed >= durationSeconds) {
        return;
      }
      if (interrupted.await(1, TimeUnit.SECONDS)) {
        return;
      }
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
