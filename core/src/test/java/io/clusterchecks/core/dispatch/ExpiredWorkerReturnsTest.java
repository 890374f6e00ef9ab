package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker that was expired (silent for the timeout) and comes back must stop running the configs
 * it held, which now run elsewhere: its first status says it is not up to date, and the fetch that
 * follows answers what it runs now (nothing, or what was given to it since), even while its
 * registration still waits behind other work on the dispatch thread.
 */
class ExpiredWorkerReturnsTest {
  private static NodeStatus status(long lastChange) {
    return new NodeStatus(lastChange, NodeType.CLC_RUNNER);
  }

  @Test
  void aReturningWorkerIsToldAtItsFirstStatusAndFetchesAnEmptyList() {
    SteppedDispatchThread thread = new SteppedDispatchThread();
    DispatcherSettings settings = DispatcherSettings.defaults();
    Dispatcher d = new Dispatcher(settings, thread, thread, new SimpleMeterRegistry());
    d.start();
    thread.time.advance(settings.warmupDuration());
    d.processNodeStatus("node1", "", status(0));
    d.processNodeStatus("node2", "", status(0));
    d.schedule(List.of(clusterCheck("a"), clusterCheck("b"), clusterCheck("c"), clusterCheck("d")));
    NodeConfigs held = d.nodeConfigs("node1").orElseThrow();
    assertThat(held.configs()).hasSize(2);

    // node1 goes silent; node2 keeps reporting. node1 expires and node2 runs everything.
    thread.time.advance(settings.nodeExpirationTimeout().minusSeconds(1));
    d.processNodeStatus("node2", "", status(NodeStatus.HEARTBEAT_ONLY));
    thread.time.advanceSeconds(1);
    assertThat(d.stats().nodeCount()).isEqualTo(1);
    assertThat(d.nodeConfigs("node2").orElseThrow().configs()).hasSize(4);

    // node1 comes back while the dispatch thread is busy: its registration waits in the queue.
    thread.hold();
    assertThat(d.processNodeStatus("node1", "", status(held.lastChange())))
        .as("first status: not up to date").isFalse();
    NodeConfigs fetched = d.nodeConfigs("node1").orElseThrow();
    assertThat(fetched.configs()).as("it must stop running a, b, c, d's share").isEmpty();
    assertThat(fetched.lastChange()).isZero();

    thread.settle();
    assertThat(d.stats().nodeCount()).isEqualTo(2);
    NodeConfigs now = d.nodeConfigs("node1").orElseThrow();
    boolean upToDate = d.processNodeStatus("node1", "", status(fetched.lastChange()));
    assertThat(upToDate).isEqualTo(now.lastChange() == 0);
    assertThat(now.configs()).extracting(Config::checkName)
        .doesNotContainAnyElementsOf(d.nodeConfigs("node2").orElseThrow().configs().stream()
            .map(Config::checkName).toList());
  }

  @Test
  void onTheManualClockTheReturningWorkerRegistersAtOnceAndFetchesWhatItRunsNow() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.report("node2", 0);
    f.schedule(clusterCheck("a"), clusterCheck("b"));
    long old = f.versionOf("node1");
    assertThat(old).isNotZero();
    f.time.advance(f.settings.nodeExpirationTimeout().minusSeconds(1));
    f.heartbeat("node2");
    f.time.advanceSeconds(1);
    assertThat(f.checksOn("node2")).containsExactlyInAnyOrder("a", "b");

    assertThat(f.report("node1", old)).isFalse();
    assertThat(f.checksOn("node1")).isEmpty();
    assertThat(f.report("node1", f.versionOf("node1"))).isTrue();
  }
}
