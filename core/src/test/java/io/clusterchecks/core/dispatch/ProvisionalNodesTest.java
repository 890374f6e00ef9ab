package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A new leader whose workers have not reached it yet (they still wait on a frozen leader, or on a
 * follower forwarding to it) keeps every config on the worker the previous placement names until
 * that worker has been silent for the expiration timeout, not only until its warmup ends.
 */
class ProvisionalNodesTest {
  /** Shorter than the 30 s timeout, as when workers are slow to find the new leader. */
  private static final DispatcherSettings SETTINGS =
      DispatcherSettings.defaults().withWarmupDuration(Duration.ofSeconds(5));

  private static List<Config> configs(int n) {
    List<Config> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(clusterCheck("c" + i));
    }
    return out;
  }

  /** The previous leader's placement of {@code configs} over {@code workers}, by least configs. */
  private static Map<String, String> oldLeaderPlacement(List<Config> configs, int workers) {
    DispatcherFixture old = new DispatcherFixture().active();
    for (int i = 0; i < workers; i++) {
      old.report("w" + i, 0);
    }
    old.dispatcher.schedule(configs);
    Map<String, String> placement = old.dispatcher.placement();
    assertThat(placement).hasSize(configs.size());
    return placement;
  }

  private static Map<String, Integer> countByWorker(Map<String, String> placement) {
    Map<String, Integer> counts = new TreeMap<>();
    placement.values().forEach(w -> counts.merge(w, 1, Integer::sum));
    return counts;
  }

  @Test
  void noWorkerReportsBeforeWarmupEndsThenAllReport_nothingMoves() {
    List<Config> configs = configs(62);
    Map<String, String> before = oldLeaderPlacement(configs, 10);

    DispatcherFixture next = new DispatcherFixture(SETTINGS);
    next.dispatcher.start(2, before);
    next.dispatcher.schedule(configs); // the sources, as on any replica
    next.time.advance(SETTINGS.warmupDuration()); // nobody reached the new leader yet
    assertThat(next.dispatcher.placement()).as("kept, though no worker reported").isEqualTo(before);
    assertThat(next.stats().danglingConfigs()).isZero();

    // The workers find the new leader one after another, each echoing the old leader's token.
    List<String> reported = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      next.time.advanceSeconds(2);
      String w = "w" + i;
      assertThat(next.report(w, 12345)).as("a token of another leader is not current").isFalse();
      reported.add(w);
      reported.forEach(next::heartbeat);
      assertThat(next.dispatcher.placement()).as("after %s reported", w).isEqualTo(before);
      // What it fetches is what it ran: a worker diffing by digest restarts nothing.
      List<String> expected = new ArrayList<>();
      before.forEach((digest, node) -> {
        if (node.equals(w)) {
          expected.add(digest);
        }
      });
      assertThat(next.dispatcher.nodeConfigs(w).orElseThrow().configs()).extracting(io.clusterchecks.core.config.Digests::digest)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    // Well past the timeout counted from the leadership start, all live: still nothing moved.
    for (int t = 0; t < 40; t += 10) {
      next.time.advanceSeconds(10);
      reported.forEach(next::heartbeat);
    }
    assertThat(next.dispatcher.placement()).isEqualTo(before);
    assertThat(next.stats().nodeCount()).isEqualTo(10);
  }

  @Test
  void aWorkerThatNeverReportsExpiresATimeoutAfterTheLeadershipStartAndItsConfigsAreSpread() {
    List<Config> configs = configs(40);
    Map<String, String> before = oldLeaderPlacement(configs, 4);
    DispatcherFixture next = new DispatcherFixture(SETTINGS);
    // The old leader froze: its last reports are already 20 s old when this replica leads, so
    // counted from them w3 would be out in 10 s. It is counted from the later of the two, the
    // leadership start, because workers could not have reported to this leader before.
    next.time.advanceSeconds(20);
    long start = next.time.millis();
    next.dispatcher.start(2, before);
    next.dispatcher.schedule(configs);
    next.time.advance(SETTINGS.warmupDuration());
    List<String> live = List.of("w0", "w1", "w2");
    live.forEach(w -> next.report(w, 7));
    long timeout = SETTINGS.nodeExpirationTimeout().toMillis();
    while (next.time.millis() + 5_000 < start + timeout) {
      next.time.advanceSeconds(5);
      live.forEach(next::heartbeat);
    }
    next.time.advanceMillis(start + timeout - 1 - next.time.millis());
    assertThat(next.dispatcher.placement()).as("w3 is within its grace").isEqualTo(before);
    assertThat(next.dispatcher.nodeConfigs("w3")).isPresent();

    next.time.advanceMillis(1);
    assertThat(next.dispatcher.nodeConfigs("w3")).as("w3 expired").isEmpty();
    Map<String, String> after = next.dispatcher.placement();
    assertThat(after).hasSize(40);
    before.forEach((digest, node) -> {
      if (!node.equals("w3")) {
        assertThat(after.get(digest)).as("%s stays on %s", digest, node).isEqualTo(node);
      }
    });
    // w3's ten configs are spread over the three live workers, not all onto one.
    Map<String, Integer> moved = new TreeMap<>();
    before.forEach((digest, node) -> {
      if (node.equals("w3")) {
        moved.merge(after.get(digest), 1, Integer::sum);
      }
    });
    assertThat(moved.keySet()).containsExactlyInAnyOrderElementsOf(live);
    assertThat(moved.values()).allSatisfy(n -> assertThat(n).isBetween(3, 4));
    assertThat(countByWorker(after).values()).allSatisfy(n -> assertThat(n).isBetween(13, 14));
  }

  @Test
  void aProvisionalWorkerWhoseFirstStatusRacesItsExpiryStaysAndKeepsItsConfigs() {
    List<Config> configs = configs(8);
    Map<String, String> before = oldLeaderPlacement(configs, 2);
    ManualTimeWithHook clock = new ManualTimeWithHook();
    Dispatcher d = new Dispatcher(SETTINGS, clock, clock.time, new SimpleMeterRegistry());
    d.start(2, before);
    d.schedule(configs);
    clock.time.advance(SETTINGS.warmupDuration());
    d.processNodeStatus("w0", "", new NodeStatus(-1, NodeType.CLC_RUNNER));
    clock.time.advance(SETTINGS.nodeExpirationTimeout().minus(SETTINGS.warmupDuration()).minusSeconds(1));
    d.processNodeStatus("w0", "", new NodeStatus(-1, NodeType.CLC_RUNNER));

    // w1's first status lands on an HTTP thread just as the dispatch thread expires the
    // provisional nodes (when it reads the time): its registration is queued behind the expiry.
    clock.onNextRead(() -> d.processNodeStatus("w1", "", new NodeStatus(-1, NodeType.CLC_RUNNER)));
    clock.time.advanceSeconds(1);

    assertThat(d.placement()).as("w1 reported in time: nothing moves").isEqualTo(before);
    assertThat(d.stats().nodeCount()).isEqualTo(2);
  }

  @Test
  void aWarmupLongerThanTheTimeoutLeavesNoProvisionalNode() {
    List<Config> configs = configs(6);
    Map<String, String> before = oldLeaderPlacement(configs, 2);
    DispatcherSettings s = DispatcherSettings.defaults()
        .withWarmupDuration(Duration.ofSeconds(40)).withNodeExpirationTimeout(Duration.ofSeconds(30));
    DispatcherFixture next = new DispatcherFixture(s);
    next.dispatcher.start(2, before);
    next.dispatcher.schedule(configs);
    next.time.advanceSeconds(1);
    next.report("w0", 0);
    for (int t = 1; t < 40; t += 10) {
      next.time.advanceSeconds(10);
      next.heartbeat("w0");
    }
    // w1 was silent for longer than the timeout since this replica leads: it is gone.
    Map<String, String> after = next.dispatcher.placement();
    assertThat(after).hasSize(6);
    assertThat(new HashMap<>(after).values()).containsOnly("w0");
    assertThat(next.dispatcher.nodeConfigs("w1")).isEmpty();
  }

  /**
   * With the default settings (warmup and timeout both 30 s) the warmup ends exactly when a
   * worker not yet reported has been silent for the timeout since this leadership started. A
   * worker whose first status is recorded at that instant, with its registration queued behind
   * the end of the warmup, has not been silent for longer: it keeps its configs. Whether a
   * provisional node goes is decided only by its expiry, never at the end of the warmup.
   */
  @Test
  void withTheDefaultSettingsAWorkerReportingAsTheWarmupEndsKeepsItsConfigs() {
    List<Config> configs = configs(20);
    Map<String, String> before = oldLeaderPlacement(configs, 2);
    DispatcherSettings defaults = DispatcherSettings.defaults();
    assertThat(defaults.warmupDuration()).isEqualTo(defaults.nodeExpirationTimeout());
    SteppedDispatchThread thread = new SteppedDispatchThread();
    Dispatcher d = new Dispatcher(defaults, thread, thread, new SimpleMeterRegistry());
    d.start(2, before);
    d.schedule(configs);
    for (int t = 0; t < 30; t += 10) {
      d.processNodeStatus("w0", "", new NodeStatus(-1, NodeType.CLC_RUNNER));
      thread.time.advanceSeconds(t < 20 ? 10 : 9);
    }
    assertThat(d.isWarmingUp()).isTrue();

    thread.hold();
    // The warmup timer fires into the dispatch queue; w1's first status lands right after.
    thread.time.advanceSeconds(1);
    d.processNodeStatus("w1", "", new NodeStatus(-1, NodeType.CLC_RUNNER));
    thread.settle();

    assertThat(d.isWarmingUp()).isFalse();
    assertThat(d.placement()).as("w1 reported within its grace: nothing moves").isEqualTo(before);
    assertThat(d.stats().nodeCount()).isEqualTo(2);
    assertThat(d.state().nodes()).noneMatch(StateResponse.Node::provisional);
  }

  @Test
  void withTheDefaultSettingsAWorkerThatNeverReportsGoesWhenTheWarmupEnds() {
    List<Config> configs = configs(20);
    Map<String, String> before = oldLeaderPlacement(configs, 2);
    DispatcherFixture next = new DispatcherFixture();
    next.dispatcher.start(2, before);
    next.dispatcher.schedule(configs);
    next.report("w0", -1);
    next.time.advance(next.settings.warmupDuration().minusMillis(1));
    next.heartbeat("w0");
    assertThat(next.dispatcher.isWarmingUp()).isTrue();
    next.time.advanceMillis(1);
    // Silent for the whole timeout since this replica leads: it is gone, its configs on w0.
    assertThat(next.dispatcher.placement()).hasSize(20);
    assertThat(new HashMap<>(next.dispatcher.placement()).values()).containsOnly("w0");
    assertThat(next.dispatcher.state().nodes()).extracting(StateResponse.Node::name).containsExactly("w0");
  }

  @Test
  void aProvisionalWorkerIsFlaggedInTheStateUntilItReports() {
    List<Config> configs = configs(6);
    Map<String, String> before = oldLeaderPlacement(configs, 2);
    DispatcherFixture next = new DispatcherFixture(SETTINGS);
    next.dispatcher.start(2, before);
    next.dispatcher.schedule(configs);
    next.report("w0", -1);
    next.time.advance(SETTINGS.warmupDuration());

    StateResponse state = next.dispatcher.state();
    assertThat(state.nodes()).extracting(StateResponse.Node::name, StateResponse.Node::provisional)
        .containsExactly(tuple("w0", false), tuple("w1", true));
    assertThat(state.nodes().get(1).configs()).hasSize(3);
    String json = new String(ConfigCodec.toJson(state), StandardCharsets.UTF_8);
    assertThat(json).contains("\"provisional\":true").doesNotContain("\"provisional\":false");
    assertThat(json.indexOf("\"provisional\"")).isEqualTo(json.lastIndexOf("\"provisional\""));
    assertThat(next.stats().nodeCount()).as("reporting nodes only").isEqualTo(1);

    next.report("w1", -1);
    state = next.dispatcher.state();
    assertThat(state.nodes()).noneMatch(StateResponse.Node::provisional);
    assertThat(new String(ConfigCodec.toJson(state), StandardCharsets.UTF_8)).doesNotContain("provisional");
    assertThat(next.dispatcher.placement()).isEqualTo(before);
  }
}
