package io.clusterchecks.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.simulator.SyntheticCosts.Cost;
import io.clusterchecks.worker.FakeClusterAgent;
import io.clusterchecks.worker.InsecureTls;
import io.clusterchecks.worker.MutableClock;
import io.clusterchecks.worker.WorkerListener;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.clusterchecks.core.wire.NodeType;
import java.time.Duration;
import java.util.HashSet;
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
    // A worker publishes its new config set before it tells its listener: await both.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(fleet.digestsByWorker()).isEqualTo(Map.of(
          "sim-worker-1", Set.of(Digests.digest(redis), Digests.digest(http)),
          "sim-worker-2", Set.of(),
          "sim-worker-3", Set.of(Digests.digest(ksm))));
      assertThat(events).isEqualTo(Map.of("sim-worker-1", 2, "sim-worker-3", 1));
    });
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
    // The other one keeps reporting (awaited: its next poll is due, not guaranteed to have run).
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.statusPosts("sim-worker-1").size() > aliveFrom);

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

  private static HttpResponse<String> runnerGet(String ip, int port, String path, String scheme) throws Exception {
    HttpClient c = HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext()).build();
    return c.send(HttpRequest.newBuilder(URI.create(scheme + "://" + ip + ":" + port + path))
        .header("Authorization", "Bearer " + FakeClusterAgent.TOKEN).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void runnersServeStatsOfTheConfigsTheyRunOnTheirOwnLoopbackAddressAndOnePort() throws Exception {
    Config http = Config.builder("http_check").instanceYaml("name: a\nurl: http://a\n", "url: http://b\n").build();
    Config ksm = check("kubernetes_state_core");
    Config redis = check("redisdb");
    agent.assign("sim-worker-1", 11, List.of(http, redis));
    agent.assign("sim-worker-2", 12, List.of(ksm));
    MutableClock clock = new MutableClock();
    SyntheticCosts costs = SyntheticCosts.builder()
        .checkName("http_check", Cost.of(5))
        .checkName("kubernetes_state_core", Cost.of(3000).withDrift(600))
        .digest(Digests.digest(redis), Cost.of(42))
        .build();
    fleet = builder(2).clock(clock).runnerApi(true).runnerTls(false).runnerCosts(costs)
        .workersPerRunner(id -> id.endsWith("1") ? 1 : 2).build();
    assertThat(fleet.runnerAddress("sim-worker-1")).hasValue("127.0.0.2");
    assertThat(fleet.runnerAddress("sim-worker-2")).hasValue("127.0.0.3");
    int port = fleet.runnerPort();
    assertThat(port).isPositive();
    assertThat(fleet.runnerApi("sim-worker-1")).hasValueSatisfying(a -> assertThat(a.isRunning()).isFalse());

    fleet.startAll();
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.digestsByWorker().get("sim-worker-1").size() == 2
        && fleet.digestsByWorker().get("sim-worker-2").size() == 1);
    // each worker advertises its runner's address
    assertThat(agent.statusPosts("sim-worker-1")).isNotEmpty().allSatisfy(r -> assertThat(r.realIp()).isEqualTo("127.0.0.2"));
    assertThat(agent.statusPosts("sim-worker-2")).isNotEmpty().allSatisfy(r -> assertThat(r.realIp()).isEqualTo("127.0.0.3"));

    Map<String, CheckStats> one = ConfigCodec.JSON.readValue(
        runnerGet("127.0.0.2", port, SimulatedRunnerApi.STATS_PATH, "http").body(), new TypeReference<>() {});
    Set<String> expectedIds = new HashSet<>(CheckIds.checkIds(http));
    expectedIds.addAll(CheckIds.checkIds(redis));
    assertThat(one).containsOnlyKeys(expectedIds);
    assertThat(CheckIds.checkIds(http)).allSatisfy(id -> assertThat(one.get(id).averageExecutionTimeMs()).isEqualTo(5));
    assertThat(one.get(CheckIds.checkIds(redis).get(0)).averageExecutionTimeMs()).isEqualTo(42);
    assertThat(one).isEqualTo(fleet.runnerStats("sim-worker-1"));

    String ksmId = CheckIds.checkIds(ksm).get(0);
    Map<String, CheckStats> two = ConfigCodec.JSON.readValue(
        runnerGet("127.0.0.3", port, SimulatedRunnerApi.STATS_PATH, "http").body(), new TypeReference<>() {});
    assertThat(two).containsOnlyKeys(ksmId);
    assertThat(two.get(ksmId).averageExecutionTimeMs()).isEqualTo(3000);
    clock.advance(Duration.ofSeconds(30)); // drift: 600 ms per minute
    two = ConfigCodec.JSON.readValue(
        runnerGet("127.0.0.3", port, SimulatedRunnerApi.STATS_PATH, "http").body(), new TypeReference<>() {});
    assertThat(two.get(ksmId).averageExecutionTimeMs()).isEqualTo(3300);

    JsonNode w1 = ConfigCodec.JSON.readTree(runnerGet("127.0.0.2", port, SimulatedRunnerApi.WORKERS_PATH, "http").body());
    JsonNode w2 = ConfigCodec.JSON.readTree(runnerGet("127.0.0.3", port, SimulatedRunnerApi.WORKERS_PATH, "http").body());
    assertThat(w1.get("Count").asInt()).isEqualTo(1);
    assertThat(w2.get("Count").asInt()).isEqualTo(2);
    // 3.3 s every 15 s spread over 2 workers
    assertThat(w2.get("Instances").get("worker_2").get("Utilization").asDouble())
        .isCloseTo(3.3 / 15 / 2, org.assertj.core.api.Assertions.within(1e-9));

    // The runner follows re-dispatching: redisdb moves to worker 2.
    agent.assign("sim-worker-1", 21, List.of(http));
    agent.assign("sim-worker-2", 22, List.of(ksm, redis));
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.runnerStats("sim-worker-2").size() == 2);
    Map<String, CheckStats> moved = ConfigCodec.JSON.readValue(
        runnerGet("127.0.0.3", port, SimulatedRunnerApi.STATS_PATH, "http").body(), new TypeReference<>() {});
    assertThat(moved).containsOnlyKeys(ksmId, CheckIds.checkIds(redis).get(0));

    // A dead worker's runner API is gone too; restarting brings it back on the same address and port.
    fleet.stop("sim-worker-2");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> runnerGet("127.0.0.3", port, SimulatedRunnerApi.STATS_PATH, "http")).isInstanceOf(ConnectException.class);
    assertThat(runnerGet("127.0.0.2", port, SimulatedRunnerApi.STATS_PATH, "http").statusCode()).isEqualTo(200);
    fleet.start("sim-worker-2");
    assertThat(runnerGet("127.0.0.3", port, SimulatedRunnerApi.STATS_PATH, "http").statusCode()).isEqualTo(200);
  }

  @Test
  void runnerApiIsHttpsByDefaultAndChecksTheToken() throws Exception {
    fleet = builder(1).runnerApi(true).runnerPort(0).build();
    fleet.startAll();
    int port = fleet.runnerPort();
    assertThat(runnerGet("127.0.0.2", port, SimulatedRunnerApi.VERSION_PATH, "https").statusCode()).isEqualTo(200);
    HttpClient c = HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext()).build();
    HttpResponse<String> wrong = c.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.2:" + port + SimulatedRunnerApi.STATS_PATH))
        .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(403);
    HttpResponse<String> none = c.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.2:" + port + SimulatedRunnerApi.STATS_PATH)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
  }

  @Test
  void explicitAddressesAreAdvertisedEvenWithoutTheRunnerApi() {
    fleet = builder(2).runnerAddresses(i -> "10.0.0." + i).build();
    assertThat(fleet.runnerPort()).isEqualTo(-1);
    assertThat(fleet.runnerApi("sim-worker-1")).isEmpty();
    fleet.startAll();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !agent.statusPosts("sim-worker-1").isEmpty() && !agent.statusPosts("sim-worker-2").isEmpty());
    assertThat(agent.statusPosts("sim-worker-1").get(0).realIp()).isEqualTo("10.0.0.1");
    assertThat(agent.statusPosts("sim-worker-2").get(0).realIp()).isEqualTo("10.0.0.2");
    assertThat(SimulatedWorkerFleet.loopbackAddress(1)).isEqualTo("127.0.0.2");
    assertThat(SimulatedWorkerFleet.loopbackAddress(255)).isEqualTo("127.0.1.0");
    assertThatThrownBy(() -> builder(1).workersPerRunner(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
