package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.server.api.ApiServer;
import io.clusterchecks.server.metrics.PrometheusExposition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower's delta pulls against a real leader over a socket, the leader's dispatcher on manual
 * time: after the first whole copy, a follower is sent only what changed since the copy it holds,
 * and the copy it rebuilds is the leader's placement; it gets the whole placement again when the
 * leader's journal no longer reaches back to its copy (overflow) or the copy is of another term.
 */
class PlacementDeltaTest {
  private static final String TOKEN = "placement-delta-test-token-0123456789";
  private static final NodeStatus HEARTBEAT = new NodeStatus(NodeStatus.HEARTBEAT_ONLY, NodeType.CLC_RUNNER);

  private final ManualTime time = new ManualTime();
  private DispatcherSettings settings;
  private Dispatcher leader;
  private ApiServer leaderApi;
  private LeadershipHandler follower;
  private PlacementPuller puller;
  private LeaderAddress leaderAddress;
  private final PrometheusMeterRegistry pullerRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** A leader keeping {@code journalLimit} changes, active, and a follower of it with a puller. */
  private void start(int journalLimit, boolean deltas) {
    settings = DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO).withArrivalWindow(Duration.ZERO)
        .withPlacementJournalLimit(journalLimit);
    leader = new Dispatcher(settings, time, time, new SimpleMeterRegistry());
    leaderApi = new ApiServer(leader, ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0)
        .withPlainHttp(), new SimpleMeterRegistry()).start();
    leader.start();
    time.advance(Duration.ZERO);
    leaderAddress = new LeaderAddress("dca-leader", "127.0.0.1", leaderApi.port());

    Dispatcher idle = new Dispatcher(DispatcherSettings.defaults(), time, time, new SimpleMeterRegistry());
    LeaderForwarder forwarder = new LeaderForwarder(2);
    follower = new LeadershipHandler(idle, new LeaderAddress("dca-follower", "127.0.0.1", 1), forwarder, false,
        new SimpleMeterRegistry());
    follower.following(leaderAddress);
    puller = new PlacementPuller(follower, forwarder, () -> TOKEN, false, Duration.ofHours(1), deltas,
        pullerRegistry);
  }

  @AfterEach
  void stop() {
    if (puller != null) {
      puller.close();
      leaderApi.close();
    }
  }

  private static Config check(String name) {
    return Config.builder(name).clusterCheck(true).source("file:/etc/" + name + ".yaml")
        .instanceYaml("url: http://" + name + ".example\n").build();
  }

  private static List<Config> checks(String prefix, int n) {
    List<Config> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(check(prefix + i));
    }
    return list;
  }

  private void report(String worker) {
    leader.processNodeStatus(worker, "127.0.0.1", HEARTBEAT);
  }

  /** One pull, which must work and leave the follower with exactly the leader's placement. */
  private void pullAndCompare() {
    assertThat(puller.pullOnce()).as("pull").isTrue();
    assertThat(follower.warmCopy()).isEqualTo(leader.placement());
    assertThat(follower.heldCopy().version()).isEqualTo(leader.placementVersion());
  }

  /** Pulls answered whole, with changes, unchanged. */
  private long[] counts() {
    return puller.counts();
  }

  @Test
  void deltasAppliedToTheCopyEqualTheLeadersPlacementUnderRandomChanges() {
    long seed = Long.getLong("placement.delta.seed", System.nanoTime());
    System.out.println("PlacementDeltaTest seed " + seed + " (replay with -Dplacement.delta.seed=" + seed + ")");
    Random random = new Random(seed);
    start(1 << 18, true);
    List<String> live = new ArrayList<>();
    Set<String> silent = new LinkedHashSet<>();
    List<Config> scheduled = new ArrayList<>();
    int workers = 0;
    int configs = 0;
    for (int i = 0; i < 3; i++) {
      live.add("runner-" + workers++);
      report(live.get(i));
    }
    List<Config> first = checks("c", 40);
    configs += first.size();
    leader.schedule(first);
    scheduled.addAll(first);
    pullAndCompare();

    for (int step = 0; step < 200; step++) {
      int op = random.nextInt(10);
      if (op < 3) {
        List<Config> added = checks("c" + configs + "-", 1 + random.nextInt(5));
        configs++;
        leader.schedule(added);
        scheduled.addAll(added);
      } else if (op < 5 && !scheduled.isEmpty()) {
        leader.unschedule(List.of(scheduled.remove(random.nextInt(scheduled.size()))));
      } else if (op < 6) {
        String w = "runner-" + workers++;
        live.add(w);
        report(w);
      } else if (op < 7 && !live.isEmpty()) {
        // A worker stops reporting: it expires and its configs go to the others.
        silent.add(live.remove(random.nextInt(live.size())));
      } else {
        live.forEach(this::report);
        time.advance(Duration.ofSeconds(5 + random.nextInt(10)));
      }
      if (random.nextInt(3) == 0) {
        pullAndCompare();
      }
    }
    live.forEach(this::report);
    time.advance(settings.nodeExpirationTimeout().plusSeconds(1));
    live.forEach(this::report);
    pullAndCompare();

    long[] c = counts();
    assertThat(c[0]).as("whole copies: only the first").isEqualTo(1);
    assertThat(c[1]).as("delta pulls").isGreaterThan(10);
    assertThat(leader.placement()).as("the follower's copy is not trivially empty").isNotEmpty();
  }

  @Test
  void aChangeCostsItsDeltaNotTheWholePlacement() {
    start(1 << 18, true);
    report("runner-a");
    report("runner-b");
    leader.schedule(checks("c", 300));
    pullAndCompare();
    long whole = puller.bytes()[0];

    leader.schedule(List.of(check("one-more")));
    pullAndCompare();
    assertThat(counts()).containsExactly(1, 1, 0);
    long delta = puller.bytes()[1];
    assertThat(delta).as("one change against 300 configs").isPositive().isLessThan(whole / 50);
    // What an operator scrapes on the follower (not a dispatcher series: shown while following).
    assertThat(new PrometheusExposition(pullerRegistry, () -> false).scrape())
        .contains("placement_pull_bytes_total{answer=\"delta\"} " + (double) delta)
        .contains("placement_pull_bytes_total{answer=\"whole\"} " + (double) whole)
        .contains("placement_pulls_total{answer=\"delta\"} 1.0");

    pullAndCompare();
    assertThat(counts()).as("nothing moved: 304").containsExactly(1, 1, 1);
  }

  @Test
  void aFollowerWithoutDeltasGetsTheWholePlacementEveryTime() {
    start(1 << 18, false);
    report("runner-a");
    leader.schedule(checks("c", 10));
    pullAndCompare();
    leader.schedule(List.of(check("one-more")));
    pullAndCompare();
    assertThat(counts()).containsExactly(2, 0, 0);
  }

  @Test
  void aTransitionLargerThanTheJournalFallsBackToTheWholePlacement() {
    start(30, true);
    report("runner-a");
    report("runner-b");
    leader.schedule(checks("c", 10));
    pullAndCompare();

    leader.schedule(checks("burst", 40));
    pullAndCompare();
    assertThat(counts()).as("40 changes in one transition, journal of 30").containsExactly(2, 0, 0);

    leader.schedule(List.of(check("one-more")));
    pullAndCompare();
    assertThat(counts()).as("the journal starts again at the burst's version").containsExactly(2, 1, 0);
  }

  @Test
  void aCopyOlderThanTheJournalGetsTheWholePlacement() {
    start(30, true);
    report("runner-a");
    leader.schedule(checks("c", 10));
    pullAndCompare();

    // Eight transitions of three changes: more than the journal keeps, oldest batches first out.
    for (int i = 0; i < 8; i++) {
      leader.schedule(checks("later" + i + "-", 3));
    }
    pullAndCompare();
    assertThat(counts()).containsExactly(2, 0, 0);

    leader.schedule(checks("again", 3));
    pullAndCompare();
    assertThat(counts()).containsExactly(2, 1, 0);
  }

  @Test
  void aCopyOfAnotherTermGetsTheWholePlacement() {
    start(1 << 18, true);
    report("runner-a");
    report("runner-b");
    leader.schedule(checks("c", 10));
    pullAndCompare();
    long firstTerm = Dispatcher.termOf(follower.heldCopy().version());

    // The same replica leads again in a later term, from the placement the follower also holds:
    // the counters of the new term say nothing about the copy's version.
    Map<String, String> before = leader.placement();
    leader.stop().join();
    leader.start(firstTerm + 1, before);
    time.advance(Duration.ZERO);
    report("runner-a");
    report("runner-b");
    leader.schedule(List.of(check("one-more")));
    pullAndCompare();
    assertThat(counts()).containsExactly(2, 0, 0);
    assertThat(Dispatcher.termOf(follower.heldCopy().version())).isEqualTo(firstTerm + 1);

    leader.schedule(List.of(check("and-one-more")));
    pullAndCompare();
    assertThat(counts()).containsExactly(2, 1, 0);
  }

  @Test
  void aSinceThatIsNotAVersionIsRefused() throws Exception {
    start(1 << 18, true);
    report("runner-a");
    leader.schedule(checks("c", 2));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + leaderApi.port()
        + PlacementPuller.PATH + "?since=yesterday")).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("invalid since");

    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + leaderApi.port() + PlacementPuller.PATH + "?since=12345")).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).as("a version the leader never issued").isEqualTo(200);
    assertThat(unknown.body()).contains("\"placement\"").doesNotContain("\"since\"");
  }
}
