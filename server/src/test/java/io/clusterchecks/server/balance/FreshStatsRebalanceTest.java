package io.clusterchecks.server.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.balance.Move;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.dispatch.RebalanceResult;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.server.api.ApiServer;
import io.clusterchecks.server.stats.RunnerStatsCollector;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.clusterchecks.simulator.SyntheticCosts;
import io.clusterchecks.simulator.SyntheticCosts.Cost;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rebalancing on fresh numbers, on real sockets: a real dispatcher behind the real API, simulated
 * workers with their runner stats API, the real collector. Periods are an hour, so any stats the
 * dispatcher has come from the on-demand path or from the newcomer watch.
 */
class FreshStatsRebalanceTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef-fresh";
  private static final Duration HOUR = Duration.ofHours(1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Dispatcher dispatcher;
  private SimulatedWorkerFleet fleet;
  private RunnerStatsCollector collector;

  @BeforeEach
  void start() throws Exception {
    TaskScheduler scheduler = TaskScheduler.singleThread("fresh-stats-dispatch");
    dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
        InstantSource.system(), scheduler, registry);
    ApiServer api = new ApiServer(dispatcher,
        ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0).withPlainHttp(), registry);
    // Closed in this order: the fleet and collector (added in front below), the API, the
    // dispatcher (its stop runs on the dispatch thread), then that thread.
    closing.add(api);
    closing.add(dispatcher);
    closing.add(scheduler);
    api.start();
    dispatcher.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.isLeading() && !dispatcher.isWarmingUp());
    // heavy: 3 s of every 15 s (0.2 check workers); light: 0.3 s (0.02). One check worker each.
    SyntheticCosts costs = SyntheticCosts.builder()
        .checkName("heavy", Cost.of(3000))
        .checkName("light", Cost.of(300))
        .build();
    fleet = SimulatedWorkerFleet.builder("http://127.0.0.1:" + api.port(), TOKEN)
        .allowPlainHttp(true).count(2).pollInterval(Duration.ofMillis(50))
        .runnerApi(true).runnerCosts(costs).workersPerRunner(1).build();
    // A generous timeout: this machine may be busy, and a missed round is not what is tested.
    collector = RunnerStatsCollector.builder(TOKEN).port(fleet.runnerPort()).timeout(Duration.ofSeconds(10))
        .meterRegistry(registry).build();
    closing.add(0, fleet);
    closing.add(0, collector);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private static Config check(String name, String instance) {
    return Config.builder(name).clusterCheck(true).instanceYaml("name: " + instance + "\n").build();
  }

  private void scheduleOnFirstWorker(int heavy, int light) {
    fleet.start("sim-worker-1");
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.runnerTargets().size() == 1);
    List<Config> configs = new ArrayList<>();
    for (int i = 0; i < heavy; i++) {
      configs.add(check("heavy", "h" + i));
    }
    for (int i = 0; i < light; i++) {
      configs.add(check("light", "l" + i));
    }
    dispatcher.schedule(configs);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        fleet.configsByWorker().getOrDefault("sim-worker-1", Map.of()).size() == configs.size());
  }

  private Double busyness(String node) {
    Gauge g = registry.find("cluster_checks_busyness").tag("node", node).gauge();
    return g == null ? null : g.value();
  }

  @Test
  void anOnDemandRebalanceRightAfterARunnerJoinedCollectsStatsFirstAndPlansOnThem() throws Exception {
    scheduleOnFirstWorker(4, 8);
    // No newcomer watch: only the on-demand path can collect within the hour.
    try (BalancingLoop loop = new BalancingLoop(dispatcher, collector::collect, HOUR, HOUR, Duration.ZERO, HOUR)
        .start()) {
      fleet.start("sim-worker-2");
      await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.runnerTargets().size() == 2);

      // What the dispatcher would do on the numbers it has: none, so every load is an estimate,
      // pinned, and nothing moves although one runner carries everything.
      RebalanceResult blind = dispatcher.rebalanceOnDemand(false, true).get(10, TimeUnit.SECONDS);
      assertThat(blind.moves()).isEmpty();

      RebalanceResult r = OnDemandRebalance.of(dispatcher, () -> loop).rebalance(false, false)
          .get(10, TimeUnit.SECONDS);
      assertThat(r.applied()).as(r.reason()).isTrue();
      assertThat(r.moves()).isNotEmpty().allSatisfy(m -> assertThat(m.to()).isEqualTo("sim-worker-2"));
      assertThat(r.before().maxOverMean()).as("planned on the measured loads").isCloseTo(2.0,
          org.assertj.core.data.Offset.offset(1e-6));
      assertThat(r.after().maxOverMean()).isLessThanOrEqualTo(1.04);
      assertThat(r.moves()).extracting(Move::checkName).contains("heavy");
      assertThat(r.budgetStopped()).isFalse();
    }
  }

  @Test
  void aRunnerThatJoinsAndAConfigThatAppearsGetTheirFirstStatsWithoutWaitingForThePeriod() throws Exception {
    scheduleOnFirstWorker(0, 2);
    try (BalancingLoop loop = new BalancingLoop(dispatcher, collector::collect, HOUR, HOUR,
        Duration.ofMillis(100), Duration.ofSeconds(2)).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> busyness("sim-worker-1") != null
          && busyness("sim-worker-1") > 0.039);

      fleet.start("sim-worker-2");
      await().atMost(Duration.ofSeconds(20)).until(() -> busyness("sim-worker-2") != null);
      assertThat(busyness("sim-worker-2")).isZero();

      // A heavy config appears; it goes to the empty runner, which measures it once it runs it.
      dispatcher.schedule(List.of(check("heavy", "late")));
      await().atMost(Duration.ofSeconds(10)).until(() ->
          fleet.configsByWorker().getOrDefault("sim-worker-2", Map.of()).size() == 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> busyness("sim-worker-2") > 0.19);
    }
  }
}
