package io.clusterchecks.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Only a leading dispatcher registers nodes, even when a status checked "leading?" just before
 * the leadership was lost.
 */
class LeadershipRaceTest {

  @Test
  void aStatusPastTheLeadershipCheckWhenLeadershipIsLostRegistersNothing() {
    ManualTimeWithHook clock = new ManualTimeWithHook();
    Dispatcher d = new Dispatcher(DispatcherSettings.defaults(), clock, clock.time,
        new SimpleMeterRegistry());
    d.start();
    clock.time.advance(DispatcherSettings.defaults().warmupDuration());
    // The status has passed "leading?" and reads the clock for its heartbeat; leadership is lost
    // at that instant, before the heartbeat is recorded.
    clock.onNextRead(d::stop);
    d.processNodeStatus("node1", "", new NodeStatus(0, NodeType.CLC_RUNNER));

    assertThat(d.isLeading()).isFalse();
    assertThat(d.stats().nodeCount()).as("a follower holds no nodes").isZero();
    assertThat(d.nodeConfigs("node1")).isEmpty();

    // Leading again, the worker's next status registers it normally (nothing stale is left that
    // would make it look already known).
    d.start();
    clock.time.advance(DispatcherSettings.defaults().warmupDuration());
    d.processNodeStatus("node1", "", new NodeStatus(0, NodeType.CLC_RUNNER));
    assertThat(d.stats().nodeCount()).isEqualTo(1);
    assertThat(d.nodeConfigs("node1")).isPresent();
  }
}
