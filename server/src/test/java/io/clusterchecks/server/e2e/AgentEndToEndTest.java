package io.clusterchecks.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.server.Agent;
import io.clusterchecks.server.cli.Main;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole product on real sockets: the agent over HTTPS with a token, a conf.d of 30 configs,
 * three workers from the worker library. A worker dies, configs move; files change, exactly those
 * changes reach the workers.
 */
class AgentEndToEndTest {
  private static final String TOKEN = "e2e-token-0123456789abcdef0123456789abcdef";
  private static final Duration EXPIRATION = Duration.ofSeconds(3);

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
  void configsRunExactlyOnceThroughWorkerDeathAndFileChanges() throws IOException {
    Path confd = tmp.resolve("conf.d");
    Path checkDir = Files.createDirectories(confd.resolve("http_check.d"));
    for (int i = 0; i < 30; i++) {
      Files.writeString(checkDir.resolve(String.format("svc-%02d.yaml", i)), httpCheck(i, "http://svc-" + i + "/health"));
    }
    Path yaml = tmp.resolve("datadog-cluster.yaml");
    Files.writeString(yaml, String.join("\n",
        "cluster_name: e2e",
        "confd_path: '" + confd + "'",
        "autoconf_config_files_poll_interval: 1",
        "metrics_port: 0",
        "health_port: 0",
        "cluster_agent:",
        "  cmd_host: 127.0.0.1",
        "  cmd_port: 0",
        "  auth_token: " + TOKEN,
        "cluster_checks:",
        "  warmup_duration: 2",
        "  node_expiration_timeout: " + EXPIRATION.toSeconds(),
        ""));
    agent = Agent.start(SettingsLoader.load(yaml, Map.of()));
    String url = "https://127.0.0.1:" + agent.apiPort();
    fleet = SimulatedWorkerFleet.builder(url, TOKEN).count(3).pollInterval(Duration.ofMillis(200))
        .workerCustomizer(b -> b.nodeExpirationTimeout(EXPIRATION))
        .build();
    fleet.startAll();

    // Every config runs on exactly one worker, spread 10/10/10 by least-configs placement.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertRunningOnce(30));
    assertThat(fleet.configsByWorker().values()).allSatisfy(c -> assertThat(c).hasSize(10));
    assertThat(cli("clusterchecks", "--url", url, "--token", TOKEN))
        .contains("=== 3 agents reporting ===").contains("===== Checks on sim-worker-1 =====")
        .contains("Configuration source: file:" + checkDir.resolve("svc-00.yaml"));

    // A worker dies without a word: within the expiration timeout plus one second, its configs
    // run on the two others, and nothing runs twice.
    Map<String, Config> victimConfigs = fleet.configsByWorker().get("sim-worker-2");
    fleet.stop("sim-worker-2");
    await().atMost(EXPIRATION.plusSeconds(1)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          assertRunningOnce(30);
          assertThat(fleet.configsByWorker()).doesNotContainKey("sim-worker-2");
        });
    Map<String, Set<String>> afterDeath = digestsByWorker();
    Set<String> moved = new HashSet<>(victimConfigs.keySet());
    assertThat(afterDeath.get("sim-worker-1")).as("sim-worker-1 kept its own configs")
        .containsAll(digestsBefore(afterDeath.get("sim-worker-1"), moved));

    // Editing one file replaces exactly that config, on one worker; nothing else moves.
    Files.writeString(checkDir.resolve("svc-05.yaml"), httpCheck(5, "http://svc-5/healthz"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertRunningOnce(30);
      assertThat(allConfigs().values()).anySatisfy(c -> assertThat(c.instances().get(0).text()).contains("/healthz"));
    });
    Map<String, Set<String>> afterEdit = digestsByWorker();
    assertThat(changed(afterDeath, afterEdit)).as("one digest left, one arrived").isEqualTo(2);

    // Deleting a file unschedules exactly that config.
    Files.delete(checkDir.resolve("svc-07.yaml"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertRunningOnce(29));
    Map<String, Set<String>> afterDelete = digestsByWorker();
    assertThat(changed(afterEdit, afterDelete)).isEqualTo(1);
    assertThat(allConfigs().values()).noneSatisfy(c -> assertThat(c.instances().get(0).text()).contains("svc-7/"));
    assertThat(cli("status", "--url", url, "--token", TOKEN))
        .contains("Status: Leader, serving requests").contains("Active agents: 2").contains("- Dispatched: 29");
  }

  private static String httpCheck(int i, String url) {
    return "cluster_check: true\ninit_config:\ninstances:\n  - name: svc-" + i + "\n    url: " + url + "\n";
  }

  private void assertRunningOnce(int expected) {
    Map<String, Map<String, Config>> byWorker = fleet.configsByWorker();
    Map<String, Integer> count = new HashMap<>();
    byWorker.values().forEach(m -> m.keySet().forEach(d -> count.merge(d, 1, Integer::sum)));
    assertThat(count).hasSize(expected);
    assertThat(count.values()).allMatch(n -> n == 1);
    // And the agent agrees with the workers.
    assertThat(agent.dispatcher().stats().activeConfigs()).isEqualTo(expected);
  }

  private Map<String, Config> allConfigs() {
    Map<String, Config> all = new HashMap<>();
    fleet.configsByWorker().values().forEach(all::putAll);
    return all;
  }

  private Map<String, Set<String>> digestsByWorker() {
    return fleet.configsByWorker().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> new HashSet<>(e.getValue().keySet())));
  }

  private static Set<String> digestsBefore(Set<String> now, Set<String> moved) {
    Set<String> own = new HashSet<>(now);
    own.removeAll(moved);
    return own;
  }

  /** How many (worker, digest) pairs differ between two views. */
  private static int changed(Map<String, Set<String>> a, Map<String, Set<String>> b) {
    Set<String> pa = pairs(a);
    Set<String> pb = pairs(b);
    Set<String> onlyA = new HashSet<>(pa);
    onlyA.removeAll(pb);
    Set<String> onlyB = new HashSet<>(pb);
    onlyB.removeAll(pa);
    return onlyA.size() + onlyB.size();
  }

  private static Set<String> pairs(Map<String, Set<String>> m) {
    Set<String> out = new HashSet<>();
    m.forEach((w, ds) -> ds.forEach(d -> out.add(w + "/" + d)));
    return out;
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertThat(code).as("exit code of %s; stderr: %s", List.of(args), err).isZero();
    return out.toString();
  }
}
