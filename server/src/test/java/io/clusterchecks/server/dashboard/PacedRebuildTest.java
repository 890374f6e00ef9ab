package io.clusterchecks.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The config-wide part of the view is rebuilt at most once per {@link SnapshotBuilder#REBUILD_PACING}
 * times the last rebuild's duration: at a million configs, rebuilding on every tick while configs
 * move took a core and, through GC pauses, expired workers. Here every reading of the dashboard's
 * clock moves it 100 ms, so a rebuild "takes" 100 ms and the next waits 2 s.
 */
class PacedRebuildTest {
  private final ManualTime time = new ManualTime();
  private final Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
      time, time, new SimpleMeterRegistry());

  /** A clock that moves 100 ms at each reading, and jumps when told. */
  private static final class SlowClock implements InstantSource {
    private long millis = 1_000_000;

    @Override
    public Instant instant() {
      millis += 100;
      return Instant.ofEpochMilli(millis);
    }

    void jump(Duration d) {
      millis += d.toMillis();
    }
  }

  private static Config check(String name) {
    return Config.builder("http_check").clusterCheck(true).instanceYaml("name: " + name + "\n").source("test").build();
  }

  @Test
  void aChangedStateWaitsForThePacingThenIsRebuilt() {
    dispatcher.start();
    time.advance(Duration.ZERO);
    dispatcher.processNodeStatus("runner-1", "", new NodeStatus(0, NodeType.CLC_RUNNER));
    SlowClock clock = new SlowClock();
    DashboardSources sources = new DashboardSources(dispatcher, (force, dryRun) -> new CompletableFuture<>(),
        () -> new DashboardSources.LeadershipView("leader", "", ""), Map::of, node -> Optional.empty(), Map::of,
        new DashboardSources.Band(0.95, 1.02, 1.04));
    Dashboard d = new Dashboard(sources, "0123456789abcdef0123456789abcdef-paced", null, false, clock);
    dispatcher.schedule(List.of(check("first")));
    time.advance(Duration.ZERO);
    d.sample();

    dispatcher.schedule(List.of(check("second")));
    time.advance(Duration.ZERO);
    d.sample();
    String paced = new String(d.tick(), StandardCharsets.UTF_8);
    assertThat(paced).as("within 20 x 100 ms of the last rebuild: the view is the previous one")
        .contains("first").doesNotContain("second");

    clock.jump(Duration.ofSeconds(3));
    d.sample();
    String rebuilt = new String(d.tick(), StandardCharsets.UTF_8);
    assertThat(rebuilt).contains("first").contains("second");
  }
}
