package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Placing many waiting configs runs in bounded chunks, one per dispatch task, so a registration
 * queued meanwhile runs before the placing ends, and the worker it registers takes its share of
 * what still waits. Chunks of 100 here stand for the production 10,000.
 */
class WaitingConfigsTest {
  private static final int CHUNK = 100;
  private static final NodeStatus FIRST = new NodeStatus(0, NodeType.CLC_RUNNER);
  private static final NodeStatus HEARTBEAT = new NodeStatus(NodeStatus.HEARTBEAT_ONLY, NodeType.CLC_RUNNER);

  private final SteppedDispatchThread thread = new SteppedDispatchThread();

  private Dispatcher dispatcher(DispatcherSettings settings) {
    return new Dispatcher(settings, thread, thread, new SimpleMeterRegistry(), CHUNK);
  }

  private static List<Config> configs(int n) {
    List<Config> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(clusterCheck("c" + i));
    }
    return out;
  }

  private static int on(Dispatcher d, String node) {
    return d.nodeConfigs(node).orElseThrow().configs().size();
  }

  @Test
  void aRegistrationQueuedDuringALargeRedispatchRunsBeforeItEndsAndTakesItsShare() {
    DispatcherSettings settings = DispatcherSettings.defaults().withArrivalWindow(Duration.ZERO);
    Dispatcher d = dispatcher(settings);
    d.start();
    thread.time.advance(settings.warmupDuration());
    d.schedule(configs(4 * CHUNK));
    assertThat(d.stats().danglingConfigs()).isEqualTo(4 * CHUNK);

    thread.hold();
    d.processNodeStatus("a", "", FIRST);
    assertThat(thread.runNext()).isTrue(); // a registers; the first chunk goes to it
    assertThat(on(d, "a")).isEqualTo(CHUNK);
    assertThat(d.stats().danglingConfigs()).isEqualTo(3 * CHUNK);

    d.processNodeStatus("b", "", FIRST); // queued behind the next chunk
    assertThat(thread.runNext()).isTrue(); // second chunk: only a reports
    assertThat(on(d, "a")).isEqualTo(2 * CHUNK);
    assertThat(thread.runNext()).isTrue(); // b's registration, before the re-dispatch ends

    assertThat(d.stats().nodeCount()).isEqualTo(2);
    assertThat(d.stats().danglingConfigs()).as("the re-dispatch has not ended").isPositive();
    assertThat(on(d, "b")).as("b takes its share of what still waits").isEqualTo(CHUNK);

    thread.settle();
    assertThat(d.stats().danglingConfigs()).isZero();
    assertThat(on(d, "a")).isEqualTo(2 * CHUNK);
    assertThat(on(d, "b")).isEqualTo(2 * CHUNK);
  }

  @Test
  void placingAfterWarmupRunsInChunksAndARegistrationInterleaves() {
    DispatcherSettings settings = DispatcherSettings.defaults().withArrivalWindow(Duration.ZERO);
    Dispatcher d = dispatcher(settings);
    d.start();
    d.schedule(configs(3 * CHUNK + 50));
    d.processNodeStatus("a", "", FIRST);
    thread.time.advance(settings.warmupDuration().minusSeconds(1));
    d.processNodeStatus("a", "", HEARTBEAT);

    thread.hold();
    thread.time.advanceSeconds(1); // the warmup ends in a queued task
    assertThat(thread.runNext()).isTrue();
    assertThat(d.isWarmingUp()).isFalse();
    assertThat(d.stats().activeConfigs()).isEqualTo(CHUNK);
    assertThat(d.internalState().placingAfterWarmup()).isTrue();

    d.processNodeStatus("b", "", FIRST); // queued behind the next chunk (and a's expiry check)
    while (d.stats().nodeCount() < 2) {
      assertThat(thread.runNext()).isTrue();
    }
    assertThat(d.stats().activeConfigs()).as("b registered after the second chunk").isEqualTo(3 * CHUNK);
    assertThat(d.internalState().placingAfterWarmup()).isTrue();
    assertThat(on(d, "b")).isEqualTo(CHUNK);

    thread.settle();
    assertThat(d.internalState().placingAfterWarmup()).isFalse();
    assertThat(d.stats().activeConfigs()).isEqualTo(3 * CHUNK + 50);
    assertThat(on(d, "a") + on(d, "b")).isEqualTo(3 * CHUNK + 50);
    assertThat(Math.abs(on(d, "a") - on(d, "b"))).isLessThanOrEqualTo(CHUNK);
  }

  @Test
  void aConfigRemovedWhileWaitingToBePlacedIsNotPlaced() {
    DispatcherSettings settings = DispatcherSettings.defaults().withArrivalWindow(Duration.ZERO);
    Dispatcher d = dispatcher(settings);
    d.start();
    List<Config> all = configs(2 * CHUNK + 10);
    d.schedule(all);
    d.processNodeStatus("a", "", FIRST);
    thread.time.advance(settings.warmupDuration().minusSeconds(1));
    d.processNodeStatus("a", "", HEARTBEAT);
    thread.hold();
    thread.time.advanceSeconds(1);
    assertThat(thread.runNext()).isTrue();
    d.unschedule(all.subList(all.size() - 10, all.size())); // not placed yet
    thread.settle();
    assertThat(d.stats().activeConfigs()).isEqualTo(2 * CHUNK);
    assertThat(d.stats().totalConfigs()).isEqualTo(2 * CHUNK);
    assertThat(d.stats().danglingConfigs()).isZero();
  }

  @Test
  void inProductionAChunkIsTenThousandConfigs() {
    DispatcherSettings settings = DispatcherSettings.defaults().withArrivalWindow(Duration.ZERO);
    Dispatcher d = new Dispatcher(settings, thread, thread, new SimpleMeterRegistry());
    d.start();
    thread.time.advance(settings.warmupDuration());
    d.schedule(configs(10_050));
    thread.hold();
    d.processNodeStatus("a", "", FIRST);
    assertThat(thread.runNext()).isTrue();
    assertThat(on(d, "a")).isEqualTo(WaitingConfigs.DEFAULT_CHUNK).isEqualTo(10_000);
    assertThat(d.stats().danglingConfigs()).isEqualTo(50);
    thread.settle();
    assertThat(on(d, "a")).isEqualTo(10_050);
  }
}
