package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The state, stats and placement views are snapshots the dispatch thread publishes after every
 * transition: a reader never waits for that thread, and a read made once a change's task ran sees
 * the change.
 */
class ReadersNeverWaitTest {
  private static final NodeStatus FIRST = new NodeStatus(0, NodeType.CLC_RUNNER);

  private static List<String> checksOf(StateResponse state, String node) {
    return state.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow()
        .configs().stream().map(Config::checkName).toList();
  }

  @Test
  void viewsAnswerFromTheLastSnapshotWhileTheDispatchThreadHoldsWork() {
    SteppedDispatchThread thread = new SteppedDispatchThread();
    Dispatcher d = new Dispatcher(DispatcherSettings.defaults(), thread, thread, new SimpleMeterRegistry());
    d.start();
    thread.time.advance(DispatcherSettings.defaults().warmupDuration());
    d.processNodeStatus("node1", "", FIRST);
    d.schedule(List.of(clusterCheck("a")));
    PlacementCopy before = d.placementCopy();

    // The dispatch thread is stuck: nothing it is given runs until it is released. Waiting for
    // it (as these views used to, for up to 10 s) would fail every read below.
    thread.hold();
    d.schedule(List.of(clusterCheck("b")));
    d.processNodeStatus("node2", "", FIRST);
    assertThat(thread.queued()).isEqualTo(2);

    StateResponse state = d.state();
    assertThat(state.nodes()).extracting(StateResponse.Node::name).containsExactly("node1");
    assertThat(checksOf(state, "node1")).containsExactly("a");
    DispatchStats stats = d.stats();
    assertThat(stats.nodeCount()).isEqualTo(1);
    assertThat(stats.totalConfigs()).isEqualTo(1);
    assertThat(d.placement()).hasSize(1);
    assertThat(d.placementCopy()).isSameAs(before);
    assertThat(thread.queued()).as("the reads queued nothing").isEqualTo(2);

    thread.settle();
    state = d.state();
    assertThat(state.nodes()).extracting(StateResponse.Node::name).containsExactly("node1", "node2");
    assertThat(d.stats().totalConfigs()).isEqualTo(2);
    assertThat(d.placement()).hasSize(2);
    assertThat(d.placementCopy().version()).isGreaterThan(before.version());
  }

  @Test
  void aReadAfterACommandsFutureCompletedSeesItsChange() throws Exception {
    try (TaskScheduler scheduler = TaskScheduler.singleThread("dispatch-test")) {
      Dispatcher d = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
          InstantSource.system(), scheduler, new SimpleMeterRegistry());
      d.start();
      await().until(() -> d.isLeading() && !d.isWarmingUp());
      d.processNodeStatus("node1", "", FIRST);
      d.processNodeStatus("node2", "", FIRST);
      d.schedule(List.of(clusterCheck("a"), clusterCheck("b"), clusterCheck("c"), clusterCheck("d")));
      await().until(() -> d.stats().activeConfigs() == 4 && d.stats().nodeCount() == 2);

      Map<String, String> placement = d.placement();
      String digest = placement.keySet().iterator().next();
      String home = placement.get(digest);
      IsolateResult isolated = d.isolate(digest).get(10, TimeUnit.SECONDS);
      assertThat(isolated.isolated()).isTrue();
      // No waiting, no polling: the snapshot was published before the future completed.
      assertThat(d.state().nodes().stream().filter(n -> n.name().equals(home)).findFirst().orElseThrow()
          .configs()).hasSize(1);
      assertThat(d.placement().values().stream().filter(home::equals).count()).isEqualTo(1);

      d.stop().get(10, TimeUnit.SECONDS);
      assertThat(d.stats().nodeCount()).isZero();
      assertThat(d.stats().totalConfigs()).as("the inventory stays").isEqualTo(4);
      assertThat(d.state().nodes()).isEmpty();
    }
  }
}
