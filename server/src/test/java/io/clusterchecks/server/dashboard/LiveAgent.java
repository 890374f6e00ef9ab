package io.clusterchecks.server.dashboard;

import io.clusterchecks.server.Agent;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.worker.InsecureTls;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.clusterchecks.simulator.SyntheticCosts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real agent over HTTPS on loopback with a conf.d and simulated workers that also serve runner
 * stats, for the dashboard's tests: what an operator would open the page on.
 */
final class LiveAgent implements AutoCloseable {
  static final String TOKEN = "dashboard-test-token-0123456789abcdef012345";
  static final Duration EXPIRATION = Duration.ofSeconds(3);

  final Path confd;
  final Agent agent;
  final SimulatedWorkerFleet fleet;
  final String url;

  /**
   * @param workers simulated workers, started at once (within the warmup)
   */
  private LiveAgent(Path tmp, int workers, Map<String, String> files, int warmupSeconds) throws IOException {
    confd = Files.createDirectories(tmp.resolve("conf.d"));
    for (Map.Entry<String, String> f : files.entrySet()) {
      writeFile(f.getKey(), f.getValue());
    }
    int runnerPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      runnerPort = s.getLocalPort();
    }
    Path yaml = tmp.resolve("agent.yaml");
    Files.writeString(yaml, String.join("\n",
        "cluster_name: dash",
        "confd_path: '" + confd + "'",
        "autoconf_config_files_poll_interval: 1",
        "metrics_port: 0",
        "health_port: 0",
        "cluster_agent:",
        "  cmd_host: 127.0.0.1",
        "  cmd_port: 0",
        "  auth_token: " + TOKEN,
        "cluster_checks:",
        "  warmup_duration: " + warmupSeconds,
        "  node_expiration_timeout: " + EXPIRATION.toSeconds(),
        "  rebalance_period: 1h",
        "  clc_runners_port: " + runnerPort,
        ""));
    agent = Agent.start(SettingsLoader.load(yaml, Map.of()));
    url = "https://127.0.0.1:" + agent.apiPort();
    SyntheticCosts costs = SyntheticCosts.builder()
        .defaultCost(SyntheticCosts.Cost.of(200))
        .checkName("postgres", SyntheticCosts.Cost.of(6000))
        .checkName("http_check", SyntheticCosts.Cost.of(800))
        .build();
    fleet = SimulatedWorkerFleet.builder(url, TOKEN).count(workers).pollInterval(Duration.ofMillis(300))
        .workerCustomizer(b -> b.nodeExpirationTimeout(EXPIRATION))
        .runnerApi(true).runnerCosts(costs).runnerToken(TOKEN).runnerPort(runnerPort).runnerTls(true)
        .workersPerRunner(4)
        .build();
  }

  /** An agent and {@code workers} simulated workers of which the first {@code running} start now. */
  static LiveAgent start(Path tmp, int workers, int running, Map<String, String> files) throws IOException {
    return start(tmp, workers, running, files, 2);
  }

  /** As above, with this warmup. */
  static LiveAgent start(Path tmp, int workers, int running, Map<String, String> files, int warmupSeconds)
      throws IOException {
    LiveAgent a = new LiveAgent(tmp, workers, files, warmupSeconds);
    try {
      for (int i = 1; i <= running; i++) {
        a.fleet.start(SimulatedWorkerFleet.DEFAULT_ID_PREFIX + i);
      }
      return a;
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** A cluster check file with one instance, {@code instance} given as YAML flow-map entries. */
  static String check(String instance) {
    return "cluster_check: true\ninit_config:\ninstances:\n  - {" + instance + "}\n";
  }

  void writeFile(String relative, String text) throws IOException {
    Path file = confd.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Accepts the agent's self-signed certificate, as workers do. */
  static HttpClient trustAllClient() {
    return HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public void close() {
    if (fleet != null) {
      fleet.close();
    }
    if (agent != null) {
      agent.close();
    }
  }
}
