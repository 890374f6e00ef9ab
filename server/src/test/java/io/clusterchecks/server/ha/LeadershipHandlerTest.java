package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.server.api.RequestGate;
import io.clusterchecks.server.ha.LeadershipHandler.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler state machine (docs/reference/leader-election.md section 3; docs/reference/scenarios.md item 1 adapted): transitions and events, the gate's answer in
 * each state, and the rule the reference breaks: seeing no leader never makes a replica lead.
 */
class LeadershipHandlerTest {
  private static final Duration WARMUP = Duration.ofSeconds(5);
  private static final LeaderAddress SELF = new LeaderAddress("dca-0", "10.0.0.1", 5005);
  private static final LeaderAddress A = new LeaderAddress("dca-1", "1.2.3.4", 5005);
  private static final LeaderAddress A2 = new LeaderAddress("dca-1", "1.2.3.40", 5005);
  private static final LeaderAddress B = new LeaderAddress("dca-2", "1.2.3.5", 5005);

  private final ManualTime time = new ManualTime();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Dispatcher dispatcher = new Dispatcher(
      DispatcherSettings.defaults().withWarmupDuration(WARMUP), time, time, registry);
  private final LeaderForwarder forwarder = new LeaderForwarder(4);
  private final LeadershipHandler handler =
      new LeadershipHandler(dispatcher, SELF, forwarder, true, registry);
  private final List<Role> events = new ArrayList<>();

  {
    handler.addObserver(events::add);
  }

  @AfterEach
  void close() {
    forwarder.close();
  }

  @Test
  void transitionsAndEvents() {
    // Fresh: unknown, the gate answers 503 Startup in progress.
    assertThat(handler.role()).isEqualTo(Role.UNKNOWN);
    assertThat(handler.admit()).isEqualTo(new RequestGate.Reject(503, RequestGate.STARTUP_IN_PROGRESS));
    assertThat(handler.notRunningReason()).isEqualTo("Startup in progress");
    assertThat(isLeaderGauge()).isEqualTo("false");

    // No leader observed, and errors: stay unknown, no event, and above all no self-promotion.
    handler.leaderUnknown();
    for (int i = 0; i < 4; i++) {
      handler.observationFailed("reading the lease", new RuntimeException("boom " + i));
    }
    assertThat(handler.role()).isEqualTo(Role.UNKNOWN);
    assertThat(events).isEmpty();
    assertThat(dispatcher.isLeading()).isFalse();

    // Leading: a leader event; the dispatcher leads; the gate serves.
    handler.leading();
    assertThat(events).containsExactly(Role.LEADER);
    assertThat(dispatcher.isLeading()).isTrue();
    assertThat(handler.admit()).isEqualTo(RequestGate.Serve.INSTANCE);
    assertThat(handler.notRunningReason()).isEmpty();
    assertThat(isLeaderGauge()).isEqualTo("true");
    handler.leading();
    assertThat(events).hasSize(1);

    // An error while leading changes nothing.
    handler.observationFailed("renewing", new RuntimeException("x"));
    assertThat(handler.role()).isEqualTo(Role.LEADER);

    // Another leader: a follower event; the dispatcher stops at once; requests are forwarded.
    handler.following(A);
    assertThat(events).containsExactly(Role.LEADER, Role.FOLLOWER);
    assertThat(dispatcher.isLeading()).isFalse();
    assertThat(handler.admit()).isInstanceOf(RequestGate.Forward.class);
    assertThat(handler.notRunningReason()).isEqualTo("currently follower");
    assertThat(handler.followedLeader()).contains(A);
    assertThat(isLeaderGauge()).isEqualTo("false");

    // The leader's address changes: the target is updated, no event.
    handler.following(A2);
    assertThat(events).hasSize(2);
    assertThat(handler.followedLeader()).contains(A2);

    // The leader is gone and none is known: unknown, not leader (the reference promoted itself).
    handler.leaderUnknown();
    assertThat(events).containsExactly(Role.LEADER, Role.FOLLOWER, Role.UNKNOWN);
    assertThat(handler.admit()).isEqualTo(new RequestGate.Reject(503, RequestGate.STARTUP_IN_PROGRESS));
    assertThat(dispatcher.isLeading()).isFalse();

    // Leader again, then unknown straight from leader: steps down.
    handler.leading();
    handler.leaderUnknown();
    assertThat(events).containsExactly(Role.LEADER, Role.FOLLOWER, Role.UNKNOWN, Role.LEADER, Role.UNKNOWN);
    assertThat(dispatcher.isLeading()).isFalse();
  }

  @Test
  void aFreshHandlerFollowsAtOnce() {
    handler.following(A);
    assertThat(events).containsExactly(Role.FOLLOWER);
    assertThat(dispatcher.isLeading()).isFalse();
  }

