package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat that reaches an HTTP thread while the dispatch thread is expiring the same node
 * must win: the node stays registered (or registers again at once), it is not dropped until its
 * next poll.
 */
class HeartbeatRaceTest {

  @Test
  void aHeartbeatLandingWhileTheNodeIsBeingExpiredKeepsItRegistered() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.report("node2", 0);
    f.schedule(clusterCheck("a"), clusterCheck("b"));
    Duration timeout = f.settings.nodeExpirationTimeout();
    f.time.advance(timeout.minusSeconds(1));
    f.heartbeat("node2");

    // node1 is silent for the whole timeout; its heartbeat arrives just as the dispatch thread
    // has decided it expired (while it logs the expiry), which on ManualTime queues the
    // registration behind the expiry, as a real HTTP thread would.
    try (LogHook hook = new LogHook("Expiring out node node1", () -> f.heartbeat("node1"))) {
      f.time.advance(Duration.ofSeconds(1));
      assertThat(hook.fired()).isTrue();
    }

    assertThat(f.dispatcher.nodeConfigs("node1")).as("node1 answered its heartbeat, it is registered").isPresent();
    assertThat(f.stats().nodeCount()).isEqualTo(2);
    // It is live: it must not expire before a whole timeout after that heartbeat.
    f.time.advance(timeout.minusSeconds(1));
    f.heartbeat("node2");
    assertThat(f.dispatcher.nodeConfigs("node1")).isPresent();
    assertThat(f.stats().nodeCount()).isEqualTo(2);
    assertThat(f.stats().activeConfigs()).isEqualTo(2);
  }
}
