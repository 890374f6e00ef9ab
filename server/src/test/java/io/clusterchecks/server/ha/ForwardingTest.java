package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.server.api.ApiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A follower's API in front of a fake leader that records what reaches it and answers 418 to
 * everything (docs/reference/scenarios.md items 2 and 58): what is forwarded, with which headers, and what is not.
 */
class ForwardingTest {
  private static final String TOKEN = "forwarding-test-token-0123456789abcdef";

  private record Seen(String method, String uri, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TaskScheduler scheduler = TaskScheduler.singleThread("forwarding-test");
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer leader;
  private LeaderForwarder forwarder;
  private LeadershipHandler handler;
  private ApiServer follower;
  private String base;
  private LeaderAddress leaderAddress;

  @BeforeEach
  void start() throws IOException {
    leader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    leader.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
      byte[] answer = "I am the leader, and a teapot\n".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/x-teapot");
      exchange.sendResponseHeaders(418, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    leader.start();
    leaderAddress = new LeaderAddress("dca-leader", "127.0.0.1", leader.getAddress().getPort());
    Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults(), InstantSource.system(), scheduler, registry);
    forwarder = new LeaderForwarder(2);
    handler = new LeadershipHandler(dispatcher, new LeaderAddress("dca-follower", "127.0.0.1", 1), forwarder,
        false, registry);
    follower = new ApiServer(dispatcher, handler,
        ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0).withPlainHttp(), registry).start();
    base = "http://127.0.0.1:" + follower.port();
    handler.following(leaderAddress);
  }

  @AfterEach
  void stop() {
    follower.close();
    forwarder.close();
    leader.stop(0);
    scheduler.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String[] auth(String... more) {
    String[] h = new String[more.length + 2];
    h[0] = "Authorization";
    h[1] = "Bearer " + TOKEN;
    System.arraycopy(more, 0, h, 2, more.length);
    return h;
  }

  @Test
  void everyWorkerEndpointReachesTheLeaderWithItsHeadersAndBody() throws Exception {
    String status = "{\"last_change\":42,\"node_type\":1}";
    List<HttpResponse<String>> answers = List.of(
        send("POST", "/api/v1/clusterchecks/status/runner-1", status,
            auth("X-Real-Ip", "10.1.2.3", "Content-Type", "application/json")),
        send("GET", "/api/v1/clusterchecks/configs/runner-1", null, auth("X-Real-Ip", "10.1.2.3")),
        send("GET", "/api/v1/endpointschecks/configs/k8s-node-a?x=1", null, auth()));
    for (HttpResponse<String> r : answers) {
      assertThat(r.statusCode()).isEqualTo(418);
      assertThat(r.body()).isEqualTo("I am the leader, and a teapot\n");
      assertThat(r.headers().firstValue("Content-Type")).contains("text/x-teapot");
      assertThat(r.headers().firstValue("X-DCA-Forwarded")).contains("true");
    }
    assertThat(seen).extracting(Seen::method, Seen::uri).containsExactly(
        org.assertj.core.groups.Tuple.tuple("POST", "/api/v1/clusterchecks/status/runner-1"),
        org.assertj.core.groups.Tuple.tuple("GET", "/api/v1/clusterchecks/configs/runner-1"),
        org.assertj.core.groups.Tuple.tuple("GET", "/api/v1/endpointschecks/configs/k8s-node-a?x=1"));
    assertThat(seen).allSatisfy(s -> {
      assertThat(s.header("Authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(s.header("X-DCA-Follower-Forwarded")).isEqualTo("true");
    });
    assertThat(seen.get(0).body()).isEqualTo(status);
    assertThat(seen.get(0).header("X-Real-Ip")).isEqualTo("10.1.2.3");
    assertThat(seen.get(0).header("Content-Type")).isEqualTo("application/json");
    assertThat(seen.get(1).header("X-Real-Ip")).isEqualTo("10.1.2.3");
    assertThat(registry.get("api_requests").tag("forwarded", "true").tag("status", "418").counters())
        .hasSize(3);
  }

  @Test
  void anAlreadyForwardedRequestGets508AndIsNotForwarded() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/clusterchecks/status/runner-1", "{}",
        auth("X-DCA-Follower-Forwarded", "true"));
    assertThat(r.statusCode()).isEqualTo(508);
    assertThat(r.body()).startsWith("Query was already forwarded from: 127.0.0.1:");
    assertThat(r.headers().firstValue("X-DCA-Forwarded")).contains("true");
    assertThat(seen).isEmpty();
  }

  @Test
  void withoutALeader503AndNothingForwarded() throws Exception {
    handler.leaderUnknown();
    HttpResponse<String> r = send("GET", "/api/v1/clusterchecks/configs/runner-1", null, auth());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("Startup in progress\n");
    assertThat(seen).isEmpty();
  }

  @Test
  void anUnreachableLeaderGives503() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    handler.following(new LeaderAddress("dca-gone", "127.0.0.1", closedPort));
    HttpResponse<String> r = send("GET", "/api/v1/clusterchecks/configs/runner-1", null, auth());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("Cannot reach the leader\n");
    assertThat(r.headers().firstValue("X-DCA-Forwarded")).contains("true");
  }

  @Test
  void theStateEndpointAnswersLocallyOnAFollower() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/clusterchecks", null, auth());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"not_running\":\"currently follower\"");
    assertThat(r.headers().firstValue("X-DCA-Forwarded")).isEmpty();
    assertThat(seen).isEmpty();
  }

  @Test
  void theFollowerChecksTheTokenItselfAndForwardsNothingUnauthenticated() throws Exception {
    HttpResponse<String> missing = send("GET", "/api/v1/clusterchecks/configs/runner-1", null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();
    HttpResponse<String> wrong = send("POST", "/api/v1/clusterchecks/status/runner-1", "{}",
        "Authorization", "Bearer not-the-token-0123456789abcdef0123");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).isEqualTo("invalid session token\n");
    HttpResponse<String> scheme = send("GET", "/api/v1/clusterchecks/configs/runner-1", null,
        "Authorization", "Basic abc");
    assertThat(scheme.statusCode()).isEqualTo(401);
    assertThat(seen).isEmpty();
  }

  @Test
  void thePlacementEndpointIsLeaderOnlyAndNeverForwarded() throws Exception {
    HttpResponse<String> r = send("GET", PlacementPuller.PATH, null, auth());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("currently follower");
    assertThat(seen).isEmpty();
    assertThat(send("GET", PlacementPuller.PATH, null).statusCode()).isEqualTo(401);
  }
}
