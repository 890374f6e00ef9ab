package io.clusterchecks.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.server.Agent;
import io.clusterchecks.server.settings.SettingsLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's probes on {@code health_port}, as the Datadog Helm chart's probes reach them. */
class HealthPortTest {
  @TempDir
  Path tmp;

  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void probesAnswerOnTheHealthPortAndMetricsOnTheMetricsPort() throws Exception {
    agent = Agent.start(SettingsLoader.load(null, Map.of(
        "DD_CLUSTER_AGENT_AUTH_TOKEN", "health-test-token-0123456789abcdef0123456789",
        "DD_CLUSTER_AGENT_CMD_HOST", "127.0.0.1",
        "DD_CLUSTER_AGENT_CMD_PORT", "0",
        "DD_METRICS_PORT", "0",
        "DD_HEALTH_PORT", "0",
        "DD_CONFD_PATH", tmp.toString())));

    assertThat(agent.healthPort()).isPositive().isNotEqualTo(agent.metricsPort());
    assertThat(get(agent.healthPort(), "/live").statusCode()).isEqualTo(200);
    assertThat(get(agent.healthPort(), "/ready").statusCode()).as("leads at once without leader election")
        .isEqualTo(200);
    assertThat(get(agent.healthPort(), "/metrics").statusCode()).isEqualTo(404);
    assertThat(get(agent.metricsPort(), "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void theDefaultHealthPortIsTheReferences() {
    assertThat(SettingsLoader.defaults().healthPort()).isEqualTo(5556);
    assertThat(SettingsLoader.load(null, Map.of("DD_HEALTH_PORT", "6000")).healthPort()).isEqualTo(6000);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
