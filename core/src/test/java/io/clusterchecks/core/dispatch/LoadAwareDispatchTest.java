package io.clusterchecks.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.balance.Move;
import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigPatcher;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.wire.NodeType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Load-aware dispatching: the reference's scenarios docs/reference/scenarios.md items 24 to 34 and 46 to 48 as
 * they apply to ours, through the dispatcher with runner stats handed in as a collector would.
 */
class LoadAwareDispatchTest {

  private static Config check(String name, int intervalSeconds) {
    return Config.builder(name).clusterCheck(true)
        .instanceYaml("name: " + name + "\nmin_collection_interval: " + intervalSeconds + "\n").build();
  }

  private static Config check(String name) {
    return check(name, 15);
  }

  /** The check ID a runner reports the config's only instance under. */
  private static String idOf(Config c) {
    return CheckIds.checkIds(ConfigPatcher.patchClusterCheck(c, List.of())).get(0);
  }

  /** A runner's report: check ID to average run time in ms. */
  private static RunnerStats runner(String node, int workers, Map<String, Long> msById) {
    Map<String, CheckStats> checks = new HashMap<>();
    msById.forEach((id, ms) -> checks.put(id, CheckStats.ofExecutionTime(ms)));
    return new RunnerStats(node, checks, workers, 0);
  }