  @Test
  void itsOwnAddressReportedAsLeaderIsNoLeader() {
    handler.following(A);
    handler.following(new LeaderAddress("dca-0", "10.0.0.1", 5005));
    assertThat(handler.role()).isEqualTo(Role.UNKNOWN);
    assertThat(handler.followedLeader()).isEmpty();
  }

  @Test
  void warmCopyComesFromTheFollowedLeaderOnlyAndSeedsTheNextLeadership() {
    List<Config> configs = List.of(check("c1"), check("c2"), check("c3"), check("c4"));
    // A first leadership, to learn the digests the dispatcher uses.
    handler.leading();
    leadWith(configs);
    Map<String, String> first = dispatcher.placement();
    assertThat(first).hasSize(4).containsValues("w1", "w2");

    // Following A: the copy is this replica's own last placement, then A's (B's is ignored).
    handler.following(A);
    assertThat(handler.warmCopy()).isEqualTo(first);
    Map<String, String> skewed = new java.util.HashMap<>(first);
    skewed.replaceAll((digest, node) -> "w2"); // least-configs would never do this
    handler.acceptPlacement(B, Map.of("d1", "w9"));
    assertThat(handler.warmCopy()).isEqualTo(first);
    handler.acceptPlacement(A, skewed);
    assertThat(handler.warmCopy()).isEqualTo(skewed);

    // Leading again starts from the copy: every config goes back where A had it.
    handler.leaderUnknown();
    handler.leading();
    leadWith(configs);
    assertThat(dispatcher.placement()).isEqualTo(skewed);

    // A pull from the old leader that lands after this replica took over is ignored.
    handler.acceptPlacement(A, Map.of());
    assertThat(handler.warmCopy()).isEqualTo(skewed);
  }

  @Test
  void steppingDownKeepsTheConfigsSoLeadingAgainNeedsNoReplay() {
    List<Config> configs = List.of(check("c1"), check("c2"), check("c3"));
    handler.leading();
    leadWith(configs);
    Map<String, String> first = dispatcher.placement();
    assertThat(first).hasSize(3);

    handler.following(A);
    assertThat(dispatcher.stats().totalConfigs()).as("the inventory survives the step-down").isEqualTo(3);
    assertThat(dispatcher.stats().nodeCount()).as("the leader state does not").isZero();
    assertThat(dispatcher.stats().activeConfigs()).isZero();

    // Leading again: nothing is scheduled again, the workers report, the configs go back.
    handler.leaderUnknown();
    handler.leading();
    for (String w : List.of("w1", "w2")) {
      dispatcher.processNodeStatus(w, "", new NodeStatus(0, NodeType.CLC_RUNNER));
    }
    time.advance(WARMUP);
    assertThat(dispatcher.placement()).isEqualTo(first);
  }

  @Test
  void aPlacementFromAnOlderTermIsNeverTakenAndTheTermReachesTheTokens() {
    List<Config> configs = List.of(check("c1"), check("c2"));
    handler.leading(5);
    leadWith(configs);
    long token = dispatcher.nodeConfigs("w1").orElseThrow().lastChange();
    assertThat(Dispatcher.termOf(token)).as("tokens carry the election's term").isEqualTo(5);
    Map<String, String> own = dispatcher.placement();

    // Deposed: the copy held is this replica's own, of term 5.
    handler.following(A);
    assertThat(handler.warmCopy()).isEqualTo(own);
    // A late answer of a leader of term 4 (two replicas both believed they led for a moment).
    assertThat(handler.acceptPlacement(A, 4L << 32 | 9, Map.of("d", "stale"))).isNull();
    assertThat(handler.warmCopy()).isEqualTo(own);
    // The new leader's copy, term 6, is taken; then nothing older than 6 is.
    assertThat(handler.acceptPlacement(A, 6L << 32 | 1, Map.of("d", "w1"))).isEqualTo(Map.of("d", "w1"));
    assertThat(handler.acceptPlacement(A, 5L << 32 | 99, Map.of("d", "w2"))).isNull();
    assertThat(handler.warmCopy()).isEqualTo(Map.of("d", "w1"));
  }

  /** What the sources and the workers do during a warmup. */
  private void leadWith(List<Config> configs) {
    dispatcher.schedule(configs);
    for (String w : List.of("w1", "w2")) {
      dispatcher.processNodeStatus(w, "", new NodeStatus(0, NodeType.CLC_RUNNER));
    }
    time.advance(WARMUP);
  }

  private static Config check(String name) {
    return Config.builder(name).clusterCheck(true).instanceYaml("name: " + name)
        .initConfigYaml("{}").source("test:" + name).build();
  }

  private String isLeaderGauge() {
    List<Gauge> gauges = new ArrayList<>(registry.find(LeadershipHandler.METRIC).tag("join_leader", "true").gauges());
    assertThat(gauges).hasSize(1);
    assertThat(gauges.get(0).value()).isEqualTo(1.0);
    return gauges.get(0).getId().getTag("is_leader");
  }
}
