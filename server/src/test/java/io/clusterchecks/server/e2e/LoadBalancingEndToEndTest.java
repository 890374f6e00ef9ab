package io.clusterchecks.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.server.Agent;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.clusterchecks.simulator.SyntheticCosts;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load-aware dispatching end to end: the agent with simulated runners of uneven costs. Stats are collected over
 * HTTPS from each runner, a rebalance through the API moves checks, the workers pick up exactly
 * those moves, and utilization ends within the target; isolate empties a runner but for one check.
 */
class LoadBalancingEndToEndTest {
  private static final String TOKEN = "balancing-e2e-token-0123456789abcdef01234567";

  @TempDir
  Path tmp;
  private Agent agent;
  private SimulatedWorkerFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void statsOverHttpThenARebalanceFillsANewRunnerWithinTheTargetAndIsolateWorks() throws Exception {
    Path confd = tmp.resolve("conf.d");
    // 6 heavy checks (3 s of every 15 s: 0.2 workers each) and 18 light ones (0.02 each).
    for (int i = 0; i < 6; i++) {
      write(confd.resolve("heavy.d/h" + i + ".yaml"), "name: heavy-" + i);
    }
    for (int i = 0; i < 18; i++) {
      write(confd.resolve("light.d/l" + i + ".yaml"), "name: light-" + i);
    }
    int runnerPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      runnerPort = s.getLocalPort();
    }
    Path yaml = tmp.resolve("agent.yaml");
    Files.writeString(yaml, String.join("\n",
        "confd_path: '" + confd + "'",
        "metrics_port: 0",
        "health_port: 0",
        "cluster_agent:",
        "  cmd_host: 127.0.0.1",
        "  cmd_port: 0",
        "  auth_token: " + TOKEN,
        "cluster_checks:",
        "  warmup_duration: 12",
        "  node_expiration_timeout: 5",
        "  rebalance_period: 1h",
        "  clc_runners_port: " + runnerPort,
        ""));
    agent = Agent.start(SettingsLoader.load(yaml, Map.of()));
    String url = "https://127.0.0.1:" + agent.apiPort();
    SyntheticCosts costs = SyntheticCosts.builder()
        .checkName("heavy", SyntheticCosts.Cost.of(3000))
        .checkName("light", SyntheticCosts.Cost.of(300))
        .build();
    fleet = SimulatedWorkerFleet.builder(url, TOKEN).count(3).pollInterval(Duration.ofMillis(200))
        .workerCustomizer(b -> b.nodeExpirationTimeout(Duration.ofSeconds(5)))
        .runnerApi(true).runnerCosts(costs).runnerToken(TOKEN).runnerPort(runnerPort).runnerTls(true)
        .workersPerRunner(4)
        .build();
    // Both start within the warmup (the first start makes the runners' certificate, about 1 s).
    fleet.start("sim-worker-1");
    fleet.start("sim-worker-2");
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.dispatcher().stats().nodeCount() == 2);
    assertThat(agent.dispatcher().isWarmingUp()).as("both workers reported during warmup").isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> running().size() == 24);
    assertThat(fleet.configsByWorker().get("sim-worker-1")).hasSize(12);

    // A third runner joins with nothing; the stats say the first two carry 0.78 workers each.
    fleet.start("sim-worker-3");
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.dispatcher().stats().nodeCount() == 3);
    agent.collectRunnerStats().get();
    await().atMost(Duration.ofSeconds(10)).until(() -> busyness().size() == 3
        && busyness().get("sim-worker-1") > 0.19);

    Map<String, String> before = running();
    ClusterAgentClient client = ClusterAgentClient.builder(url).token(TOKEN).build();
    ClusterAgentClient.RebalanceMove[] moves = client.rebalance(false, false);
    assertThat(moves).isNotEmpty().allSatisfy(m -> assertThat(m.destNodeName()).isEqualTo("sim-worker-3"));
    assertThat(moves.length).as("a handful of moves, not a reshuffle").isLessThanOrEqualTo(8);

    // The workers pick up exactly those moves, and nothing else changes hands.
    Map<String, String> expected = new HashMap<>(before);
    for (ClusterAgentClient.RebalanceMove m : moves) {
      assertThat(before.get(m.digest())).isEqualTo(m.sourceNodeName());
      expected.put(m.digest(), m.destNodeName());
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(running()).isEqualTo(expected));

    // Utilization from fresh stats: within 1.05 of the mean.
    agent.collectRunnerStats().get();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Map<String, Double> u = busyness();
      double mean = u.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double max = u.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      assertThat(u.get("sim-worker-3")).isGreaterThan(0.1);
      assertThat(max / mean).isLessThanOrEqualTo(1.05);
    });

    // Isolate one heavy check: every other config leaves its runner.
    String heavyDigest = expected.entrySet().stream()
        .filter(e -> e.getValue().equals("sim-worker-1"))
        .filter(e -> fleet.configsByWorker().get("sim-worker-1").get(e.getKey()).checkName().equals("heavy"))
        .findFirst().orElseThrow().getKey();
    ClusterAgentClient.IsolateAnswer isolated = client.isolate(heavyDigest);
    assertThat(isolated.isolated()).isTrue();
    assertThat(isolated.checkNode()).isEqualTo("sim-worker-1");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(fleet.configsByWorker().get("sim-worker-1")).containsOnlyKeys(heavyDigest);
      assertThat(running()).hasSize(24);
    });
  }

  private static void write(Path file, String instanceName) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "cluster_check: true\ninit_config:\ninstances:\n  - " + instanceName + "\n");
  }

  /** Digest to the worker running it; fails if a config runs twice. */
  private Map<String, String> running() {
    Map<String, String> out = new HashMap<>();
    Set<String> twice = new HashSet<>();
    fleet.configsByWorker().forEach((w, configs) -> configs.keySet().forEach(d -> {
      if (out.put(d, w) != null) {
        twice.add(d);
      }
    }));
    assertThat(twice).as("configs running on two workers").isEmpty();
    return out;
  }

  private Map<String, Double> busyness() {
    Map<String, Double> out = new HashMap<>();
    for (Gauge g : agent.registry().find("cluster_checks_busyness").gauges()) {
      out.put(g.getId().getTag("node"), g.value());
    }
    return out;
  }
}
