package io.clusterchecks.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.server.api.ApiServer;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference's dispatcher scenarios where a worker is involved (docs/reference/scenarios.md items 10 to 16), played
 * through the real HTTPS API with the worker library's client, while the test drives the
 * dispatcher's clock: expiry and thresholds are checked to the millisecond without sleeping.
 */
class HttpScenariosTest {
  private static final String TOKEN = "scenario-token-0123456789abcdef0123456789";
  private final ManualTime time = new ManualTime();
  private Dispatcher dispatcher;
  private ApiServer api;
  private ClusterAgentClient client;

  @BeforeEach
  void start() {
    DispatcherSettings s = DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO)
        .withUnscheduledCheckThreshold(Duration.ofSeconds(45));
    dispatcher = new Dispatcher(s, time, time, new SimpleMeterRegistry());
    dispatcher.start();
    time.advance(Duration.ZERO);
    api = new ApiServer(dispatcher, ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0),
        new SimpleMeterRegistry()).start();
    client = ClusterAgentClient.builder("https://127.0.0.1:" + api.port()).token(TOKEN).build();
  }

  @AfterEach
  void stop() {
    api.close();
    dispatcher.stop();
  }

  private boolean report(String node, long lastChange, NodeType type) throws ClusterAgentException {
    return client.postStatus(node, new NodeStatus(lastChange, type)).isUpToDate();
  }

  private boolean report(String node) throws ClusterAgentException {
    return report(node, NodeStatus.HEARTBEAT_ONLY, NodeType.CLC_RUNNER);
  }

  private List<String> checksOn(String node) throws ClusterAgentException {
    return client.getConfigs(node).configs().stream().map(Config::checkName).toList();
  }

  private static Config check(String name) {
    return Config.builder(name).clusterCheck(true).instanceYaml("name: " + name + "\n").source("test").build();
  }

  @Test
  void item10_nodeTypesAreCountedFromTheStatusBody() throws Exception {
    report("runner1", 0, NodeType.CLC_RUNNER);
    report("runner2", 0, NodeType.CLC_RUNNER);
    report("agent1", 0, NodeType.NODE_AGENT);
    report("agent2", 0, NodeType.NODE_AGENT);
    report("agent3", 0, NodeType.NODE_AGENT);
    assertThat(dispatcher.stats().nodeTypes())
        .containsEntry(NodeType.CLC_RUNNER, 2).containsEntry(NodeType.NODE_AGENT, 3);
  }

  @Test
  void item11_aWorkerFetchesWhenItsVersionIsStaleAndEchoesTheNewOne() throws Exception {
    assertThat(report("node1", 0, NodeType.CLC_RUNNER)).as("fresh node at version 0").isTrue();
    dispatcher.schedule(List.of(check("a")));
    assertThat(report("node1", 0, NodeType.CLC_RUNNER)).isFalse();
    ConfigResponse r = client.getConfigs("node1");
    assertThat(r.configs()).extracting(Config::checkName).containsExactly("a");
    assertThat(report("node1", r.lastChange(), NodeType.CLC_RUNNER)).isTrue();
    assertThat(report("node1", r.lastChange() - 2, NodeType.CLC_RUNNER)).isFalse();
  }

  @Test
  void item12_leastConfigsWithTiesToTheSmallestName() throws Exception {
    report("node2");
    report("node1");
    dispatcher.schedule(List.of(check("a"), check("b"), check("c")));
    assertThat(checksOn("node1")).containsExactly("a", "c");
    assertThat(checksOn("node2")).containsExactly("b");
    report("node3");
    dispatcher.schedule(List.of(check("d")));
    assertThat(checksOn("node3")).containsExactly("d");
  }

  @Test
  void items13and14_aSilentNodeExpiresAtExactlyTheTimeoutAndItsConfigsMoveAtOnce() throws Exception {
    report("nodeA");
    report("nodeB");
    dispatcher.schedule(List.of(check("a"), check("b"), check("c")));
    assertThat(checksOn("nodeB")).containsExactly("b");

    time.advanceSeconds(10);
    report("nodeA");
    time.advanceSeconds(10);
    report("nodeA");
    time.advance(Duration.ofSeconds(9).plusMillis(999));
    assertThat(checksOn("nodeB")).as("29.999 s after its last report").containsExactly("b");
    time.advanceMillis(1);
    assertThatThrownBy(() -> client.getConfigs("nodeB"))
        .isInstanceOf(ClusterAgentException.class).hasMessageContaining("node nodeB is unknown");
    assertThat(checksOn("nodeA")).containsExactlyInAnyOrder("a", "b", "c");

    // nodeA goes silent too: its configs wait, then land on the next node that reports, once the
    // arrival window it opens has passed (nodes reporting meanwhile would share them).
    time.advanceSeconds(30);
    assertThat(dispatcher.state().dangling()).hasSize(3);
    report("nodeC");
    assertThat(checksOn("nodeC")).isEmpty();
    time.advance(DispatcherSettings.DEFAULT_ARRIVAL_WINDOW);
    assertThat(checksOn("nodeC")).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void item15_configsSpreadEvenly() throws Exception {
    report("node1");
    report("node2");
    dispatcher.schedule(List.of(check("A"), check("B"), check("C"), check("D")));
    Set<String> union = new HashSet<>(checksOn("node1"));
    union.addAll(checksOn("node2"));
    assertThat(checksOn("node1")).hasSize(2);
    assertThat(checksOn("node2")).hasSize(2);
    assertThat(union).containsExactlyInAnyOrder("A", "B", "C", "D");
  }

  @Test
  void item16_aConfigNoWorkerTakesIsReportedAsUnscheduledAtTheThreshold() throws Exception {
    dispatcher.schedule(List.of(check("lonely")));
    assertThat(client.getState().dangling()).extracting(Config::checkName).containsExactly("lonely");
    time.advance(Duration.ofSeconds(44).plusMillis(999));
    assertThat(dispatcher.stats().unscheduledChecks()).isZero();
    time.advanceMillis(1);
    assertThat(dispatcher.stats().unscheduledChecks()).isEqualTo(1);
    report("node1");
    time.advance(DispatcherSettings.DEFAULT_ARRIVAL_WINDOW);
    assertThat(checksOn("node1")).containsExactly("lonely");
    assertThat(dispatcher.stats().unscheduledChecks()).isZero();
    assertThat(client.getState().dangling()).isEmpty();
  }
}
