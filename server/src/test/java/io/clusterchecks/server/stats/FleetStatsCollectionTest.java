package io.clusterchecks.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.dispatch.RunnerTarget;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.server.api.ApiServer;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.clusterchecks.simulator.SyntheticCosts;
import io.clusterchecks.simulator.SyntheticCosts.Cost;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole path on real sockets: a real dispatcher behind the real API hands configs to a
 * simulated fleet whose workers advertise their own loopback IPs; the collector then reads each
 * runner's stats over HTTPS, keyed by the check IDs of exactly the configs that worker runs.
 */
class FleetStatsCollectionTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef-fleet";

  @Test
  void statsOfEachWorkerAreKeyedByTheCheckIdsOfTheConfigsItWasGiven() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Config> configs = List.of(
        Config.builder("http_check").clusterCheck(true)
            .instanceYaml("name: a\nurl: http://a\n", "name: b\nurl: http://b\n").build(),
        Config.builder("kubernetes_state_core").clusterCheck(true).instanceYaml("collectors: [pods]\n").build(),
        Config.builder("redisdb").clusterCheck(true).instanceYaml("host: r1\n").build(),
        Config.builder("redisdb").clusterCheck(true).instanceYaml("host: r2\n").build());
    SyntheticCosts costs = SyntheticCosts.builder()
        .checkName("http_check", Cost.of(5))
        .checkName("kubernetes_state_core", Cost.of(4000))
        .checkName("redisdb", Cost.of(30))
        .build();
    try (TaskScheduler scheduler = TaskScheduler.singleThread("stats-dispatch");
         Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
             InstantSource.system(), scheduler, registry);
         ApiServer api = new ApiServer(dispatcher,
             ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0).withPlainHttp(), registry)) {
      api.start();
      dispatcher.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.isLeading() && !dispatcher.isWarmingUp());
      try (SimulatedWorkerFleet fleet = SimulatedWorkerFleet.builder("http://127.0.0.1:" + api.port(), TOKEN)
          .allowPlainHttp(true).count(2).pollInterval(Duration.ofMillis(50))
          .runnerApi(true).runnerCosts(costs).workersPerRunner(id -> id.endsWith("1") ? 3 : 5).build();
           RunnerStatsCollector collector = RunnerStatsCollector.builder(TOKEN).port(fleet.runnerPort())
               .meterRegistry(registry).build()) {
        fleet.startAll();
        await().atMost(Duration.ofSeconds(10)).until(() ->
            fleet.workers().stream().allMatch(w -> w.lastSuccessfulContact().isPresent()));
        dispatcher.schedule(configs);
        await().atMost(Duration.ofSeconds(10)).until(() ->
            fleet.configsByWorker().values().stream().mapToInt(Map::size).sum() == configs.size());

        // The targets as the dispatcher knows them: each worker's X-Real-Ip, its own loopback IP.
        List<RunnerTarget> targets = dispatcher.runnerTargets();
        assertThat(targets).containsExactlyInAnyOrder(
            new RunnerTarget("sim-worker-1", "127.0.0.2"), new RunnerTarget("sim-worker-2", "127.0.0.3"));
        Map<String, RunnerStats> stats = collector.collect(targets).get(10, TimeUnit.SECONDS);

        assertThat(stats).containsOnlyKeys("sim-worker-1", "sim-worker-2");
        Set<String> allIds = new HashSet<>();
        for (String id : fleet.workerIds()) {
          Set<String> expected = new HashSet<>();
          fleet.configsByWorker().get(id).values().forEach(c -> expected.addAll(CheckIds.checkIds(c)));
          assertThat(stats.get(id).checks()).as(id).containsOnlyKeys(expected);
          Map<String, Long> times = new java.util.HashMap<>();
          fleet.runnerStats(id).forEach((k, v) -> times.put(k, v.averageExecutionTimeMs()));
          stats.get(id).checks().forEach((k, v) ->
              assertThat(v.averageExecutionTimeMs()).as(k).isEqualTo(times.get(k)));
          allIds.addAll(expected);
        }
        // Every instance once. The IDs are those of the configs as dispatched (patched, docs/reference/wire-format.md section 3), which
        // the runner hashes; the scheduled, unpatched configs have other IDs. So the dispatcher
        // must index check IDs of the configs it sends, not of the configs it was given.
        assertThat(allIds).hasSize(5);
        Set<String> unpatched = new HashSet<>();
        configs.forEach(c -> unpatched.addAll(CheckIds.checkIds(c)));
        assertThat(allIds).doesNotContainAnyElementsOf(unpatched);
        assertThat(stats.get("sim-worker-1").workers()).isEqualTo(3);
        assertThat(stats.get("sim-worker-2").workers()).isEqualTo(5);
        assertThat(stats.values().stream().flatMap(s -> s.checks().entrySet().stream())
            .filter(e -> e.getKey().startsWith("kubernetes_state_core:")).findFirst().orElseThrow()
            .getValue().averageExecutionTimeMs()).isEqualTo(4000);
      }
    }
  }
}
