package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private ApiFixture api;
  private MetricsServer metrics;

  @AfterEach
  void tearDown() {
    if (metrics != null) {
      metrics.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private MetricsServer startMetrics(BooleanSupplier ready) {
    metrics = new MetricsServer(api.registry, "127.0.0.1", 0, ready).start();
    return metrics;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + metrics.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsExposeApiRequestsAndDispatcherSeriesInPrometheusText() throws Exception {
    api = ApiFixture.leading();
    startMetrics(MetricsServer.leading(api.dispatcher));
    api.postStatus("runner-a", "{\"last_change\":0}");
    await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.stats().nodeCount() == 1);
    api.get("/api/v1/clusterchecks/configs/nobody");

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("text/plain"));
    assertThat(r.body())
        .contains("api_requests_total{forwarded=\"false\",handler=\"postCheckStatus\",status=\"200\"} 1.0")
        .contains("api_requests_total{forwarded=\"false\",handler=\"getCheckConfigs\",status=\"500\"} 1.0")
        .contains("cluster_checks_nodes_reporting{join_leader=\"true\"} 1.0");
  }

  @Test
  void theHealthListenerAnswersProbesAndNothingElse() throws Exception {
    api = ApiFixture.notLeading();
    metrics = MetricsServer.health("127.0.0.1", 0, MetricsServer.leading(api.dispatcher)).start();

    assertThat(get("/live").statusCode()).isEqualTo(200);
    assertThat(get("/ready").statusCode()).isEqualTo(503);
    assertThat(get("/metrics").statusCode()).as("metrics stay on metrics_port").isEqualTo(404);
    api.startLeading();
    HttpResponse<String> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok\n");
  }

  @Test
  void liveIsAlwaysOk() throws Exception {
    api = ApiFixture.notLeading();
    startMetrics(MetricsServer.dispatching(api.dispatcher));

    assertThat(get("/live").statusCode()).isEqualTo(200);
  }

  @Test
  void readyWhenDispatchingWaitsForLeadershipAndWarmup() throws Exception {
    api = ApiFixture.notLeading();
    startMetrics(MetricsServer.dispatching(api.dispatcher));

    HttpResponse<String> before = get("/ready");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).isEqualTo("not ready\n");

    api.startLeading();
    assertThat(get("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void readyWhenLeadingIncludesTheWarmupSoWorkersCanReport() throws Exception {
    api = ApiFixture.withWarmup(Duration.ofHours(1));
    BooleanSupplier leading = MetricsServer.leading(api.dispatcher);
    BooleanSupplier dispatching = MetricsServer.dispatching(api.dispatcher);
    startMetrics(leading);
    assertThat(get("/ready").statusCode()).isEqualTo(503);

    api.dispatcher.start();
    await().atMost(Duration.ofSeconds(10)).until(api.dispatcher::isWarmingUp);

    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(dispatching.getAsBoolean()).isFalse();
  }
}
