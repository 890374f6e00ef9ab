package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The counters periodic readers (the balancing loop's newcomer watch, the dashboard) compare
 * instead of rebuilding what is proportional to every config: each changes exactly when what it
 * stands for changes, and not on heartbeats or timers that change nothing.
 */
class CheapVersionsTest {

  @Test
  void placementVersionIsTheCopysVersionWithoutBuildingItAndMovesOnlyWithThePlacement() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.heartbeat("node1");
    f.schedule(clusterCheck("a"));
    long first = f.dispatcher.placementVersion();
    assertThat(first).isNotZero();
    assertThat(f.dispatcher.placementVersion()).isEqualTo(f.dispatcher.placementCopy().version());

    // Heartbeats and expiry checks that expire nobody leave the placement alone.
    f.time.advance(Duration.ofSeconds(10));
    f.heartbeat("node1");
    f.time.advance(Duration.ofSeconds(10));
    f.heartbeat("node1");
    assertThat(f.dispatcher.placementVersion()).isEqualTo(first);

    f.schedule(clusterCheck("b"));
    assertThat(f.dispatcher.placementVersion()).isNotEqualTo(first)
        .isEqualTo(f.dispatcher.placementCopy().version());
  }

  @Test
  void stateVersionChangesExactlyWhenTheStateAnswerDoes() {
    DispatcherFixture f = new DispatcherFixture();
    assertThat(f.dispatcher.stateVersion()).as("not leading").isEqualTo(-1);
    f.active();
    f.heartbeat("node1");
    f.schedule(clusterCheck("a"));
    long v = f.dispatcher.stateVersion();

    f.time.advance(Duration.ofSeconds(10));
    f.heartbeat("node1");
    f.time.advance(Duration.ofSeconds(10));
    f.heartbeat("node1");
    assertThat(f.dispatcher.stateVersion()).as("heartbeats and expiry checks").isEqualTo(v);

    f.schedule(clusterCheck("b"));
    long afterAdd = f.dispatcher.stateVersion();
    assertThat(afterAdd).isGreaterThan(v);

    // node1 expires: its configs wait for a node; the state answer (and its version) changes.
    f.time.advance(f.settings.nodeExpirationTimeout().plusSeconds(1));
    assertThat(f.dispatcher.state().dangling()).hasSize(2);
    long afterExpiry = f.dispatcher.stateVersion();
    assertThat(afterExpiry).isGreaterThan(afterAdd);
    f.time.advance(Duration.ofSeconds(30));
    assertThat(f.dispatcher.stateVersion()).as("nothing changed while nobody reports").isEqualTo(afterExpiry);
  }

  @Test
  void runnerArrivalsCountWorkersThatStartReportingIncludingOnesThatCameBack() {
    DispatcherFixture f = new DispatcherFixture().active();
    assertThat(f.dispatcher.runnerArrivals()).isZero();
    f.heartbeat("node1");
    f.heartbeat("node2");
    assertThat(f.dispatcher.runnerArrivals()).isEqualTo(2);
    f.heartbeat("node1");
    assertThat(f.dispatcher.runnerArrivals()).as("a known worker's heartbeat").isEqualTo(2);

    f.time.advance(f.settings.nodeExpirationTimeout().plusSeconds(1));
    f.heartbeat("node1");
    assertThat(f.dispatcher.runnerArrivals()).as("node1 expired, then came back").isEqualTo(3);
  }
}
