package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our worker library's client, as a CLC runner uses it, against the API over HTTPS with the
 * generated certificate: the whole status / fetch cycle, and the errors it must recognise.
 */
class WorkerClientCompatibilityTest {
  private ApiFixture api;

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  private ClusterAgentClient client(String realIp) {
    return ClusterAgentClient.builder("https://127.0.0.1:" + api.server.port())
        .token(ApiFixture.TOKEN).realIp(realIp).build();
  }

  @Test
  void aRunnerReportsFetchesAndStaysUpToDateOverHttps() throws Exception {
    api = ApiFixture.with(ApiServer.Options::withSelfSignedCertificate, HttpClient.newHttpClient());
    api.startLeading();
    ClusterAgentClient runner = client("10.4.0.7");
    // The runner reports first: a config that arrives while a worker reports is placed at once
    // (one waiting with no worker would wait for the arrival window after the first report).
    runner.postStatus("runner-a", new NodeStatus(0, NodeType.CLC_RUNNER));
    await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.nodeConfigs("runner-a").isPresent());
    api.dispatcher.schedule(List.of(Config.builder("http_check").clusterCheck(true)
        .instanceYaml("url: http://a.example\n").build()));
    await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.nodeConfigs("runner-a")
        .map(c -> !c.configs().isEmpty()).orElse(false));
    ConfigResponse configs = runner.getConfigs("runner-a");

    assertThat(configs.configs()).extracting(Config::checkName).containsExactly("http_check");
    assertThat(runner.postStatus("runner-a", new NodeStatus(configs.lastChange(), NodeType.CLC_RUNNER))
        .isUpToDate()).isTrue();
    assertThat(runner.getState().nodes()).extracting(n -> n.name()).containsExactly("runner-a");
    assertThat(runner.version()).contains("\"Major\"");
    assertThat(runner.getEndpointsConfigs("k8s-node-1").configs()).isEmpty();
  }

  @Test
  void theClientSeesTheReferenceErrors() {
    api = ApiFixture.with(ApiServer.Options::withSelfSignedCertificate, HttpClient.newHttpClient());
    ClusterAgentClient runner = client("");

    assertThatThrownBy(() -> runner.postStatus("runner-a", new NodeStatus(0, NodeType.CLC_RUNNER)))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.body()).contains("Startup in progress");
        });
    api.startLeading();
    assertThatThrownBy(() -> runner.getConfigs("nobody"))
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(500);
          assertThat(e.body()).contains("node nobody is unknown");
        });
    ClusterAgentClient badToken = ClusterAgentClient.builder("https://127.0.0.1:" + api.server.port())
        .token("not-the-token").build();
    assertThatThrownBy(badToken::getState)
        .isInstanceOfSatisfying(ClusterAgentException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
  }
}
