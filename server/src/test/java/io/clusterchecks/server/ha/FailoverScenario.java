package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.worker.ClusterChecksWorker;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover test shared by both backends: three replicas, workers on each of them, the leader
 * stops and one worker dies at the same moment. A new leader comes within the bound; after its
 * warmup no config of a worker that still reports has moved, and the dead workers' configs run
 * elsewhere, each exactly once.
 */
final class FailoverScenario {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverScenario.class);

  record Figures(long newLeaderMillis, long servedAgainMillis, int kept, int moved, int redispatched) {}

  private FailoverScenario() {}

  /**
   * @param confd the replicas' conf.d, empty: the {@code configs} configs are written once every
   *     worker reports to the leader
   */
  static Figures run(String backend, Replicas r, Path confd, int configs, Duration newLeaderBound)
      throws IOException {
    int leader = r.awaitSettled(Duration.ofSeconds(30));
    List<Integer> followers = IntStream.range(0, r.size()).filter(i -> i != leader).boxed().toList();
    SimulatedWorkerFleet viaFollower1 = r.fleet(r.url(followers.get(0)), "a-", 2);
    r.fleet(r.url(followers.get(1)), "b-", 2);
    SimulatedWorkerFleet viaLeader = r.fleet(r.url(leader), "c-", 1);

    // The configs appear only once every worker reports to the leader, so that they are spread
    // over all five. Present from the start, they would wait out the leader's warmup, which can
    // end before the workers report (a follower learns who leads only after the leader started
    // its warmup), and then all go to whichever worker registered first: if that is a survivor,
    // nothing runs on the workers that die and the scenario proves nothing (or fails).
    Set<String> workers = Set.of("a-1", "a-2", "b-1", "b-2", "c-1");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
        r.agent(leader).dispatcher().state().nodes().stream().map(StateResponse.Node::name)
            .collect(Collectors.toSet()).equals(workers));
    Replicas.writeConfd(confd, configs);

    // Workers get their configs through any replica; the followers' warm copies catch up.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      r.assertRunningOnce(configs);
      assertThat(r.digestsByWorker()).containsOnlyKeys(workers);
    });
    Map<String, String> placement = r.agent(leader).dispatcher().placement();
    assertThat(placement).hasSize(configs);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> followers.forEach(
        f -> assertThat(r.agent(f).leadership().warmCopy()).isEqualTo(placement)));

    Map<String, Set<String>> before = r.digestsByWorker();
    assertThat(before.values()).as("every worker runs configs before the failover: %s", before)
        .allSatisfy(d -> assertThat(d).isNotEmpty());
    Map<String, Long> unscheduledBefore = new HashMap<>();
    r.runningWorkers().forEach((id, w) -> unscheduledBefore.put(id, w.stats().unscheduled()));
    Set<String> survivors = Set.of("a-1", "b-1", "b-2");
    Set<String> orphaned = new HashSet<>(before.get("a-2"));
    orphaned.addAll(before.get("c-1"));

    // The leader stops; at the same moment worker a-2 dies, and c-1 loses the replica it talks to.
    long t0 = System.nanoTime();
    r.stop(leader);
    viaFollower1.stop("a-2");
    viaLeader.stopAll();

    // A new leader within the bound; the other follower may take a moment longer to see it (with
    // Kubernetes, up to a retry period and its jitter after the lease changed hands).
    await().atMost(newLeaderBound).pollInterval(Duration.ofMillis(20)).until(() -> r.leaders().size() == 1);
    long newLeaderMillis = (System.nanoTime() - t0) / 1_000_000;
    int next = r.awaitSettled(Duration.ofSeconds(10));
    assertThat(next).isNotEqualTo(leader);

    await().atMost(Replicas.WARMUP.plus(Replicas.EXPIRATION).plusSeconds(10)).pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> {
          r.assertRunningOnce(configs);
          assertThat(r.digestsByWorker().keySet()).isEqualTo(survivors);
        });
    long servedMillis = (System.nanoTime() - t0) / 1_000_000;

    Map<String, Set<String>> after = r.digestsByWorker();
    int kept = 0;
    int moved = 0;
    for (String w : survivors) {
      for (String d : before.get(w)) {
        if (after.get(w).contains(d)) {
          kept++;
        } else {
          moved++;
        }
      }
    }
    Map<String, ClusterChecksWorker> running = r.runningWorkers();
    for (String w : survivors) {
      assertThat(after.get(w)).as("%s keeps every config it ran", w).containsAll(before.get(w));
      assertThat(running.get(w).stats().unscheduled()).as("%s stopped nothing", w)
          .isEqualTo(unscheduledBefore.get(w));
    }
    Set<String> nowRunning = new HashSet<>();
    after.values().forEach(nowRunning::addAll);
    assertThat(nowRunning).containsAll(orphaned);
    assertThat(moved).isZero();
    assertThat(r.agent(next).dispatcher().stats().activeConfigs()).isEqualTo(configs);
    r.assertNeverTwoLeaders();
    Figures f = new Figures(newLeaderMillis, servedMillis, kept, moved, orphaned.size());
    LOG.info("FAILOVER {}: new leader after {} ms, all {} configs served again after {} ms; {} kept on live workers,"
        + " {} moved, {} of the dead workers re-dispatched", backend, f.newLeaderMillis(), configs,
        f.servedAgainMillis(), f.kept(), f.moved(), f.redispatched());
    return f;
  }
}
