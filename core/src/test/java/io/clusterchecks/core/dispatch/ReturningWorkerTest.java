package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A worker that was silent past the expiry comes back: its configs run elsewhere now, and its first
 * contact must tell it so. Its status creates the heartbeat entry at once but queues its
 * registration behind whatever the dispatch thread is doing; a configs request landing before
 * the registration ran was answered "node is unknown" (500), which a worker treats as a remote
 * error and, in degraded mode, keeps every config it ran, beside their new worker, until its next
 * poll. The promise is the chaos suite's first-contact check (docs/reliability.md), which can only
 * meet this race by chance; here it is made deterministic.
 */
class ReturningWorkerTest {

  @Test
  void aWorkerBackAfterItsExpiryIsToldAtOnceThatItRunsNothing() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("node1", 0);
    f.report("node2", 0);
    f.schedule(clusterCheck("a"), clusterCheck("b"));
    long held = f.versionOf("node1");
    assertThat(f.checksOn("node1")).hasSize(1);

    Duration timeout = f.settings.nodeExpirationTimeout();
    f.time.advance(timeout.minusSeconds(1));
    f.heartbeat("node2");
    f.time.advance(Duration.ofSeconds(2));
    assertThat(f.dispatcher.nodeConfigs("node1")).as("node1 expired").isEmpty();
    assertThat(f.checksOn("node2")).hasSize(2);

    // node1's status and configs request arrive while the dispatch thread is busy: on ManualTime
    // a task run from inside a task is queued, as the registration behind a real dispatch step.
    AtomicReference<Boolean> upToDate = new AtomicReference<>();
    AtomicReference<Optional<NodeConfigs>> answer = new AtomicReference<>();
    f.time.execute(() -> {
      upToDate.set(f.report("node1", held));
      answer.set(f.dispatcher.nodeConfigs("node1"));
    });

    assertThat(upToDate.get()).as("a worker holding an expired version must fetch").isFalse();
    assertThat(answer.get()).as("the fetch right after, before the registration ran").isPresent();
    assertThat(answer.get().orElseThrow().configs()).as("it runs nothing here now").isEmpty();
    // The registration, run since, agrees: node1 is a fresh node with nothing.
    assertThat(f.checksOn("node1")).isEmpty();
    assertThat(f.checksOn("node2")).hasSize(2);
  }
}
