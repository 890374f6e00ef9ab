package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.server.api.ApiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A follower's placement pulls against a real leader over a socket: the whole placement once, then
 * 304s while nothing moves, only the changes when something did, and the whole placement again
 * when the follower's copy is no longer the one it pulled.
 */
class PlacementPullerTest {
  private static final String TOKEN = "placement-puller-test-token-0123456789";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TaskScheduler leaderThread = TaskScheduler.singleThread("leader-dispatch");
  private final TaskScheduler followerThread = TaskScheduler.singleThread("follower-dispatch");
  private Dispatcher leader;
  private ApiServer leaderApi;
  private LeadershipHandler follower;
  private PlacementPuller puller;
  private LeaderAddress leaderAddress;

  @BeforeEach
  void start() {
    leader = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO), InstantSource.system(),
        leaderThread, registry);
    leaderApi = new ApiServer(leader, ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0)
        .withPlainHttp(), registry).start();
    leader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.isLeading() && !leader.isWarmingUp());
    leaderAddress = new LeaderAddress("dca-leader", "127.0.0.1", leaderApi.port());

    Dispatcher idle = new Dispatcher(DispatcherSettings.defaults(), InstantSource.system(), followerThread,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    LeaderForwarder forwarder = new LeaderForwarder(2);
    follower = new LeadershipHandler(idle, new LeaderAddress("dca-follower", "127.0.0.1", 1), forwarder, false,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    follower.following(leaderAddress);
    puller = new PlacementPuller(follower, forwarder, TOKEN, false, Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    puller.close();
    leaderApi.close();
    leaderThread.close();
    followerThread.close();
  }

  private static Config check(String name) {
    return Config.builder(name).clusterCheck(true).source("file:/etc/" + name + ".yaml")
        .instanceYaml("url: http://" + name + ".example\n").build();
  }

  private void scheduleOnLeader(String name, int expected) {
    leader.schedule(List.of(check(name)));
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.placement().size() == expected);
  }

  @Test
  void anUnchangedPlacementIsNotSentAgain() {
    leader.processNodeStatus("runner-a", "127.0.0.1", new NodeStatus(0, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.nodeConfigs("runner-a").isPresent());
    scheduleOnLeader("http_check", 1);

    assertThat(puller.pullOnce()).isTrue();
    assertThat(follower.warmCopy()).isEqualTo(leader.placement());
    assertThat(puller.counts()).containsExactly(1, 0, 0);

    assertThat(puller.pullOnce()).isTrue();
    assertThat(puller.pullOnce()).isTrue();
    assertThat(puller.counts()).containsExactly(1, 0, 2);
    assertThat(follower.warmCopy()).isEqualTo(leader.placement());

    scheduleOnLeader("tcp_check", 2);
    assertThat(puller.pullOnce()).isTrue();
    assertThat(puller.counts()).as("only the change").containsExactly(1, 1, 2);
    assertThat(follower.warmCopy()).hasSize(2).isEqualTo(leader.placement());

    // The follower's copy replaced by something else (as on stepping down): the next pull asks
    // for the whole placement, not for "anything new since".
    follower.acceptPlacement(leaderAddress, Map.of("some-digest", "runner-z"));
    assertThat(puller.pullOnce()).isTrue();
    assertThat(puller.counts()).containsExactly(2, 1, 2);
    assertThat(follower.warmCopy()).isEqualTo(leader.placement());
  }
}
