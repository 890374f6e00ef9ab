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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * While no page is open the sampler only observes: it encodes no document (at a million configs
 * that was most of an idle agent's CPU), yet the timeline it keeps is complete, so the first page
 * opened afterwards shows what happened meanwhile, and a request gets the state as it is now.
 */
class IdleDashboardTest {
  private final ManualTime time = new ManualTime();
  private final Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
      time, time, new SimpleMeterRegistry());

  private Dashboard dashboard() {
    DashboardSources sources = new DashboardSources(dispatcher, (force, dryRun) -> new CompletableFuture<>(),
        () -> new DashboardSources.LeadershipView("leader", "", ""), Map::of, node -> Optional.empty(), Map::of,
        new DashboardSources.Band(0.95, 1.02, 1.04));
    return new Dashboard(sources, "0123456789abcdef0123456789abcdef-idle", null, false, time);
  }

  private static Config check(String name) {
    return Config.builder("http_check").clusterCheck(true).instanceYaml("name: " + name + "\n").source("test").build();
  }

  @Test
  void withNoPageOpenNothingIsEncodedAndTheTimelineMissesNothing() {
    dispatcher.start();
    time.advance(Duration.ZERO);
    dispatcher.processNodeStatus("runner-1", "", new NodeStatus(0, NodeType.CLC_RUNNER));
    Dashboard d = dashboard();
    d.sample();
    dispatcher.schedule(List.of(check("first")));
    time.advance(Duration.ofSeconds(1));
    d.sample();
    time.advance(Duration.ofSeconds(1));
    d.sample();
    assertThat(d.encodings()).as("no page open: nothing encoded").isZero();

    // A request builds the document now: the config is there, and the timeline saw it dispatched.
    String json = new String(d.tick(), StandardCharsets.UTF_8);
    assertThat(json).contains("http_check").contains("runner-1").contains("dispatched");
    assertThat(d.encodings()).isEqualTo(1);
  }
}
