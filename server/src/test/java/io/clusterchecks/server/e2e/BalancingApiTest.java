package io.clusterchecks.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Rebalance and isolate through the HTTP API and the CLI, with bad input. */
class BalancingApiTest {
  private static final String TOKEN = "balancing-token-0123456789abcdef0123456789";
  private final ManualTime time = new ManualTime();
  private Dispatcher dispatcher;
  private ApiServer api;
  private ClusterAgentClient client;
  private String url;

  @BeforeEach
  void start() throws Exception {
    dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO), time, time,
        new SimpleMeterRegistry());
    dispatcher.start();
    time.advance(Duration.ZERO);
    api = new ApiServer(dispatcher, ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0)
        .withPlainHttp(), new SimpleMeterRegistry()).start();
    url = "http://127.0.0.1:" + api.port();
    client = ClusterAgentClient.builder(url).token(TOKEN).allowPlainHttp(true).build();
    client.postStatus("node1", new NodeStatus(0, NodeType.CLC_RUNNER));
    Config heavy = check("heavy");
    Config other = check("other");
    dispatcher.schedule(List.of(heavy, other));
    client.postStatus("node2", new NodeStatus(0, NodeType.CLC_RUNNER));
    dispatcher.updateRunnerStats(Map.of("node1", new RunnerStats("node1",
        Map.of(idOf(heavy), CheckStats.ofExecutionTime(9000), idOf(other), CheckStats.ofExecutionTime(3000)), 4, 0)));
  }

  @AfterEach
  void stop() {
    api.close();
    dispatcher.stop();
  }

  private static Config check(String name) {
    return Config.builder(name).clusterCheck(true).instanceYaml("name: " + name + "\n").build();
  }

  private static String idOf(Config c) {
    return CheckIds.checkIds(ConfigPatcher.patchClusterCheck(c, List.of())).get(0);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    cl.execute(args);
    return out.toString();
  }

  @Test
  void aDryRunShowsTheMoveAndARealRebalanceMakesIt() throws Exception {
    assertThat(cli("clusterchecks", "rebalance", "--dry-run", "--url", url, "--token", TOKEN))
        .contains("1 cluster checks would be rebalanced")
        .contains("would move from node node1 to node node2");
    assertThat(client.getConfigs("node1").configs()).hasSize(2);

    assertThat(cli("clusterchecks", "rebalance", "--force", "--url", url, "--token", TOKEN))
        .contains("1 cluster checks rebalanced successfully").contains("moved from node node1 to node node2");
    assertThat(client.getConfigs("node2").configs()).hasSize(1);
    assertThat(client.getConfigs("node1").configs()).hasSize(1);
  }

  @Test
  void checkWeightIsAnIntegerOnTheWireAndJsonOutputCarriesTheSameAnswer() throws Exception {
    HttpResponse<String> r = post("/api/v1/clusterchecks/rebalance", "{\"dry_run\":true}");
    assertThat(r.statusCode()).isEqualTo(200);
    tools.jackson.databind.JsonNode moves = io.clusterchecks.core.config.ConfigCodec.JSON.readTree(r.body());
    assertThat(moves).hasSize(1);
    tools.jackson.databind.JsonNode move = moves.get(0);
    assertThat(move.get("check_weight").isIntegralNumber()).as(r.body()).isTrue();
    assertThat(move.get("check_load").isDouble()).isTrue();
    assertThat(move.get("check_weight").longValue()).isPositive()
        .isEqualTo(Math.round(move.get("check_load").doubleValue() * 1000));

    String text = cli("clusterchecks", "rebalance", "--dry-run", "--url", url, "--token", TOKEN);
    assertThat(text).contains("with weight " + move.get("check_weight").longValue() + " would move");
    String json = cli("clusterchecks", "rebalance", "--dry-run", "--json", "--url", url, "--token", TOKEN);
    tools.jackson.databind.JsonNode printed = io.clusterchecks.core.config.ConfigCodec.JSON.readTree(json);
    assertThat(printed).hasSize(1);
    assertThat(printed.get(0).get("check_weight").longValue()).isEqualTo(move.get("check_weight").longValue());
    assertThat(printed.get(0).get("source_node_name").asString()).isEqualTo("node1");

    String id = idOf(check("other"));
    tools.jackson.databind.JsonNode isolated = io.clusterchecks.core.config.ConfigCodec.JSON.readTree(
        cli("clusterchecks", "isolate", "--json", "--checkID=" + id, "--url", url, "--token", TOKEN));
    assertThat(isolated.get("check_id").asString()).isEqualTo(id);
    assertThat(isolated.get("is_isolated").asBoolean()).isTrue();
    assertThat(isolated.get("check_node").asString()).isEqualTo("node1");
  }

  @Test
  void isolateThroughTheCli() {
    String id = idOf(check("other"));
    assertThat(cli("clusterchecks", "isolate", "--checkID=" + id, "--url", url, "--token", TOKEN))
        .contains("Check " + id + " isolated successfully on node node1");
    assertThat(cli("clusterchecks", "isolate", "--checkID=nope:1", "--url", url, "--token", TOKEN))
        .contains("could not be isolated: Unable to find check");
    assertThat(cli("clusterchecks", "isolate", "--url", url, "--token", TOKEN)).contains("checkID must be specified");
  }

  @Test
  void badRebalanceBodiesAre400AndChangeNothing() throws Exception {
    assertThat(post("/api/v1/clusterchecks/rebalance", "{\"force\":\"yes\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> garbage = post("/api/v1/clusterchecks/rebalance", "{force");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).startsWith("invalid rebalance body");
    assertThat(post("/api/v1/clusterchecks/rebalance", "[1]").statusCode()).isEqualTo(400);
    assertThat(client.getConfigs("node1").configs()).hasSize(2);
    // An empty body is a plain, non-forced rebalance, as the reference's older CLI sends.
    assertThat(post("/api/v1/clusterchecks/rebalance", "").statusCode()).isEqualTo(200);
  }

  @Test
  void isolateRefusesOddCheckIds() throws Exception {
    assertThat(post("/api/v1/clusterchecks/isolate/check/" + "x".repeat(2000), "").statusCode()).isEqualTo(400);
    assertThat(post("/api/v1/clusterchecks/isolate/check/a%2Fb", "").statusCode()).isEqualTo(400);
    assertThat(post("/api/v1/clusterchecks/isolate/check/a%0Ab", "").statusCode()).isEqualTo(400);
  }

  @Test
  void rebalanceWithNodeAgentsInThePoolIsTheReferences500() throws Exception {
    client.postStatus("agent", new NodeStatus(0, NodeType.NODE_AGENT));
    HttpResponse<String> r = post("/api/v1/clusterchecks/rebalance", "{\"force\":true}");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body().strip()).isEqualTo("no checks to rebalance: advanced dispatching is not enabled");
  }
}
