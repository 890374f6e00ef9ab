package io.clusterchecks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.worker.ClusterChecksWorker.PollOutcome;
import io.clusterchecks.worker.FakeClusterAgent.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterChecksWorkerTest {
  private static final String ID = "runner-1";
  private static final Function<Config, String> DIGEST = Digests::digest;

  private static final Config A = http("a");
  private static final Config B = http("b");
  private static final Config C = http("c");
  private static final Config D = http("d");

  private FakeClusterAgent agent;
  private ClusterAgentClient client;
  private final MutableClock clock = new MutableClock();
  private final RecordingListener listener = new RecordingListener();
  private ClusterChecksWorker worker;

  private static Config http(String name) {
    return Config.builder("http_check").instanceYaml("name: " + name + "\nurl: http://" + name + "\n")
        .initConfigYaml("{}").provider("file").source("file:/conf.d/http_check.yaml").build();
  }

  @BeforeEach
  void setUp() {
    agent = FakeClusterAgent.startPlain();
    client = ClusterAgentClient.builder(agent.url()).token(FakeClusterAgent.TOKEN).realIp("10.0.0.9")
        .allowPlainHttp(true).requestTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.close();
    }
    agent.close();
  }

  private ClusterChecksWorker.Builder builder() {
    return ClusterChecksWorker.builder(client, ID).listener(listener).clock(clock);
  }

  private ClusterChecksWorker newWorker() {
    worker = builder().build();
    return worker;
  }

  private static List<String> instanceNames(java.util.Collection<Config> configs) {
    return configs.stream().map(c -> c.instances().get(0).text().lines().findFirst().orElseThrow()).toList();
  }

  @Test
  void fetchesWhenNotUpToDateAndEchoesLastChangeExactly() {
    long version = 1718000000123456789L;
    agent.assign(ID, version, List.of(A, B));
    ClusterChecksWorker w = newWorker();

    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);
    assertThat(w.lastChange()).isEqualTo(version);
    assertThat(w.currentConfigs()).containsOnlyKeys(DIGEST.apply(A), DIGEST.apply(B));
    assertThat(listener.snapshot()).containsExactly(new RecordingListener.Event(true, List.of("http_check", "http_check")));

    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UP_TO_DATE);
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UP_TO_DATE);
    assertThat(agent.sentVersions(ID)).containsExactly(0L, version, version);
    assertThat(agent.configGets(ID)).hasSize(1);
    assertThat(agent.statusPosts(ID)).allSatisfy(r -> {
      assertThat(r.status().type()).isEqualTo(NodeType.CLC_RUNNER);
      assertThat(r.realIp()).isEqualTo("10.0.0.9");
    });
    assertThat(listener.snapshot()).hasSize(1);
    assertThat(w.stats().collects()).isEqualTo(1);
    assertThat(w.stats().statusOk()).isEqualTo(3);
  }

  @Test
  void nodeAgentReportsType2() {
    worker = builder().nodeType(NodeType.NODE_AGENT).build();
    worker.pollOnce();
    assertThat(agent.statusPosts(ID)).singleElement()
        .satisfies(r -> assertThat(r.body()).isEqualTo("{\"last_change\":0,\"node_type\":2}"));
  }

  @Test
  void diffsByDigestSoUnchangedConfigsAreNotRestarted() {
    agent.assign(ID, 1, List.of(A, B, C));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();
    listener.events.clear();

    Config changedB = B.toBuilder().instanceYaml("name: b\nurl: http://b2\n").build();
    agent.assign(ID, 2, List.of(A, changedB, D));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);

    List<RecordingListener.Event> events = listener.snapshot();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).scheduled()).isFalse();
    assertThat(events.get(1).scheduled()).isTrue();
    assertThat(w.stats().unscheduled()).isEqualTo(2);
    assertThat(w.stats().scheduled()).isEqualTo(5); // 3 first, then b2 and d
    assertThat(instanceNames(w.currentConfigs().values())).containsExactly("name: a", "name: b", "name: d");
    assertThat(w.currentConfigs()).containsOnlyKeys(DIGEST.apply(A), DIGEST.apply(changedB), DIGEST.apply(D));

    // Same configs under a new version: a fetch, but nothing restarted.
    listener.events.clear();
    agent.assign(ID, 3, List.of(D, changedB, A));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);
    assertThat(w.lastChange()).isEqualTo(3);
    assertThat(listener.snapshot()).isEmpty();

    // Everything removed: all unscheduled.
    agent.assign(ID, 4, List.of());
    w.pollOnce();
    assertThat(listener.snapshot()).singleElement().satisfies(e -> {
      assertThat(e.scheduled()).isFalse();
      assertThat(e.checkNames()).hasSize(3);
    });
    assertThat(w.currentConfigs()).isEmpty();
  }

  @Test
  void configsWithTheSameDigestAreTheSameCheck() {
    // Tag order and fields outside the digest (provider, source) differ: same digest (docs/reference/wire-format.md section 4).
    Config running = Config.builder("redisdb").instanceYaml("host: r\ntags:\n- b:2\n- a:1\n")
        .provider("file").source("file:/a.yaml").build();
    Config resent = Config.builder("redisdb").instanceYaml("tags: [a:1, b:2]\nhost: r\n")
        .provider("kube_services").source("kube_services:uid").build();
    assertThat(Digests.digest(resent)).isEqualTo(Digests.digest(running));

    agent.assign(ID, 1, List.of(running));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();
    agent.assign(ID, 2, List.of(resent));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);

    assertThat(listener.snapshot()).hasSize(1);
    assertThat(w.currentConfigs().values()).containsExactly(running);
    assertThat(w.lastChange()).isEqualTo(2);
  }

  @Test
  void unscheduledAndScheduledListsCarryTheRightConfigs() {
    java.util.List<Config> unscheduled = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<Config> scheduled = new java.util.concurrent.CopyOnWriteArrayList<>();
    worker = builder().listener(new WorkerListener() {
      @Override
      public void onScheduled(List<Config> configs) {
        scheduled.addAll(configs);
      }

      @Override
      public void onUnscheduled(List<Config> configs) {
        unscheduled.addAll(configs);
      }
    }).build();
    agent.assign(ID, 1, List.of(A, B));
    worker.pollOnce();
    agent.assign(ID, 2, List.of(B, C));
    worker.pollOnce();

    assertThat(scheduled).containsExactly(A, B, C);
    assertThat(unscheduled).containsExactly(A);
  }

  @Test
  void duplicateDigestsInOneAnswerCountOnce() {
    agent.assign(ID, 1, List.of(A, A, B));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();
    assertThat(w.currentConfigs()).hasSize(2);
    assertThat(w.stats().scheduled()).isEqualTo(2);
  }

  @Test
  void gracePeriodKeepsConfigsWhenStatusFails() {
    agent.assign(ID, 1, List.of(A, B));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();

    agent.overrideStatus(new Reply(503, "Startup in progress"));
    agent.assign(ID, 2, List.of(C)); // a change the worker must not fetch while status fails
    clock.advance(Duration.ofSeconds(59));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.STATUS_ERROR_IN_GRACE);
    clock.advance(Duration.ofSeconds(2)); // 61 s after the last success
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.STATUS_ERROR);
    clock.advance(Duration.ofMinutes(30));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.STATUS_ERROR);

    assertThat(agent.configGets(ID)).hasSize(1);
    assertThat(w.currentConfigs()).hasSize(2);
    assertThat(w.stats().unscheduled()).isZero();
    assertThat(w.stats().statusErrors()).isEqualTo(3);

    agent.overrideStatus(null);
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);
    assertThat(w.currentConfigs()).containsOnlyKeys(DIGEST.apply(C));
  }

  @Test
  void gracePeriodCountsFromTheLastSuccessfulContact() {
    agent.overrideStatus(new Reply(500, "boom"));
    ClusterChecksWorker w = newWorker();
    // Never reached the agent: no grace at all.
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.STATUS_ERROR);

    agent.overrideStatus(null);
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UP_TO_DATE);
    agent.overrideStatus(new Reply(500, "boom"));
    clock.advance(Duration.ofSeconds(30));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.STATUS_ERROR_IN_GRACE);

    worker.close();
    worker = builder().gracePeriod(Duration.ofSeconds(10)).build();
    agent.overrideStatus(null);
    worker.pollOnce();
    agent.overrideStatus(new Reply(500, "boom"));
    clock.advance(Duration.ofSeconds(11));
    assertThat(worker.pollOnce()).isEqualTo(PollOutcome.STATUS_ERROR);
  }

  @Test
  void firstNonRemoteCollectErrorFlushesThenLaterOnesOnlyReport() {
    agent.assign(ID, 7, List.of(A, B));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();
    listener.events.clear();

    agent.assign(ID, 8, List.of(A, B, C));
    agent.overrideConfigs(new Reply(200, "this is not json"));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.FLUSHED);
    assertThat(w.currentConfigs()).isEmpty();
    assertThat(listener.snapshot()).singleElement().satisfies(e -> {
      assertThat(e.scheduled()).isFalse();
      assertThat(e.checkNames()).hasSize(2);
    });
    assertThat(w.lastChange()).isZero();

    assertThat(w.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR);
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR);
    assertThat(listener.snapshot()).hasSize(1);
    assertThat(w.stats().flushes()).isEqualTo(1);

    // After a flush the worker holds no version, so it fetches again once the agent answers.
    agent.overrideConfigs(null);
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);
    assertThat(w.currentConfigs()).hasSize(3);
    assertThat(agent.sentVersions(ID)).containsExactly(0L, 7L, 0L, 0L, 0L);

    // A success re-arms the flush.
    agent.assign(ID, 9, List.of(A));
    agent.overrideConfigs(new Reply(200, "[]"));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.FLUSHED);
    assertThat(w.stats().flushes()).isEqualTo(2);
  }

  @Test
  void flushEvenAfterFlushWhenTheAgentVersionDidNotMove() {
    // The agent's version stays at 7 throughout: echoing 7 after the flush would leave the
    // worker empty for good, so it echoes 0 and fetches again.
    agent.assign(ID, 7, List.of(A));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();
    agent.overrideStatus(new Reply(200, "{\"isuptodate\":false}"));
    agent.overrideConfigs(new Reply(200, "{"));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.FLUSHED);
    agent.overrideStatus(null);
    agent.overrideConfigs(null);
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);
    assertThat(w.currentConfigs()).containsOnlyKeys(DIGEST.apply(A));
  }

  @Test
  void degradedModeKeepsConfigsOnRemoteErrorsForever() {
    agent.assign(ID, 1, List.of(A, B));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();

    agent.assign(ID, 2, List.of(C));
    agent.overrideConfigs(new Reply(500, "node runner-1 is unknown"));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR_DEGRADED);
    clock.advance(Duration.ofDays(3));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR_DEGRADED);
    agent.overrideConfigs(new Reply(503, "Follower unable to forward as leaderForwarder is not available yet"));
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR_DEGRADED);

    assertThat(w.currentConfigs()).hasSize(2);
    assertThat(w.stats().unscheduled()).isZero();
    assertThat(w.lastChange()).isEqualTo(1);

    agent.overrideConfigs(null);
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.UPDATED);
    assertThat(w.currentConfigs()).containsOnlyKeys(DIGEST.apply(C));
  }

  @Test
  void degradedModeCoversTimeouts() {
    client = ClusterAgentClient.builder(agent.url()).token(FakeClusterAgent.TOKEN).allowPlainHttp(true)
        .requestTimeout(Duration.ofMillis(300)).build();
    agent.assign(ID, 1, List.of(A));
    ClusterChecksWorker w = newWorker();
    w.pollOnce();

    agent.assign(ID, 2, List.of(B));
    agent.hangConfigs();
    assertThat(w.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR_DEGRADED);
    assertThat(w.currentConfigs()).containsOnlyKeys(DIGEST.apply(A));
  }

  @Test
  void degradedDeadlineEndsTheTolerance() {
    worker = builder().degradedDeadline(Duration.ofMinutes(5)).build();
    agent.assign(ID, 1, List.of(A, B));
    worker.pollOnce();

    agent.assign(ID, 2, List.of(C));
    agent.overrideConfigs(new Reply(500, "node runner-1 is unknown"));
    clock.advance(Duration.ofMinutes(4));
    assertThat(worker.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR_DEGRADED);
    assertThat(worker.currentConfigs()).hasSize(2);

    clock.advance(Duration.ofMinutes(2)); // 6 min after the last successful fetch
    assertThat(worker.pollOnce()).isEqualTo(PollOutcome.FLUSHED);
    assertThat(worker.currentConfigs()).isEmpty();
    assertThat(worker.pollOnce()).isEqualTo(PollOutcome.COLLECT_ERROR);
  }

  @Test
  void extraHeartbeatFiresOnlyWhenContactAndLastHeartbeatAreOld() {
    ClusterChecksWorker w = newWorker();
    w.pollOnce();
    assertThat(w.extraHeartbeatTick()).isFalse();

    clock.advance(Duration.ofSeconds(25)); // exactly node_expiration_timeout - 5 s: not older yet
    assertThat(w.extraHeartbeatTick()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(w.extraHeartbeatTick()).isTrue();
    assertThat(agent.statusPosts(ID).get(1).body()).isEqualTo("{\"last_change\":-1,\"node_type\":1}");

    assertThat(w.extraHeartbeatTick()).isFalse(); // the extra heartbeat itself is recent
    clock.advance(Duration.ofSeconds(20));
    assertThat(w.extraHeartbeatTick()).isFalse();
    clock.advance(Duration.ofSeconds(6));
    assertThat(w.extraHeartbeatTick()).isTrue();
    assertThat(agent.sentVersions(ID)).containsExactly(0L, -1L, -1L);

    // A normal poll refreshes the contact, which gates the extra heartbeat even when the last
    // extra heartbeat is old.
    clock.advance(Duration.ofSeconds(20));
    w.pollOnce();
    clock.advance(Duration.ofSeconds(20));
    assertThat(w.extraHeartbeatTick()).isFalse(); // extra heartbeat 40 s ago, contact 20 s ago
    clock.advance(Duration.ofSeconds(6));
    assertThat(w.extraHeartbeatTick()).isTrue();
    assertThat(w.stats().extraHeartbeats()).isEqualTo(3);
  }

  @Test
  void extraHeartbeatFollowsTheNodeExpirationTimeout() {
    worker = builder().nodeExpirationTimeout(Duration.ofSeconds(60)).build();
    worker.pollOnce();
    clock.advance(Duration.ofSeconds(50));
    assertThat(worker.extraHeartbeatTick()).isFalse();
    clock.advance(Duration.ofSeconds(6));
    assertThat(worker.extraHeartbeatTick()).isTrue();
  }

  @Test
  void extraHeartbeatKeepsTheNodeAliveWhileThePollLoopIsStalled() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    worker = builder()
        .pollInterval(Duration.ofMillis(30))
        .extraHeartbeatPeriod(Duration.ofMillis(20))
        .listener(new WorkerListener() {
          @Override
          public void onScheduled(List<Config> configs) {
            entered.countDown();
            try {
              release.await(30, TimeUnit.SECONDS); // e.g. scheduling a slow check
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onUnscheduled(List<Config> configs) {}
        })
        .build();
    try {
      worker.start();
      // Healthy loop: several polls, no extra heartbeat.
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.statusPosts(ID).size() >= 5);
      assertThat(agent.sentVersions(ID)).doesNotContain(-1L);

      agent.assign(ID, 42, List.of(A));
      await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
      long pollsWhenStalled = worker.stats().polls();
      assertThat(agent.sentVersions(ID)).doesNotContain(-1L);

      clock.advance(Duration.ofSeconds(26));
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.sentVersions(ID).contains(-1L));
      assertThat(worker.stats().polls()).isEqualTo(pollsWhenStalled);
      assertThat(worker.stats().extraHeartbeats()).isEqualTo(1);
    } finally {
      release.countDown();
    }
    // Unstalled, the loop carries on with the version it fetched.
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.sentVersions(ID).contains(42L));
  }

  @Test
  void startPollsPeriodicallyAndStopGoesSilent() {
    agent.assign(ID, 5, List.of(A));
    worker = builder().pollInterval(Duration.ofMillis(30)).build();
    worker.start();
    assertThat(worker.isRunning()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.currentConfigs().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.sentVersions(ID).stream().filter(v -> v == 5L).count() >= 3);
    assertThat(worker.lastOutcome()).contains(PollOutcome.UP_TO_DATE);

    worker.stop();
    assertThat(worker.isRunning()).isFalse();
    int afterStop = agent.statusPosts(ID).size();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> agent.statusPosts(ID).size() <= afterStop + 1); // at most one in flight
    int settled = agent.statusPosts(ID).size();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> agent.statusPosts(ID).size() == settled);
    assertThat(worker.currentConfigs()).hasSize(1); // a dead worker is not told anything

    worker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.statusPosts(ID).size() > settled);
    worker.close();
    assertThat(worker.isRunning()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPollInFlightWhenStoppedDoesNotFlush() {
    agent.assign(ID, 1, List.of(A));
    worker = builder().pollInterval(Duration.ofMillis(30)).build();
    worker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.currentConfigs().size() == 1);

    agent.hangConfigs();
    agent.overrideConfigs(new Reply(200, "garbage"));
    agent.assign(ID, 2, List.of(B));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.configGets(ID).size() == 2);
    worker.stop();
    agent.releaseHangs();

    await().atMost(Duration.ofSeconds(10)).until(() -> worker.lastOutcome().orElseThrow() == PollOutcome.STOPPED);
    assertThat(worker.currentConfigs()).containsOnlyKeys(DIGEST.apply(A));
    assertThat(worker.stats().flushes()).isZero();
    assertThat(worker.stats().unscheduled()).isZero();

    // A manual poll still acts: the worker is stopped, not gagged.
    assertThat(worker.pollOnce()).isEqualTo(PollOutcome.FLUSHED);
  }

  @Test
  void aFailingListenerDoesNotStopThePollLoop() {
    agent.assign(ID, 1, List.of(A));
    worker = builder().pollInterval(Duration.ofMillis(30)).listener(new WorkerListener() {
      @Override
      public void onScheduled(List<Config> configs) {
        throw new IllegalStateException("check loader exploded");
      }

      @Override
      public void onUnscheduled(List<Config> configs) {}
    }).build();
    worker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.stats().listenerErrors() == 1);
    agent.assign(ID, 2, List.of(A, B));
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.stats().listenerErrors() == 2);
    assertThat(worker.currentConfigs()).hasSize(2);
    assertThat(worker.lastChange()).isEqualTo(2);
  }

  @Test
  void identifierDefaultsToTheClcRunnerId() {
    assertThat(ClusterChecksWorker.defaultIdentifier("clc-runner-7f9c")).isEqualTo("clc-runner-7f9c");
    assertThat(ClusterChecksWorker.defaultIdentifier(" ")).isNotBlank();
    assertThat(ClusterChecksWorker.defaultIdentifier(null)).isEqualTo(ClusterChecksWorker.defaultIdentifier(""));
  }

  @Test
  void extraHeartbeatStatusCarriesTheNodeType() {
    worker = builder().nodeType(NodeType.NODE_AGENT).build();
    clock.advance(Duration.ofSeconds(26)); // never contacted: counts from creation
    assertThat(worker.extraHeartbeatTick()).isTrue();
    assertThat(agent.statusPosts(ID)).singleElement().satisfies(r ->
        assertThat(r.status()).isEqualTo(new NodeStatus(NodeStatus.HEARTBEAT_ONLY, NodeType.NODE_AGENT)));
  }
}
