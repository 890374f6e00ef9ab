package io.clusterchecks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.wire.NodeType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedWorkerFleetTest {
  private FakeClusterAgent agent;
  private SimulatedWorkerFleet fleet;

  private static Config check(String name) {
    return Config.builder(name).instanceYaml("name: " + name + "\n").build();
  }

  @BeforeEach
  void setUp() {
    agent = FakeClusterAgent.startPlain();
  }

  @AfterEach
  void tearDown() {
    if (fleet != null) {
      fleet.close();
    }
    agent.close();
  }

  private SimulatedWorkerFleet.Builder builder(int count) {
    return SimulatedWorkerFleet.builder(agent.url(), FakeClusterAgent.TOKEN)
        .allowPlainHttp(true)
        .count(count)
        .pollInterval(Duration.ofMillis(30));
  }

  @Test
  void workersRegisterAsClcRunnersAndRunWhatTheAgentAssigns() {
    Config redis = check("redisdb");
    Config http = check("http_check");
    Config ksm = check("kubernetes_state_core");
    agent.assign("sim-worker-1", 11, List.of(redis, http));
    agent.assign("sim-worker-3", 12, List.of(ksm));
    Map<String, Integer> events = new ConcurrentHashMap<>();
    fleet = builder(3).listenerFactory(id -> new WorkerListener() {
      @Override
      public void onScheduled(List<Config> configs) {
        events.merge(id, configs.size(), Integer::sum);
      }

      @Override
      public void onUnscheduled(List<Config> configs) {
        events.merge(id, -configs.size(), Integer::sum);
      }
    }).build();
    assertThat(fleet.workerIds()).containsExactly("sim-worker-1", "sim-worker-2", "sim-worker-3");
    assertThat(fleet.runningIds()).isEmpty();

    fleet.startAll();
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.digestsByWorker().equals(Map.of(
        "sim-worker-1", Set.of(Digests.digest(redis), Digests.digest(http)),
        "sim-worker-2", Set.of(),
        "sim-worker-3", Set.of(Digests.digest(ksm)))));
    assertThat(events).isEqualTo(Map.of("sim-worker-1", 2, "sim-worker-3", 1));
    assertThat(fleet.configsByWorker().get("sim-worker-3").values()).containsExactly(ksm);

    for (String id : fleet.workerIds()) {
      assertThat(agent.statusPosts(id)).isNotEmpty().allSatisfy(r -> {
        assertThat(r.realIp()).isEqualTo("127.0.0.1");
        assertThat(r.status().type()).isEqualTo(NodeType.CLC_RUNNER);
        assertThat(r.authorization()).isEqualTo("Bearer " + FakeClusterAgent.TOKEN);
      });
    }

    // Re-dispatch: redisdb moves from worker 1 to worker 2.
    agent.assign("sim-worker-1", 21, List.of(http));
    agent.assign("sim-worker-2", 22, List.of(redis));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        fleet.digestsByWorker().get("sim-worker-2").equals(Set.of(Digests.digest(redis)))
            && fleet.digestsByWorker().get("sim-worker-1").equals(Set.of(Digests.digest(http))));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.equals(Map.of(
        "sim-worker-1", 1, "sim-worker-2", 1, "sim-worker-3", 1)));
  }

  @Test
  void stoppingAWorkerSilencesItAndDropsItFromTheView() {
    fleet = builder(2).build();
    fleet.startAll();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        agent.statusPosts("sim-worker-1").size() >= 2 && agent.statusPosts("sim-worker-2").size() >= 2);

    assertThat(fleet.stop("sim-worker-2")).isTrue();
    assertThat(fleet.stop("sim-worker-9")).isFalse();
    assertThat(fleet.runningIds()).containsExactly("sim-worker-1");
    assertThat(fleet.digestsByWorker()).containsOnlyKeys("sim-worker-1");
    assertThat(fleet.worker("sim-worker-2")).hasValueSatisfying(w -> assertThat(w.isRunning()).isFalse());

    int silentFrom = agent.statusPosts("sim-worker-2").size();
    int aliveFrom = agent.statusPosts("sim-worker-1").size();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> agent.statusPosts("sim-worker-2").size() <= silentFrom + 1);
    assertThat(agent.statusPosts("sim-worker-1").size()).isGreaterThan(aliveFrom);

    assertThat(fleet.start("sim-worker-2")).isTrue();
    assertThat(fleet.runningIds()).containsExactly("sim-worker-1", "sim-worker-2");
    fleet.stopAll();
    assertThat(fleet.runningIds()).isEmpty();
  }

  @Test
  void builderChecks() {
    assertThatThrownBy(() -> builder(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedWorkerFleet.builder(agent.url(), "").allowPlainHttp(true).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedWorkerFleet.builder(agent.url(), "t").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain http");

    fleet = builder(2).idPrefix("demo-").workerCustomizer(b -> b.nodeType(NodeType.NODE_AGENT)).build();
    assertThat(fleet.workerIds()).containsExactly("demo-1", "demo-2");
    assertThat(fleet.workers()).allSatisfy(w -> assertThat(w.nodeType()).isEqualTo(NodeType.NODE_AGENT));
  }
}
