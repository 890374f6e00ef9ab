package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The production threading: a real dispatch thread, callers on other threads. */
class DispatcherThreadingTest {

  @Test
  void heartbeatsAndFetchesDoNotWaitBehindDispatchWork() throws Exception {
    try (TaskScheduler scheduler = TaskScheduler.singleThread("dispatch-test")) {
      Dispatcher d = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
          InstantSource.system(), scheduler, new SimpleMeterRegistry());
      d.start();
      await().until(() -> !d.isWarmingUp() && d.isLeading());
      d.processNodeStatus("node1", "", new NodeStatus(0, NodeType.CLC_RUNNER));
      d.schedule(List.of(clusterCheck("a")));
      await().until(() -> d.nodeConfigs("node1").map(c -> c.configs().size() == 1).orElse(false));

      CountDownLatch release = blockDispatchThread(scheduler);
      try {
        long version = d.nodeConfigs("node1").orElseThrow().lastChange();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
          assertThat(d.processNodeStatus("node1", "10.1.1.1", new NodeStatus(version, NodeType.CLC_RUNNER))).isTrue();
          assertThat(d.processNodeStatus("node2", "", new NodeStatus(0, NodeType.CLC_RUNNER))).isTrue();
          assertThat(d.nodeConfigs("node1").orElseThrow().responseJson()).isNotEmpty();
          d.schedule(List.of(clusterCheck("b"))); // enqueued, not waited for
        });
      } finally {
        release.countDown();
      }
      await().until(() -> d.stats().nodeCount() == 2 && d.stats().activeConfigs() == 2);
      d.stop();
    }
  }

  @Test
  void followersPullsBalancingAndSteppingDownDoNotWaitForABusyDispatchThread() throws Exception {
    try (TaskScheduler scheduler = TaskScheduler.singleThread("dispatch-test")) {
      Dispatcher d = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
          InstantSource.system(), scheduler, new SimpleMeterRegistry());
      d.start();
      await().until(() -> !d.isWarmingUp() && d.isLeading());
      d.processNodeStatus("node1", "10.0.0.1", new NodeStatus(0, NodeType.CLC_RUNNER));
      d.schedule(List.of(clusterCheck("a")));
      await().until(() -> d.placementCopy().byDigest().size() == 1);
      PlacementCopy before = d.placementCopy();

      CountDownLatch release = blockDispatchThread(scheduler);
      java.util.concurrent.CompletableFuture<RebalanceResult> rebalance;
      java.util.concurrent.CompletableFuture<PlacementCopy> stopped;
      try {
        rebalance = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
          assertThat(d.placementCopy()).isSameAs(before);
          assertThat(d.runnerTargets()).containsExactly(new RunnerTarget("node1", "10.0.0.1"));
          assertThat(d.isLoadAware()).isTrue();
          return d.rebalance(true, false);
        });
        assertThat(rebalance).isNotDone();
        stopped = assertTimeoutPreemptively(Duration.ofSeconds(5), d::stop);
        assertThat(stopped).isNotDone();
      } finally {
        release.countDown();
      }
      assertThat(rebalance.get(5, java.util.concurrent.TimeUnit.SECONDS).refusal())
          .isEqualTo(RebalanceResult.Refusal.NONE);
      assertThat(stopped.get(5, java.util.concurrent.TimeUnit.SECONDS).byDigest()).isEqualTo(before.byDigest());
      assertThat(d.isLeading()).isFalse();
    }
  }

  /** Occupies the dispatch thread until the returned latch is released. */
  private static CountDownLatch blockDispatchThread(TaskScheduler scheduler) throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    scheduler.execute(() -> {
      blocked.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    blocked.await();
    return release;
  }
}
