package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static io.clusterchecks.core.dispatch.DispatcherFixture.endpointsCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The reference's dispatcher scenarios (docs/reference/scenarios.md items 4 to 18 and 22), as they apply to
 * our design. Where our behaviour deliberately differs, the test says so.
 */
class DispatcherScenariosTest {

  @Test
  void item4_onlyClusterChecksAreStoredAndTheyDangleWithoutNodes() {
    DispatcherFixture f = new DispatcherFixture().active();
    Config plain = clusterCheck("plain").toBuilder().clusterCheck(false).build();
    Config cluster = clusterCheck("cluster");

    f.schedule(plain, cluster);
    assertThat(f.stats().totalConfigs()).isEqualTo(1);
    assertThat(f.stats().danglingConfigs()).isEqualTo(1);
    assertThat(f.dispatcher.state().dangling()).extracting(Config::checkName).containsExactly("cluster");

    f.unschedule(plain, cluster);
    assertThat(f.stats().totalConfigs()).isZero();
    assertThat(f.stats().danglingConfigs()).isZero();
    assertThat(f.gauge("cluster_checks_configs_dangling")).isZero();
  }

  @Test
  void item5_endpointsChecksAreStoredPerKubernetesNode() {
    DispatcherFixture f = new DispatcherFixture().active();
    Config generic = clusterCheck("generic");
    Config endpoints = endpointsCheck("ep", "node1");

    f.schedule(generic, endpoints);
    assertThat(f.dispatcher.endpointsConfigs("node1").configs()).extracting(Config::checkName).containsExactly("ep");
    assertThat(f.stats().totalConfigs()).as("endpoints checks are not cluster-dispatched").isEqualTo(1);

    f.unschedule(endpoints);
    assertThat(f.dispatcher.endpointsConfigs("node1").configs()).isEmpty();
  }

