package io.clusterchecks.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.config.SecretScrubber;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's HTTP side on a live agent over real TLS sockets: who gets in, what the cookie
 * looks like, what the snapshot and the event stream carry, and that secrets never leave.
 */
class DashboardApiTest {
  @TempDir
  Path tmp;
  private LiveAgent live;
  private final HttpClient http = LiveAgent.trustAllClient();

  @BeforeEach
  void start() throws Exception {
    live = LiveAgent.start(tmp, 2, 2, Map.of(
        "postgres.d/orders.yaml", LiveAgent.check(
            "host: db.internal, password: hunter2-secret, api_key: abc123key, "
                + "url: 'postgres://app:s3cr3tpw@db.internal/orders', name: orders"),
        "http_check.d/web.yaml", LiveAgent.check("url: 'http://web.internal/health', name: web"),
        "broken.d/bad.yaml", "cluster_check: true\ninstances:\n  - [unclosed\n"));
  }

  @AfterEach
  void stop() {
    if (live != null) {
      live.close();
    }
  }

  @Test
  void dataNeedsATokenOrASessionAndTheWrongTokenGetsNothing() throws Exception {
    assertThat(get("/api/v1/dashboard/snapshot", Map.of()).statusCode()).isEqualTo(401);
    assertThat(eventsStatus(Map.of())).isEqualTo(401);
    assertThat(get("/api/v1/dashboard/snapshot", Map.of("Authorization", "Bearer wrong-" + LiveAgent.TOKEN))
        .statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/dashboard/snapshot", Map.of("Cookie", "__Host-clusterchecks-dashboard=forged"))
        .statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = post("/api/v1/dashboard/session", "{\"token\":\"nope\"}", Map.of());
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(get("/api/v1/dashboard/snapshot", Map.of("Authorization", "Bearer " + LiveAgent.TOKEN))
        .statusCode()).isEqualTo(200);
    // The page itself holds no data: anyone may load it, with a strict content security policy.
    HttpResponse<String> page = get("/dashboard", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>clusterchecks</title>");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
    assertThat(get("/dashboard/uPlot.iife.min.js", Map.of()).body()).contains("uPlot");
    assertThat(get("/dashboard/..%2F..%2Fagent.yaml", Map.of()).statusCode()).isIn(400, 404);
  }

  @Test
  void headOnTheDataRoutesChecksAccessFirst() throws Exception {
    for (String path : List.of("/api/v1/dashboard/snapshot", "/api/v1/dashboard/session", "/api/v1/dashboard/events")) {
      HttpRequest anonymous = HttpRequest.newBuilder(URI.create(live.url + path))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
      assertThat(http.send(anonymous, HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(401);
      HttpRequest signedIn = HttpRequest.newBuilder(URI.create(live.url + path))
          .header("Authorization", "Bearer " + LiveAgent.TOKEN)
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
      assertThat(http.send(signedIn, HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(405);
    }
  }

  @Test
  void theTokenIsExchangedForAnHttpOnlyStrictSecureCookieThatOpensTheEventStream() throws Exception {
    HttpResponse<String> login = post("/api/v1/dashboard/session",
        "{\"token\":\"" + LiveAgent.TOKEN + "\"}", Map.of());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("\"access\":\"full\"").doesNotContain(LiveAgent.TOKEN);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("__Host-clusterchecks-dashboard=")
        .contains("HttpOnly").contains("SameSite=Strict").contains("Secure").contains("Path=/")
        .doesNotContain(LiveAgent.TOKEN);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    // The stream sends a snapshot at once, then one per change: a new config file shows up.
    HttpRequest events = HttpRequest.newBuilder(URI.create(live.url + "/api/v1/dashboard/events"))
        .header("Cookie", cookie).GET().build();
    HttpResponse<InputStream> stream = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      // The first snapshot may predate the agent's first election event: the stream then follows.
      JsonNode first = nextSnapshot(r);
      for (int i = 0; i < 20 && !first.path("leadership").path("role").asString().equals("leader"); i++) {
        first = nextSnapshot(r);
      }
      assertThat(first.path("leadership").path("role").asString()).isEqualTo("leader");
      live.writeFile("tls.d/new.yaml", LiveAgent.check("server: new.internal, name: fresh"));
      JsonNode withNew = null;
      for (int i = 0; i < 30 && (withNew == null || !hasCheck(withNew, "tls")); i++) {
        withNew = nextSnapshot(r);
      }
      assertThat(hasCheck(withNew, "tls")).as("the new file's config arrives on the open stream").isTrue();
    } finally {
      stream.body().close();
    }

    // Logging out ends the session.
    HttpRequest logout = HttpRequest.newBuilder(URI.create(live.url + "/api/v1/dashboard/session"))
        .header("Cookie", cookie).DELETE().build();
    assertThat(http.send(logout, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/dashboard/snapshot", Map.of("Cookie", cookie)).statusCode()).isEqualTo(401);
  }

  @Test
  void theSnapshotShowsRunnersChecksAndProblemsWithSecretsMasked() throws Exception {
    Map<String, String> auth = Map.of("Authorization", "Bearer " + LiveAgent.TOKEN);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode s = json(get("/api/v1/dashboard/snapshot", auth).body());
      assertThat(s.path("runners")).hasSize(2);
      assertThat(s.path("fleet").path("dispatched").asInt()).isEqualTo(2);
      assertThat(s.path("problems")).anySatisfy(p -> {
        assertThat(p.path("entity").asString()).endsWith("bad.yaml");
        assertThat(p.path("message").asString()).contains("line");
      });
    });
    String body = get("/api/v1/dashboard/snapshot", auth).body();
    assertThat(body).contains("postgres").contains("db.internal").contains(SecretScrubber.HIDDEN)
        .doesNotContain("hunter2").doesNotContain("abc123key").doesNotContain("s3cr3tpw")
        .doesNotContain(LiveAgent.TOKEN);
    JsonNode s = json(body);
    assertThat(s.path("runners").get(0).path("nodeType").asString()).isEqualTo("clc runner");
    assertThat(s.path("runners").get(0).path("lastHeartbeatMillis").isNumber()).isTrue();
    // "dispatched" when the workers report within the 2 s warmup; on a loaded machine they report
    // later, the configs wait for them, and the same assignment is recorded as "re-dispatched".
    assertThat(s.path("events")).anySatisfy(e -> assertThat(e.path("kind").asString())
        .isIn("dispatched", "re-dispatched"));
  }

  @Test
  void actionsNeedTheFullTokenAndWithTheCookieTheDashboardHeader() throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> live.agent.dispatcher().stats().activeConfigs() == 2);
    String cookie = loginCookie();
    // A cross-site form could carry the cookie (were it not SameSite) but never a custom header.
    assertThat(post("/api/v1/dashboard/rebalance", "{\"dry_run\":true}", Map.of("Cookie", cookie)).statusCode())
        .isEqualTo(403);
    assertThat(post("/api/v1/dashboard/rebalance", "{\"dry_run\":true}", Map.of()).statusCode()).isEqualTo(401);
    HttpResponse<String> dry = post("/api/v1/dashboard/rebalance", "{\"dry_run\":true,\"force\":true}",
        Map.of("Cookie", cookie, "X-Clusterchecks-Dashboard", "1"));
    assertThat(dry.statusCode()).isEqualTo(200);
    assertThat(json(dry.body()).path("dryRun").asBoolean()).isTrue();
    assertThat(post("/api/v1/dashboard/rebalance", "{\"dry_run\":\"yes\"}",
        Map.of("Authorization", "Bearer " + LiveAgent.TOKEN)).statusCode()).isEqualTo(400);
    HttpResponse<String> isolate = post("/api/v1/dashboard/isolate", "{\"check_id\":\"no-such-check\"}",
        Map.of("Authorization", "Bearer " + LiveAgent.TOKEN));
    assertThat(isolate.statusCode()).isEqualTo(200);
    assertThat(json(isolate.body()).path("reason").asString()).isEqualTo("Unable to find check");
    assertThat(post("/api/v1/dashboard/isolate", "{\"check_id\":\"a/b\"}",
        Map.of("Authorization", "Bearer " + LiveAgent.TOKEN)).statusCode()).isEqualTo(400);
    String big = "{\"check_id\":\"" + "x".repeat(DashboardRoutes.MAX_BODY_BYTES) + "\"}";
    assertThat(post("/api/v1/dashboard/isolate", big, Map.of("Authorization", "Bearer " + LiveAgent.TOKEN))
        .statusCode()).isEqualTo(413);
  }

  private String loginCookie() throws Exception {
    String setCookie = post("/api/v1/dashboard/session", "{\"token\":\"" + LiveAgent.TOKEN + "\"}", Map.of())
        .headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** Reads lines up to the next {@code snapshot} event and decodes it; fails after 10 s. */
  private static JsonNode nextSnapshot(BufferedReader r) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("data: ")) {
            return json(line.substring("data: ".length()));
          }
        }
        throw new IllegalStateException("the stream ended");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).get(10, TimeUnit.SECONDS);
  }

  private static boolean hasCheck(JsonNode snapshot, String checkName) {
    for (JsonNode c : snapshot.path("checks")) {
      if (c.path("checkName").asString().equals(checkName)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode json(String body) {
    try {
      return ConfigCodec.JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(live.url + path)).timeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The event stream's status; an accepted stream never ends, so only its status is read. */
  private int eventsStatus(Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(live.url + "/api/v1/dashboard/events"));
    headers.forEach(b::header);
    HttpResponse<InputStream> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(live.url + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
