package io.clusterchecks.server.balance;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.config.ConfigPatcher;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.server.api.ApiServer;
import io.clusterchecks.server.cli.Main;
import io.clusterchecks.worker.ClusterAgentClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * When the move budget stops an on-demand rebalance short of the band, the API's answer and the
 * CLI's text say so; the reference's fields are unchanged. Over a real socket.
 */
class BudgetStoppedAnswerTest {
  private static final String TOKEN = "budget-token-0123456789abcdef0123456789ab";
  private final ManualTime time = new ManualTime();
  private Dispatcher dispatcher;
  private ApiServer api;
  private String url;

  /** node1 runs four configs of 0.6 check workers each (of its 4); node2 and node3 run nothing. */
  @BeforeEach
  void start() throws Exception {
    DispatcherSettings.Balancing d = DispatcherSettings.Balancing.defaults();
    dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO)
        .withBalancing(new DispatcherSettings.Balancing(true, Set.of(), d.target(), d.trigger(), d.fillBelow(),
            d.minImprovementPercent(), 1)), time, time, new SimpleMeterRegistry());
    dispatcher.start();
    time.advance(Duration.ZERO);
    api = new ApiServer(dispatcher, ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0)
        .withPlainHttp(), new SimpleMeterRegistry()).start();
    url = "http://127.0.0.1:" + api.port();
    ClusterAgentClient client = ClusterAgentClient.builder(url).token(TOKEN).allowPlainHttp(true).build();
    client.postStatus("node1", new NodeStatus(0, NodeType.CLC_RUNNER));
    Map<String, CheckStats> stats = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      Config c = Config.builder("heavy").clusterCheck(true).instanceYaml("name: h" + i + "\n").build();
      dispatcher.schedule(List.of(c));
      stats.put(CheckIds.checkIds(ConfigPatcher.patchClusterCheck(c, List.of())).get(0),
          CheckStats.ofExecutionTime(9000));
    }
    client.postStatus("node2", new NodeStatus(0, NodeType.CLC_RUNNER));
    client.postStatus("node3", new NodeStatus(0, NodeType.CLC_RUNNER));
    dispatcher.updateRunnerStats(Map.of("node1", new RunnerStats("node1", stats, 4, 0)));
  }

  @AfterEach
  void stop() {
    api.close();
    dispatcher.stop();
  }

  @Test
  void theApiAnswerAndTheCliTextSayTheBudgetStoppedTheRebalance() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(url + "/api/v1/clusterchecks/rebalance"))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString("{\"dry_run\":true}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode moves = ConfigCodec.JSON.readTree(r.body());
    assertThat(moves).hasSize(1);
    JsonNode move = moves.get(0);
    // Two of the four configs must leave node1 (one to each empty runner); the budget allows one.
    assertThat(move.get("budget_stopped").asBoolean()).as(r.body()).isTrue();
    assertThat(move.get("moves_needed").asInt()).isEqualTo(2);
    assertThat(move.get("check_weight").longValue()).isEqualTo(600);
    assertThat(move.get("source_node_name").asString()).isEqualTo("node1");

    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    cl.execute("clusterchecks", "rebalance", "--url", url, "--token", TOKEN);
    assertThat(out.toString()).contains("1 cluster checks rebalanced successfully")
        .contains("The move budget (cluster_checks.rebalance_max_moves) stopped this rebalance after 1 of the 2 moves");

    // A second call goes on, and lands inside the band: nothing more is needed.
    HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(url + "/api/v1/clusterchecks/rebalance"))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode second = ConfigCodec.JSON.readTree(again.body());
    assertThat(second).hasSize(1);
    assertThat(second.get(0).get("budget_stopped").asBoolean()).isFalse();
    assertThat(second.get(0).get("moves_needed").asInt()).isEqualTo(1);
  }
}