  @Test
  void items24to27_advancedDispatchingFollowsWhoIsInThePoolBothWays() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("runner1", 0, NodeType.CLC_RUNNER, "10.0.0.1");
    assertThat(f.dispatcher.isLoadAware()).as("only runners").isTrue();
    f.report("agent1", 0, NodeType.NODE_AGENT, "");
    assertThat(f.dispatcher.isLoadAware()).as("a node agent reports").isFalse();
    assertThat(f.dispatcher.rebalance(true, false).join().reason())
        .isEqualTo("no checks to rebalance: advanced dispatching is not enabled");
    // Not a one-way latch: when the node agent goes, load-aware dispatching comes back.
    for (int i = 0; i < 4; i++) {
      f.time.advanceSeconds(10);
      f.heartbeat("runner1");
    }
    assertThat(f.stats().nodeCount()).isEqualTo(1);
    assertThat(f.dispatcher.isLoadAware()).isTrue();
  }

  @Test
  void advancedDispatchingCanBeSwitchedOff() {
    DispatcherSettings s = DispatcherSettings.defaults().withBalancing(
        new DispatcherSettings.Balancing(false, Set.of(), 1.05, 1.10, 0.90, 10, 0));
    DispatcherFixture f = new DispatcherFixture(s).active();
    f.report("runner1", 0);
    assertThat(f.dispatcher.isLoadAware()).isFalse();
  }

  @Test
  void newConfigsGoWhereThereIsRoomNotWhereThereAreFewestConfigs() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("busy", 0);
    f.report("idle1", 0);
    f.report("idle2", 0);
    Config heavy = check("heavy");
    Config light1 = Config.builder("light").clusterCheck(true).instanceYaml("name: one\n").build();
    Config light2 = Config.builder("light").clusterCheck(true).instanceYaml("name: two\n").build();
    f.schedule(heavy, light1, light2);
    assertThat(f.checksOn("busy")).containsExactly("heavy");
    // heavy takes 12 s of every 15 s; each light check 15 ms.
    f.dispatcher.updateRunnerStats(Map.of(
        "busy", runner("busy", 4, Map.of(idOf(heavy), 12_000L)),
        "idle1", runner("idle1", 4, Map.of(idOf(light1), 15L)),
        "idle2", runner("idle2", 4, Map.of(idOf(light2), 15L))));
    // A burst of new light checks (estimated from the measured ones of the same name): by count
    // busy would get its share; by load none goes there, and they do not pile onto one idle node
    // (docs/reference/known-problems.md item 7) because each placement adds its estimate at once.
    for (int i = 0; i < 10; i++) {
      f.schedule(Config.builder("light").clusterCheck(true).instanceYaml("name: new" + i + "\n").build());
    }
    assertThat(f.checksOn("busy")).containsExactly("heavy");
    assertThat(f.checksOn("idle1")).hasSize(6);
    assertThat(f.checksOn("idle2")).hasSize(6);
  }

  @Test
  void item31_oneMoveBalancesTwoRunnersExactlyAndASecondRebalanceMovesNothing() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    Config c1 = check("check1");
    Config c2 = check("check2");
    f.schedule(c1, c2);
    f.report("node2", 0);
    long v2 = f.versionOf("node2");
    f.dispatcher.updateRunnerStats(Map.of("node1", runner("node1", 4,
        Map.of(idOf(c1), 3000L, idOf(c2), 2000L, "node_check:abc", 1000L))));
    RebalanceResult r = f.dispatcher.rebalance(false, false).join();
    assertThat(r.applied()).as(r.reason()).isTrue();
    assertThat(r.moves()).extracting(Move::checkName, Move::from, Move::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("check1", "node1", "node2"));
    assertThat(f.checksOn("node2")).containsExactly("check1");
    assertThat(f.versionOf("node2")).as("the receiver is told to fetch").isNotEqualTo(v2);
    assertThat(f.dispatcher.rebalance(false, false).join().moves()).isEmpty();
  }

  @Test
  void item33_configsWithoutTimingDataArePinned() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    Config a = check("a");
    Config b = check("b");
    Config timed = check("timed");
    f.schedule(a, b, timed);
    f.report("node2", 0);
    f.dispatcher.updateRunnerStats(Map.of("node1", runner("node1", 1, Map.of(idOf(timed), 2000L))));
    RebalanceResult r = f.dispatcher.rebalance(true, false).join();
    assertThat(r.moves()).extracting(Move::checkName).containsExactly("timed");
    assertThat(f.checksOn("node1")).containsExactly("a", "b");
  }

  @Test
  void item34_excludedFromDispatchingNeverMovesButItsLoadCounts() {
    DispatcherSettings s = DispatcherSettings.defaults().withBalancing(
        new DispatcherSettings.Balancing(true, Set.of("pinned"), 1.05, 1.10, 0.90, 10, 0));
    DispatcherFixture f = new DispatcherFixture(s).active();
    f.report("node1", 0);
    Config pinned = check("pinned");
    Config movable = check("movable");
    f.schedule(pinned, movable);
    assertThat(f.checksOn("node1")).containsExactly("pinned", "movable");
    f.report("node2", 0);
    f.dispatcher.updateRunnerStats(Map.of("node1", runner("node1", 4, Map.of(idOf(pinned), 9000L, idOf(movable), 10500L))));
    RebalanceResult r = f.dispatcher.rebalance(false, false).join();
    assertThat(r.moves()).extracting(Move::checkName, Move::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("movable", "node2"));
  }

  @Test
  void item32_aMultiInstanceConfigIsOneUnitWeighingAllItsInstances() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    Config multi = Config.builder("multi").clusterCheck(true)
        .instanceYaml("name: heavy\n", "name: light\n").build();
    Config other = check("other");
    Config third = check("third");
    f.schedule(multi, other, third);
    f.report("node2", 0);
    List<String> ids = CheckIds.checkIds(ConfigPatcher.patchClusterCheck(multi, List.of()));
    assertThat(ids).hasSize(2);
    // 3750 + 250 ms: the config weighs 4000 ms of every 15 s; other and third 3000 ms each. The
    // move that best halves the load is the whole multi-instance config.
    f.dispatcher.updateRunnerStats(Map.of("node1", runner("node1", 4,
        Map.of(ids.get(0), 3750L, ids.get(1), 250L, idOf(other), 3000L, idOf(third), 3000L))));
    RebalanceResult r = f.dispatcher.rebalance(true, false).join();
    assertThat(r.moves()).hasSize(1);
    assertThat(r.moves().get(0).load()).isCloseTo(4000.0 / 15000, org.assertj.core.data.Offset.offset(1e-9));
    // Both instances moved together, as one config.
    assertThat(f.checksOn("node2")).containsExactly("multi");
    assertThat(f.dispatcher.nodeConfigs("node2").orElseThrow().configs().get(0).instances()).hasSize(2);
  }

  @Test
  void item35_configsOfTheSameCheckWithDifferentDigestsAreSeparateUnits() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    Config pg1 = Config.builder("postgres").clusterCheck(true).instanceYaml("host: db1\n").build();
    Config pg2 = Config.builder("postgres").clusterCheck(true).instanceYaml("host: db2\n").build();
    f.schedule(pg1, pg2);
    f.report("node2", 0);
    f.dispatcher.updateRunnerStats(Map.of("node1", runner("node1", 4, Map.of(idOf(pg1), 6000L, idOf(pg2), 6000L))));
    RebalanceResult r = f.dispatcher.rebalance(true, false).join();
    assertThat(r.moves()).hasSize(1);
    assertThat(f.checksOn("node1")).containsExactly("postgres");
    assertThat(f.checksOn("node2")).containsExactly("postgres");
  }

  @Test
  void aDryRunProposesWithoutMoving() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    Config c = check("c");
    Config d = check("d");
    f.schedule(c, d);
    f.report("node2", 0);
    f.dispatcher.updateRunnerStats(Map.of("node1", runner("node1", 4, Map.of(idOf(c), 6000L, idOf(d), 6000L))));
    long v1 = f.versionOf("node1");
    RebalanceResult r = f.dispatcher.rebalance(true, true).join();
    assertThat(r.applied()).isFalse();
    assertThat(r.reason()).isEqualTo("dry run");
    assertThat(r.moves()).hasSize(1);
    assertThat(f.checksOn("node1")).containsExactly("c", "d");
    assertThat(f.versionOf("node1")).isEqualTo(v1);
  }

  @Test
  void aPeriodicRebalanceLeavesASmallImbalanceAlone() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.report("node2", 0);
    Config a = check("a");
    Config b = check("b");
    f.schedule(a, b);
    // 1.0 vs 0.95 workers of load: 2.6% above the mean, inside the 10% trigger band.
    f.dispatcher.updateRunnerStats(Map.of(
        "node1", runner("node1", 4, Map.of(idOf(a), 15_000L)),
        "node2", runner("node2", 4, Map.of(idOf(b), 14_250L))));
    RebalanceResult r = f.dispatcher.rebalance(false, false).join();
    assertThat(r.applied()).isFalse();
    assertThat(f.checksOn("node1")).containsExactly("a");
  }

  @Test
  void items46to48_isolate() {
    DispatcherFixture f = new DispatcherFixture().active();
    assertThat(f.dispatcher.isolate("x:1").join().reason()).isEqualTo("No other runners available");
    f.report("A", 0);
    Config a0 = check("A0");
    Config a1 = check("A1");
    Config a2 = check("A2");
    f.schedule(a0, a1, a2);
    f.report("B", 0);
    Config b0 = check("B0");
    f.schedule(b0);
    assertThat(f.checksOn("A")).containsExactly("A0", "A1", "A2");

    IsolateResult ok = f.dispatcher.isolate(idOf(a2)).join();
    assertThat(ok).isEqualTo(new IsolateResult(idOf(a2), "A", true, ""));
    assertThat(f.checksOn("A")).containsExactly("A2");
    assertThat(f.checksOn("B")).containsExactlyInAnyOrder("B0", "A0", "A1");

    IsolateResult unknown = f.dispatcher.isolate("A5:deadbeef").join();
    assertThat(unknown).isEqualTo(new IsolateResult("A5:deadbeef", "", false, "Unable to find check"));
    assertThat(f.checksOn("B")).hasSize(3);
  }

  @Test
  void statsForACheckWeDoNotKnowOrFromTheWrongRunnerAreNotMisread() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.report("node2", 0);
    Config a = check("a");
    f.schedule(a);
    assertThat(f.checksOn("node1")).containsExactly("a");
    // node2 claims to run a's check (a stale report after a move): ignored for a's load.
    f.dispatcher.updateRunnerStats(Map.of(
        "node2", runner("node2", 4, Map.of(idOf(a), 14_000L, "unknown:1", 100L)),
        "ghost", runner("ghost", 4, Map.of(idOf(a), 1L))));
    RebalanceResult r = f.dispatcher.rebalance(true, true).join();
    assertThat(r.moves()).as("a has no measured load, so it is pinned").isEmpty();
    assertThat(f.stats().nodeCount()).isEqualTo(2);
  }
}
