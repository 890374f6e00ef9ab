package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Version tokens are (term, counter), never the wall clock: a clock that steps back cannot make
 * a new leader repeat its predecessor's token, and a worker echoing an older term's token is
 * told to fetch.
 */
class VersionTermTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  /** The wall clock a replica reads, which an operator or NTP can set back. */
  private static final class SettableClock implements InstantSource {
    private final ManualTime time;
    private Duration offset = Duration.ZERO;

    SettableClock(ManualTime time) {
      this.time = time;
    }

    @Override
    public Instant instant() {
      return time.instant().plus(offset);
    }
  }

  @Test
  void aNewLeaderWhoseClockSteppedBackNeverRepeatsTheOldLeadersToken() {
    DispatcherSettings settings = DispatcherSettings.defaults();
    // The old leader assigns "a" to node1 at T; the worker fetches and holds that token.
    ManualTime oldTime = new ManualTime(T.minus(settings.warmupDuration()));
    Dispatcher old = new Dispatcher(settings, oldTime, oldTime, new SimpleMeterRegistry());
    old.start(1, Map.of());
    old.processNodeStatus("node1", "", new NodeStatus(0, NodeType.CLC_RUNNER));
    oldTime.advance(settings.warmupDuration().minusSeconds(1));
    old.processNodeStatus("node1", "", new NodeStatus(0, NodeType.CLC_RUNNER));
    oldTime.advanceSeconds(1);
    old.schedule(List.of(clusterCheck("a")));
    long held = old.nodeConfigs("node1").orElseThrow().lastChange();

    // The next leader's clock reads the same instants (it was set back by the warmup): it knows
    // "a" and "b", and after its warmup gives both to node1 at the instant T again.
    ManualTime nextTime = new ManualTime(T.minus(settings.warmupDuration()));
    SettableClock stepped = new SettableClock(nextTime);
    Dispatcher next = new Dispatcher(settings, stepped, nextTime, new SimpleMeterRegistry());
    next.schedule(List.of(clusterCheck("a"), clusterCheck("b")));
    next.start(2, Map.of());
    next.processNodeStatus("node1", "", new NodeStatus(held, NodeType.CLC_RUNNER));
    nextTime.advance(settings.warmupDuration().minusSeconds(1));
    assertThat(next.processNodeStatus("node1", "", new NodeStatus(held, NodeType.CLC_RUNNER)))
        .as("during warmup the worker keeps what it runs").isTrue();
    stepped.offset = Duration.ofHours(-1); // and the clock steps back an hour on top
    nextTime.advanceSeconds(1);

    NodeConfigs now = next.nodeConfigs("node1").orElseThrow();
    assertThat(now.configs()).hasSize(2);
    assertThat(now.lastChange()).isNotEqualTo(held).isGreaterThan(held);
    assertThat(Dispatcher.termOf(now.lastChange())).isEqualTo(2);
    assertThat(Dispatcher.termOf(held)).isEqualTo(1);
    assertThat(next.processNodeStatus("node1", "", new NodeStatus(held, NodeType.CLC_RUNNER)))
        .as("a token of the older term: fetch").isFalse();
    assertThat(next.processNodeStatus("node1", "", new NodeStatus(now.lastChange(), NodeType.CLC_RUNNER))).isTrue();
  }

  @Test
  void tokensAndPlacementVersionsOfOneTermNeverRepeatWhateverTheClockDoes() {
    ManualTime time = new ManualTime(T);
    SettableClock clock = new SettableClock(time);
    Dispatcher d = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO), clock, time,
        new SimpleMeterRegistry());
    d.start(7, Map.of());
    time.advanceSeconds(0);
    d.processNodeStatus("node1", "", new NodeStatus(0, NodeType.CLC_RUNNER));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      clock.offset = Duration.ofMinutes(i % 2 == 0 ? -i : i); // back and forth
      d.schedule(List.of(clusterCheck("c" + i)));
      assertThat(seen.add(d.nodeConfigs("node1").orElseThrow().lastChange())).isTrue();
      PlacementCopy copy = d.placementCopy();
      assertThat(copy.term()).isEqualTo(7);
      assertThat(seen.add(copy.version())).isTrue();
    }
  }
}
