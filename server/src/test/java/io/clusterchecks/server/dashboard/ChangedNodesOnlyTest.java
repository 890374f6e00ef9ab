package io.clusterchecks.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The timeline is made from the nodes whose snapshot changed, not from maps of every config: at a
 * million configs those maps, and a digest recomputed for every config, were rebuilt while configs
 * moved, and outlived young collections. What the timeline says is what it said when every config
 * was compared: the expected events below are that implementation's output for the same steps.
 */
class ChangedNodesOnlyTest {
  private final ManualTime time = new ManualTime();
  private final Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
      time, time, new SimpleMeterRegistry());
  private final EventRing events = new EventRing(1_000);
  private final HeartbeatTracker heartbeats = new HeartbeatTracker(time, 1_000);
  private final SnapshotBuilder builder = new SnapshotBuilder(new DashboardSources(dispatcher,
      (force, dryRun) -> new CompletableFuture<>(), () -> new DashboardSources.LeadershipView("leader", "", ""),
      Map::of, node -> Optional.empty(), Map::of, new DashboardSources.Band(0.95, 1.02, 1.04)),
      heartbeats, events, new UtilizationHistory(10), time);

  private static Config check(String name) {
    return Config.builder("http_check").clusterCheck(true).instanceYaml("name: " + name + "\n").source("test").build();
  }

  private void report(String runner, long lastChange) {
    dispatcher.processNodeStatus(runner, "", new NodeStatus(lastChange, NodeType.CLC_RUNNER));
  }

  private List<String> observe() {
    int before = events.newest(Integer.MAX_VALUE).size();
    time.advance(Duration.ZERO);
    builder.observe(time.millis(), false);
    List<String> out = new ArrayList<>();
    List<DashboardSnapshot.TimelineEvent> all = events.newest(Integer.MAX_VALUE);
    for (int i = all.size() - before - 1; i >= 0; i--) {
      out.add(all.get(i).kind() + ": " + all.get(i).text());
    }
    return out;
  }

  @Test
  void theTimelineSaysWhatItSaidWhenEveryConfigWasCompared() {
    dispatch(10, 100);
    assertThat(observe()).as("the first look: every runner joined, every config dispatched")
        .containsExactlyElementsOf(List.of(
        "leadership: dashboard started; this replica is leader",
        "joined: 10 runners: runner-0, runner-1, runner-2, runner-3, runner-4, runner-5, runner-6, "
            + "runner-7, runner-8, runner-9",
        "dispatched: 100 configs: http_check:103aaedecced8146 to runner-3, "
            + "http_check:130025e1f03d213 to runner-0, http_check:1451016cf75c2f5 to runner-8, "
            + "http_check:1d426aff51bc5d58 to runner-0, http_check:1ed74528814698d6 to runner-4, "
            + "http_check:1f305b336d05afbd to runner-4, http_check:236da77fbfab6a12 to runner-3, "
            + "http_check:2437bd83ecae58db to runner-2, http_check:2724b7b856a5e599 to runner-1, "
            + "http_check:298d8dae64a15b2c to runner-8, http_check:2ba99ba4ac5d92f1 to runner-9, "
            + "http_check:2d8fab731caa282d to runner-1, ... (88 more)"));

    dispatcher.schedule(List.of(check("extra")));
    assertThat(observe()).containsExactlyElementsOf(List.of(
        "dispatched: config http_check:3e99b2627ab9735f to runner-0"));

    assertThat(dispatcher.isolate(checkIdOf("c0")).join().isolated()).isTrue();
    assertThat(observe()).as("moved between two live runners")
        .containsExactlyElementsOf(List.of(
        "rebalanced: 10 configs moved: 1 from runner-0 to runner-2, 1 from runner-0 to runner-3, "
            + "1 from runner-0 to runner-4, 1 from runner-0 to runner-5, 1 from runner-0 to runner-6, "
            + "1 from runner-0 to runner-7, 1 from runner-0 to runner-8, 1 from runner-0 to runner-9, "
            + "2 from runner-0 to runner-1"));

    time.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 10; i++) {
      if (i != 3) {
        report("runner-" + i, NodeStatus.HEARTBEAT_ONLY);
      }
    }
    heartbeats.answered("runner-0");
    heartbeats.answered("runner-3");
    time.advance(Duration.ofSeconds(11));
    assertThat(observe()).as("runner-3 stopped reporting")
        .containsExactlyElementsOf(List.of(
        "expired: runner runner-3",
        "re-dispatched: 11 configs: http_check:103aaedecced8146 from runner-3 to runner-0, "
            + "http_check:130025e1f03d213 from runner-3 to runner-0, "
            + "http_check:236da77fbfab6a12 from runner-3 to runner-0, "
            + "http_check:3ab486762a732069 from runner-3 to runner-0, "
            + "http_check:5e8119319ae7f329 from runner-3 to runner-0, "
            + "http_check:a66c305a76d36bc0 from runner-3 to runner-0, "
            + "http_check:accf3d09a0ded6bc from runner-3 to runner-0, "
            + "http_check:ec62a0cea9dc029 from runner-3 to runner-0, "
            + "http_check:f4c1af65d79d7117 from runner-3 to runner-0, "
            + "http_check:f52c118956756f45 from runner-3 to runner-0, "
            + "http_check:fe67b2688c01971c from runner-3 to runner-0"));

    assertThat(heartbeats.lastStatus("runner-3")).as("an expired runner's last status is forgotten").isNull();
    assertThat(heartbeats.lastStatus("runner-0")).isNotNull();

    dispatcher.unschedule(List.of(check("extra")));
    assertThat(observe()).containsExactlyElementsOf(List.of(
        "removed: config http_check:3e99b2627ab9735f"));

    time.advance(Duration.ofSeconds(31));
    assertThat(observe()).as("every runner stopped reporting")
        .containsExactlyElementsOf(List.of(
        "expired: 9 runners: runner-0, runner-1, runner-2, runner-4, runner-5, runner-6, runner-7, "
            + "runner-8, runner-9",
        "dangling: 100 configs: http_check:103aaedecced8146 (was on runner-0), "
            + "http_check:130025e1f03d213 (was on runner-0), http_check:1451016cf75c2f5 (was on runner-8), "
            + "http_check:1d426aff51bc5d58 (was on runner-1), http_check:1ed74528814698d6 (was on runner-4), "
            + "http_check:1f305b336d05afbd (was on runner-4), http_check:236da77fbfab6a12 (was on runner-0), "
            + "http_check:2437bd83ecae58db (was on runner-2), http_check:2724b7b856a5e599 (was on runner-1), "
            + "http_check:298d8dae64a15b2c (was on runner-8), http_check:2ba99ba4ac5d92f1 (was on runner-9), "
            + "http_check:2d8fab731caa282d (was on runner-1), ... (88 more)"));

    report("runner-3", 0);
    time.advance(Duration.ofSeconds(11));
    assertThat(observe()).as("one came back: the arrival window, then every waiting config to it")
        .containsExactlyElementsOf(List.of(
        "joined: runner runner-3",
        "re-dispatched: 100 configs: http_check:103aaedecced8146 to runner-3, "
            + "http_check:130025e1f03d213 to runner-3, http_check:1451016cf75c2f5 to runner-3, "
            + "http_check:1d426aff51bc5d58 to runner-3, http_check:1ed74528814698d6 to runner-3, "
            + "http_check:1f305b336d05afbd to runner-3, http_check:236da77fbfab6a12 to runner-3, "
            + "http_check:2437bd83ecae58db to runner-3, http_check:2724b7b856a5e599 to runner-3, "
            + "http_check:298d8dae64a15b2c to runner-3, http_check:2ba99ba4ac5d92f1 to runner-3, "
            + "http_check:2d8fab731caa282d to runner-3, ... (88 more)"));
  }

  @Test
  void aRebuildReadsOnlyTheConfigsOfTheNodesThatChanged() {
    dispatch(100, 2_000);
    observe();
    assertThat(builder.configsReadByLastRebuild()).as("the first look reads every config").isEqualTo(2_000);

    dispatcher.schedule(List.of(check("extra")));
    List<String> events = observe();
    String runner = dispatcher.shownNodes().nodes().stream().filter(n -> n.configs().size() == 21)
        .findFirst().orElseThrow().node();
    assertThat(events).singleElement().asString().startsWith("dispatched: config http_check:").endsWith(" to " + runner);
    assertThat(builder.configsReadByLastRebuild()).as("that runner's 20 configs before and 21 after, nothing else")
        .isEqualTo(41);

    observe();
    assertThat(builder.configsReadByLastRebuild()).as("nothing changed: not rebuilt").isEqualTo(41);
    dispatcher.unschedule(List.of(check("c5")));
    dispatcher.schedule(List.of(check("c5")));
    assertThat(observe()).as("removed and added again within one look: it is where it was").isEmpty();
  }

  /** Leads with {@code runners} runners reporting, then schedules {@code configs} configs c0, c1, ... */
  private void dispatch(int runners, int configs) {
    dispatcher.start();
    time.advance(Duration.ZERO);
    for (int i = 0; i < runners; i++) {
      report("runner-" + i, 0);
    }
    List<Config> all = new ArrayList<>();
    for (int i = 0; i < configs; i++) {
      all.add(check("c" + i));
    }
    dispatcher.schedule(all);
  }

  private String checkIdOf(String name) {
    return dispatcher.shownNodes().nodes().stream().flatMap(n -> n.dispatched().stream())
        .filter(dc -> dc.config().instances().get(0).text().contains("name: " + name + "\n"))
        .findFirst().orElseThrow().checkIds().get(0);
  }
}
