package io.clusterchecks.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.worker.InsecureTls;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatedRunnerApiTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static SSLContext serverTls;
  private static HttpClient client;
  private SimulatedRunnerApi api;

  @BeforeAll
  static void makeCertificateOnce() {
    serverTls = SimulatedRunnerApi.selfSignedTls("test-runner");
    client = HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext())
        .connectTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterAll
  static void closeClient() {
    client = null;
  }

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  static HttpResponse<String> get(URI base, String path, String authorization) throws Exception {
    HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5));
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    return client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesStatsWorkersAndVersionOverHttpsWithTheToken() throws Exception {
    AtomicReference<Map<String, CheckStats>> stats = new AtomicReference<>(
        Map.of("http_check:a:1f", CheckStats.ofExecutionTime(241)));
    api = SimulatedRunnerApi.builder(TOKEN).bindAddress("127.0.0.2").sslContext(serverTls)
        .stats(stats::get)
        .workers(() -> new SimulatedRunnerApi.Workers(2, List.of(0.25, 0.5)))
        .build().start();
    assertThat(api.isTls()).isTrue();
    assertThat(api.baseUri().toString()).startsWith("https://127.0.0.2:");
    String bearer = "Bearer " + TOKEN;

    HttpResponse<String> r = get(api.baseUri(), SimulatedRunnerApi.STATS_PATH, bearer);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    Map<String, CheckStats> decoded = ConfigCodec.JSON.readValue(r.body(), new TypeReference<>() {});
    assertThat(decoded).isEqualTo(stats.get());
    JsonNode raw = ConfigCodec.JSON.readTree(r.body()).get("http_check:a:1f");
    assertThat(raw.get("AverageExecutionTime").asLong()).isEqualTo(241);
    assertThat(raw.has("LastExecFailed")).isTrue();

    // answers follow the supplier
    stats.set(Map.of("redisdb:2e", CheckStats.ofExecutionTime(7)));
    assertThat(get(api.baseUri(), SimulatedRunnerApi.STATS_PATH, bearer).body()).contains("redisdb:2e")
        .doesNotContain("http_check");

    JsonNode workers = ConfigCodec.JSON.readTree(get(api.baseUri(), SimulatedRunnerApi.WORKERS_PATH, bearer).body());
    assertThat(workers.get("Count").asInt()).isEqualTo(2);
    assertThat(workers.get("Instances").get("worker_1").get("Utilization").asDouble()).isEqualTo(0.25);
    assertThat(workers.get("Instances").get("worker_2").get("Utilization").asDouble()).isEqualTo(0.5);
    assertThat(workers.get("Instances").size()).isEqualTo(2);

    HttpResponse<String> v = get(api.baseUri(), SimulatedRunnerApi.VERSION_PATH, bearer);
    assertThat(v.statusCode()).isEqualTo(200);
    assertThat(ConfigCodec.JSON.readTree(v.body()).get("Major").asInt()).isEqualTo(7);
  }

  @Test
  void refusesRequestsWithoutTheRightToken() throws Exception {
    api = SimulatedRunnerApi.builder(TOKEN).plainHttp(true).build().start();
    assertThat(api.baseUri().getScheme()).isEqualTo("http");
    URI base = api.baseUri();
    String path = SimulatedRunnerApi.STATS_PATH;

    HttpResponse<String> none = get(base, path, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("no session token provided");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"Datadog Agent\"");
    assertThat(get(base, path, "Basic " + TOKEN).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = get(base, path, "Bearer " + TOKEN + "x");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("invalid session token").doesNotContain(TOKEN);
    assertThat(get(base, path, "Bearer " + TOKEN + " extra").statusCode()).isEqualTo(403);
    assertThat(get(base, path, "Bearer").statusCode()).isEqualTo(403);
    assertThat(api.rejectedCount()).isEqualTo(5);

    assertThat(get(base, path, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(get(base, path, "Bearer " + TOKEN).body()).isEqualTo("{}");
    // the default /workers: the agent's 4 idle workers
    assertThat(ConfigCodec.JSON.readTree(get(base, SimulatedRunnerApi.WORKERS_PATH, "Bearer " + TOKEN).body())
        .get("Count").asInt()).isEqualTo(4);
    assertThat(get(base, "/api/v1/clcrunner/other", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(api.requestCount()).isEqualTo(10);
    assertThat(api.rejectedCount()).isEqualTo(5);
  }

  @Test
  void aFailingSupplierAnswers500AndTheServerKeepsServing() throws Exception {
    boolean[] fail = {true};
    api = SimulatedRunnerApi.builder(TOKEN).plainHttp(true).stats(() -> {
      if (fail[0]) {
        throw new IllegalStateException("boom");
      }
      return Map.of();
    }).build().start();
    assertThat(get(api.baseUri(), SimulatedRunnerApi.STATS_PATH, "Bearer " + TOKEN).statusCode()).isEqualTo(500);
    fail[0] = false;
    assertThat(get(api.baseUri(), SimulatedRunnerApi.STATS_PATH, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void closingFreesThePortAndStartServesAgainOnIt() throws Exception {
    api = SimulatedRunnerApi.builder(TOKEN).plainHttp(true).bindAddress("127.0.0.3").build().start();
    URI base = api.baseUri();
    int port = api.port();
    api.close();
    assertThat(api.isRunning()).isFalse();
    assertThatThrownBy(() -> get(base, SimulatedRunnerApi.STATS_PATH, "Bearer " + TOKEN))
        .isInstanceOf(ConnectException.class);

    SimulatedRunnerApi again = SimulatedRunnerApi.builder(TOKEN).plainHttp(true).bindAddress("127.0.0.3")
        .port(port).build().start();
    try {
      assertThat(get(again.baseUri(), SimulatedRunnerApi.STATS_PATH, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(again.port()).isEqualTo(port);
    } finally {
      again.close();
    }
  }

  @Test
  void builderChecks() {
    assertThatThrownBy(() -> SimulatedRunnerApi.builder("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedRunnerApi.builder(TOKEN).port(70000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SimulatedRunnerApi.Workers(0, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SimulatedRunnerApi.Workers(2, List.of(0.1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

}