  @Test
  void item6_metricsExcludedEndpointsChecksAreIgnored() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.schedule(endpointsCheck("ep1", "node1").toBuilder().metricsExcluded(true).build(),
        endpointsCheck("ep2", "node2"));
    assertThat(f.dispatcher.endpointsConfigs("node1").configs()).isEmpty();
    assertThat(f.dispatcher.endpointsConfigs("node2").configs()).hasSize(1);
  }

  @Test
  void item7_schedulingAKnownDigestAgainDoesNotMoveOrDuplicateIt() {
    // The reference moves a re-added config to whichever node it picks; we keep it where it runs,
    // so a source replay causes no churn. The move itself is covered by item 14 (expiry).
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.schedule(clusterCheck("C"));
    f.report("node2", 0);
    f.schedule(clusterCheck("C"));
    assertThat(f.checksOn("node1")).containsExactly("C");
    assertThat(f.checksOn("node2")).isEmpty();
    assertThat(f.stats().totalConfigs()).isEqualTo(1);
  }

  @Test
  void item8_endpointsChecksAccumulatePerNode() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.schedule(endpointsCheck("a", "node1"), endpointsCheck("b", "node1"), endpointsCheck("c", "node3"));
    assertThat(f.dispatcher.endpointsConfigs("node1").configs()).hasSize(2);
    assertThat(f.dispatcher.endpointsConfigs("node3").configs()).hasSize(1);
    assertThat(f.dispatcher.endpointsConfigs("node2").configs()).isEmpty();
  }

  @Test
  void item9_removeThenReAddOnTheSameNode() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.schedule(clusterCheck("C"));
    f.unschedule(clusterCheck("C"));
    assertThat(f.checksOn("node1")).isEmpty();
    f.schedule(clusterCheck("C"));
    assertThat(f.checksOn("node1")).containsExactly("C");
    assertThat(f.stats().totalConfigs()).isEqualTo(1);
  }

  @Test
  void item10_nodeTypeCounts() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("runner1", 0, NodeType.CLC_RUNNER, "");
    f.report("runner2", 0, NodeType.CLC_RUNNER, "");
    f.report("agent1", 0, NodeType.NODE_AGENT, "");
    f.report("agent2", 0, NodeType.NODE_AGENT, "");
    f.report("agent3", 0, NodeType.NODE_AGENT, "");
    assertThat(f.stats().nodeTypes())
        .containsEntry(NodeType.CLC_RUNNER, 2)
        .containsEntry(NodeType.NODE_AGENT, 3)
        .containsEntry(NodeType.UNKNOWN, 0);
  }

  @Test
  void item11_statusProcessing() {
    DispatcherFixture f = new DispatcherFixture();
    f.dispatcher.start();
    // Warmup: whatever the worker has, it is told to keep it.
    assertThat(f.report("node1", 10)).isTrue();
    assertThat(f.stats().nodeCount()).isEqualTo(1);

    f.time.advance(f.settings.warmupDuration());
    // After warmup the node is at version 0, so 10 is stale.
    assertThat(f.report("node1", 10)).isFalse();

    f.schedule(clusterCheck("C"));
    long version = f.versionOf("node1");
    f.time.advanceSeconds(20);
    assertThat(f.report("node1", version - 2)).isFalse();
    // The stale report still counted as a heartbeat: the node survives past 30 s after the first one.
    f.time.advanceSeconds(20);
    assertThat(f.stats().nodeCount()).isEqualTo(1);

    assertThat(f.report("node1", version)).isTrue();
    assertThat(f.report("node1", version, NodeType.CLC_RUNNER, "10.0.0.9")).isTrue();
    assertThat(f.dispatcher.stats().nodeCount()).isEqualTo(1);
  }

  @Test
  void item11_heartbeatOnlyIsAlwaysUpToDate() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.schedule(clusterCheck("C"));
    assertThat(f.report("node1", 0)).isFalse();
    assertThat(f.report("node1", -1)).isTrue();
  }

  @Test
  void item12_leastConfigsWinsAndTiesGoToTheSmallestName() {
    // Without the arrival window, as the reference: the first node to report takes what waits.
    DispatcherFixture f = new DispatcherFixture(DispatcherSettings.defaults().withArrivalWindow(Duration.ZERO)).active();
    f.schedule(clusterCheck("first"));
    assertThat(f.stats().danglingConfigs()).as("no node: dangling").isEqualTo(1);

    f.report("node2", 0);
    f.report("node1", 0);
    // The dangling config went to node2, the only node then.
    assertThat(f.checksOn("node2")).containsExactly("first");
    f.schedule(clusterCheck("a"));
    assertThat(f.checksOn("node1")).containsExactly("a");
    f.schedule(clusterCheck("b"));
    assertThat(f.checksOn("node1")).as("tie at 1 each: node1 sorts first").containsExactly("a", "b");
    f.schedule(clusterCheck("c"));
    assertThat(f.checksOn("node2")).containsExactly("first", "c");

    f.report("node3", 0);
    f.schedule(clusterCheck("d"));
    assertThat(f.checksOn("node3")).containsExactly("d");
  }

  @Test
  void item13_aNodeExpiresExactlyAtTheTimeoutAndItsConfigsMoveAtOnce() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("nodeA", 0);
    f.report("nodeB", 0);
    f.schedule(clusterCheck("a1"), clusterCheck("b1"), clusterCheck("a2"));
    assertThat(f.checksOn("nodeA")).containsExactlyInAnyOrder("a1", "a2");
    assertThat(f.checksOn("nodeB")).containsExactly("b1");

    // nodeA keeps reporting; nodeB goes silent at t0.
    for (int i = 0; i < 2; i++) {
      f.time.advanceSeconds(10);
      f.heartbeat("nodeA");
    }
    f.time.advance(Duration.ofSeconds(9).plusMillis(999));
    assertThat(f.stats().nodeCount()).as("29.999 s after its last report nodeB still counts").isEqualTo(2);

    f.time.advanceMillis(1);
    assertThat(f.stats().nodeCount()).isEqualTo(1);
    assertThat(f.dispatcher.nodeConfigs("nodeB")).isEmpty();
    assertThat(f.checksOn("nodeA")).containsExactlyInAnyOrder("a1", "a2", "b1");
    assertThat(f.stats().danglingConfigs()).isZero();
  }

  @Test
  void item14_configsOfAnExpiredNodeWaitForTheNextNode() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("nodeA", 0);
    f.schedule(clusterCheck("A"));
    f.time.advanceSeconds(35);
    assertThat(f.stats().nodeCount()).isZero();
    assertThat(f.stats().danglingConfigs()).isEqualTo(1);

    f.report("nodeB", 0);
    // Unlike the reference, the first node to report gets waiting configs after the arrival
    // window, so that nodes reporting meanwhile share them.
    assertThat(f.checksOn("nodeB")).isEmpty();
    f.time.advance(f.settings.arrivalWindow());
    assertThat(f.checksOn("nodeB")).containsExactly("A");
    assertThat(f.stats().totalConfigs()).isEqualTo(1);
    assertThat(f.stats().danglingConfigs()).isZero();
  }

  @Test
  void item15_evenSpread() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.report("node2", 0);
    f.schedule(clusterCheck("A"), clusterCheck("B"), clusterCheck("C"), clusterCheck("D"));
    List<String> on1 = f.checksOn("node1");
    List<String> on2 = f.checksOn("node2");
    assertThat(on1).hasSize(2);
    assertThat(on2).hasSize(2);
    Set<String> union = new HashSet<>(on1);
    union.addAll(on2);
    assertThat(union).containsExactlyInAnyOrder("A", "B", "C", "D");
  }

  @Test
  void item16_aConfigDanglingPastTheThresholdIsFlaggedOnceAndClearedWhenPlaced() {
    DispatcherSettings s = DispatcherSettings.defaults()
        .withNodeExpirationTimeout(Duration.ofSeconds(5))
        .withUnscheduledCheckThreshold(Duration.ofSeconds(10))
        .withArrivalWindow(Duration.ofSeconds(1));
    DispatcherFixture f = new DispatcherFixture(s).active();
    Config c = clusterCheck("lonely");
    f.schedule(c);
    assertThat(f.stats().danglingConfigs()).isEqualTo(1);

    f.time.advance(Duration.ofSeconds(9).plusMillis(999));
    assertThat(f.stats().unscheduledChecks()).isZero();
    f.time.advanceMillis(1);
    assertThat(f.stats().unscheduledChecks()).isEqualTo(1);
    assertThat(f.gauge("cluster_checks_unscheduled_check", "config_name", "lonely")).isEqualTo(1);
    f.time.advanceSeconds(60);
    assertThat(f.stats().unscheduledChecks()).as("flagged once").isEqualTo(1);

    f.report("node1", 0);
    f.time.advance(f.settings.arrivalWindow());
    assertThat(f.checksOn("node1")).containsExactly("lonely");
    assertThat(f.stats().unscheduledChecks()).isZero();
    assertThat(f.gauge("cluster_checks_unscheduled_check", "config_name", "lonely")).isNaN();
  }

  @Test
  void item16_thresholdIsNeverBelowTheExpirationTimeout() {
    DispatcherSettings s = DispatcherSettings.defaults()
        .withNodeExpirationTimeout(Duration.ofSeconds(30))
        .withUnscheduledCheckThreshold(Duration.ofSeconds(1));
    assertThat(s.unscheduledCheckThreshold()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void item17_unschedulingADanglingMultiInstanceConfigLeavesNothingBehind() {
    DispatcherFixture f = new DispatcherFixture().active();
    Config multi = Config.builder("multi").clusterCheck(true)
        .instanceYaml("name: one\nhost: a", "name: two\nhost: b").build();
    f.schedule(multi);
    assertThat(f.stats().danglingConfigs()).isEqualTo(1);
    DispatchState st = f.dispatcher.internalState();
    assertThat(st.digestOfCheckId(firstCheckId(f))).isNotNull();

    f.unschedule(multi);
    assertThat(f.stats().totalConfigs()).isZero();
    assertThat(f.stats().danglingConfigs()).isZero();
    assertThat(st.digestOfCheckId(firstCheckId(f))).isNull();
  }

  private static String firstCheckId(DispatcherFixture f) {
    return io.clusterchecks.core.config.CheckIds.checkIds(
        io.clusterchecks.core.config.ConfigPatcher.patchClusterCheck(
            Config.builder("multi").clusterCheck(true)
                .instanceYaml("name: one\nhost: a", "name: two\nhost: b").build(),
            f.settings.extraTags())).get(0);
  }

  @Test
  void item18_stepDownForgetsTheLeaderStateButKeepsTheConfigs() {
    // The reference empties every map and has Autodiscovery replay its configs to the next
    // leadership; we keep what the sources said (the inventory) and drop only leader state.
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.schedule(clusterCheck("C"), endpointsCheck("E", "k8s-1"));
    f.dispatcher.stop();
    assertThat(f.dispatcher.nodeConfigs("node1")).isEmpty();
    assertThat(f.dispatcher.endpointsConfigs("k8s-1").configs()).extracting(Config::checkName).containsExactly("E");
    f.dispatcher.start();
    assertThat(f.stats().totalConfigs()).isEqualTo(1);
    assertThat(f.stats().nodeCount()).isZero();
    assertThat(f.stats().activeConfigs()).isZero();
    StateResponse state = f.dispatcher.state();
    assertThat(state.nodes()).isEmpty();
    assertThat(state.dangling()).isEmpty();

    // Without a replay, the kept config is placed when the next warmup ends.
    f.report("node2", 0);
    f.time.advance(f.settings.warmupDuration().minusSeconds(10));
    f.heartbeat("node2");
    f.time.advanceSeconds(10);
    assertThat(f.checksOn("node2")).containsExactly("C");
  }

  @Test
  void item22_allEndpointsConfigs() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.schedule(endpointsCheck("a", "node2"), endpointsCheck("b", "node1"), endpointsCheck("c", "node1"));
    assertThat(f.dispatcher.allEndpointsConfigs()).extracting(Config::checkName).containsExactly("b", "c", "a");
  }

  @Test
  void excludedChecksAreNeverStored() {
    DispatcherFixture f = new DispatcherFixture(DispatcherSettings.defaults().withExcludeChecks(Set.of("noisy"))).active();
    f.report("node1", 0);
    f.schedule(clusterCheck("noisy"), clusterCheck("fine"));
    assertThat(f.checksOn("node1")).containsExactly("fine");
    assertThat(f.stats().totalConfigs()).isEqualTo(1);
  }

  @Test
  void configsArrivingDuringWarmupAreDispatchedWhenItEnds() {
    DispatcherFixture f = new DispatcherFixture();
    f.dispatcher.start();
    f.report("node1", 123);
    f.report("node2", 456);
    f.schedule(clusterCheck("a"), clusterCheck("b"));
    assertThat(f.dispatcher.isWarmingUp()).isTrue();
    assertThat(f.checksOn("node1")).isEmpty();
    assertThat(f.dispatcher.state().warmup()).isTrue();

    // Workers keep reporting every 10 s through the warmup, as real ones do.
    for (int t = 10; t <= 30; t += 10) {
      f.time.advanceSeconds(10);
      f.report("node1", 123);
      f.report("node2", 456);
    }
    assertThat(f.dispatcher.isWarmingUp()).isFalse();
    assertThat(f.checksOn("node1")).containsExactly("a");
    assertThat(f.checksOn("node2")).containsExactly("b");
    assertThat(f.report("node1", 123)).as("the old leader's token is stale now").isFalse();
    assertThat(f.stats().nodeCount()).isEqualTo(2);
  }

  @Test
  void versionTokensNeverRepeatAcrossNodeIncarnationsAndRestarts() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.schedule(clusterCheck("a"));
    long v1 = f.versionOf("node1");
    f.unschedule(clusterCheck("a"));
    long v2 = f.versionOf("node1");
    f.schedule(clusterCheck("a"));
    long v3 = f.versionOf("node1");
    assertThat(List.of(v1, v2, v3)).doesNotHaveDuplicates().isSorted();

    // The node expires and comes back: its old token must not read as current.
    long beforeRestart = v3;
    f.time.advanceSeconds(31);
    f.report("node1", v3);
    f.schedule(clusterCheck("b"));
    f.time.advance(f.settings.arrivalWindow());
    assertThat(f.versionOf("node1")).isGreaterThan(v3);
    assertThat(f.report("node1", v3)).isFalse();

    // A restarted agent in the same term (no election: always term 1) counts from 1 again, so it
    // may issue the very number the worker holds; the worker is still told to fetch, because
    // this agent never served that token. In a later term every token is greater.
    Dispatcher restarted = new Dispatcher(f.settings, f.time, f.time, f.registry);
    restarted.start();
    restarted.processNodeStatus("node1", "", new io.clusterchecks.core.wire.NodeStatus(v3, NodeType.CLC_RUNNER));
    f.time.advance(f.settings.warmupDuration().minusSeconds(1));
    restarted.schedule(List.of(clusterCheck("a")));
    restarted.processNodeStatus("node1", "", new io.clusterchecks.core.wire.NodeStatus(-1, NodeType.CLC_RUNNER));
    f.time.advanceSeconds(1);
    long sameTerm = restarted.publishedNodes().get("node1").lastChange();
    assertThat(restarted.processNodeStatus("node1", "", new io.clusterchecks.core.wire.NodeStatus(sameTerm,
        NodeType.CLC_RUNNER))).as("a token this agent never served").isFalse();
    assertThat(restarted.nodeConfigs("node1").orElseThrow().lastChange()).isEqualTo(sameTerm);
    assertThat(restarted.processNodeStatus("node1", "", new io.clusterchecks.core.wire.NodeStatus(sameTerm,
        NodeType.CLC_RUNNER))).as("once fetched").isTrue();

    Dispatcher nextTerm = new Dispatcher(f.settings, f.time, f.time, f.registry);
    nextTerm.start(2, java.util.Map.of());
    nextTerm.processNodeStatus("node1", "", new io.clusterchecks.core.wire.NodeStatus(v3, NodeType.CLC_RUNNER));
    f.time.advance(f.settings.warmupDuration().minusSeconds(1));
    nextTerm.schedule(List.of(clusterCheck("a")));
    nextTerm.processNodeStatus("node1", "", new io.clusterchecks.core.wire.NodeStatus(-1, NodeType.CLC_RUNNER));
    f.time.advanceSeconds(1);
    assertThat(nextTerm.nodeConfigs("node1").orElseThrow().lastChange()).isGreaterThan(beforeRestart);
  }

  @Test
  void gaugesFollowTheState() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.report("node2", 0);
    f.schedule(clusterCheck("a"), clusterCheck("b"), clusterCheck("c"));
    assertThat(f.gauge("cluster_checks_nodes_reporting", "join_leader", "true")).isEqualTo(2);
    assertThat(f.gauge("cluster_checks_configs_dispatched", "node", "node1")).isEqualTo(2);
    assertThat(f.gauge("cluster_checks_configs_dispatched", "node", "node2")).isEqualTo(1);
    f.time.advanceSeconds(30);
    assertThat(f.gauge("cluster_checks_nodes_reporting")).isZero();
    assertThat(f.gauge("cluster_checks_configs_dispatched", "node", "node1")).isNaN();
    assertThat(f.gauge("cluster_checks_configs_dangling")).isEqualTo(3);
    assertThat(f.registry.get("cluster_checks_nodes_expired").counter().count()).isEqualTo(2);
  }
}
