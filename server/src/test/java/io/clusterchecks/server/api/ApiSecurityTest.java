package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication and hostile paths, over a real socket; none of them may change the state. */
class ApiSecurityTest {
  private static final String STATUS_BODY = "{\"last_change\":0}";
  private ApiFixture api;

  @BeforeEach
  void setUp() {
    api = ApiFixture.leading();
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  private HttpResponse<String> postStatusWith(String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl + path))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(STATUS_BODY));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return api.send(b.build());
  }

  private void assertNoNodeRegistered() {
    assertThat(api.dispatcher.state().nodes()).isEmpty();
  }

  // ---------------------------------------------------------------- auth

  @Test
  void withoutAuthorizationEveryRouteIs401WithABearerChallenge() {
    for (String path : List.of("/api/v1/clusterchecks/configs/runner-a", "/api/v1/clusterchecks",
        "/api/v1/endpointschecks/configs/k8s-node-1", "/api/v1/endpointschecks/configs",
        "/version")) {
      HttpResponse<String> r = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl + path))
          .GET().build());
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.body()).as(path).isEqualTo("no session token provided\n");
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"Datadog Agent\"");
    }
    HttpResponse<String> status = postStatusWith("/api/v1/clusterchecks/status/runner-a", null);
    assertThat(status.statusCode()).isEqualTo(401);
    assertNoNodeRegistered();
    assertThat(api.apiRequests("postCheckStatus", 401, false)).isEqualTo(1);
  }

  @Test
  void anotherSchemeIs401NamingTheSchemeOnly() {
    HttpResponse<String> r = postStatusWith("/api/v1/clusterchecks/status/runner-a",
        "Basic dXNlcjpwYXNz");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("unsupported authorization scheme: Basic\n");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    // The scheme is case-sensitive, as in the reference.
    assertThat(postStatusWith("/api/v1/clusterchecks/status/runner-a", "bearer " + ApiFixture.TOKEN)
        .body()).isEqualTo("unsupported authorization scheme: bearer\n");
    assertNoNodeRegistered();
  }

  @Test
  void aWrongOrMalformedTokenIs403() {
    for (String authorization : List.of(
        "Bearer wrong",
        "Bearer",
        "Bearer ",
        "Bearer " + ApiFixture.TOKEN + " extra",
        "Bearer  " + ApiFixture.TOKEN,
        "Bearer " + ApiFixture.TOKEN.substring(1),
        "Bearer " + ApiFixture.TOKEN + "x")) {
      HttpResponse<String> r = postStatusWith("/api/v1/clusterchecks/status/runner-a", authorization);
      assertThat(r.statusCode()).as(authorization).isEqualTo(403);
      assertThat(r.body()).as(authorization).isEqualTo("invalid session token\n");
    }
    assertNoNodeRegistered();
  }

  @Test
  void theRightTokenIsAccepted() {
    HttpResponse<String> r = postStatusWith("/api/v1/clusterchecks/status/runner-a",
        "Bearer " + ApiFixture.TOKEN);

    assertThat(r.statusCode()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- identifiers and paths

  @Test
  void identifiersRealWorkersUseAreAccepted() {
    for (String id : List.of("cluster-checks-runner-7d9f8c6b5-x2x4z", "ip-10-0-1-23.ec2.internal",
        "gke-prod-default-pool-1a2b3c4d-5e6f", "8e3b1f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b",
        "WIN-ABC123_DEV", "a".repeat(NodeIdentifiers.MAX_LENGTH))) {
      assertThat(api.postStatus(id, STATUS_BODY).statusCode()).as(id).isEqualTo(200);
    }
  }

  @Test
  void identifiersThatAreNotHostNamesAre400WithNoStateChange() {
    for (String raw : List.of(
        "a".repeat(NodeIdentifiers.MAX_LENGTH + 1),
        "n%C3%B6de",        // non-ASCII
        "a%20b",            // space
        "a%0Ab",            // control character
        "a%09b",
        "a%7Fb",
        "a%5Cb",            // backslash
        "a%3Fb",            // '?' smuggled in the path
        "a..b",
        "%25",
        ".")) {
      HttpResponse<String> status = api.postStatus(raw, STATUS_BODY);
      assertThat(status.statusCode()).as(raw).isIn(400, 404);
      HttpResponse<String> configs = api.get("/api/v1/clusterchecks/configs/" + raw);
      assertThat(configs.statusCode()).as(raw).isIn(400, 404);
      HttpResponse<String> endpoints = api.get("/api/v1/endpointschecks/configs/" + raw);
      assertThat(endpoints.statusCode()).as(raw).isIn(400, 404);
    }
    HttpResponse<String> overlong = api.postStatus("a".repeat(254), STATUS_BODY);
    assertThat(overlong.statusCode()).isEqualTo(400);
    assertThat(overlong.body()).startsWith("invalid node identifier: aaaa").contains("(254 chars)");
    HttpResponse<String> unicode = api.postStatus("n%C3%B6de", STATUS_BODY);
    assertThat(unicode.statusCode()).isEqualTo(400);
    assertThat(unicode.body()).isEqualTo("invalid node identifier: n\\u00f6de\n");
    assertThat(api.apiRequests("postCheckStatus", 400, false)).isGreaterThanOrEqualTo(2);
    assertNoNodeRegistered();
  }

  @Test
  void dotSegmentsAndEncodedSlashesAreRefusedAsIdentifiers() {
    // The router matches the raw path and decodes the segment: the identifier check sees "/" and ".."
    for (String raw : List.of("..", "%2e%2e", "%2E%2E", "a%2Fb", "a%2fb", "..%2F..%2Fversion", "%2F",
        "%2e", "a%5C..%5Cb")) {
      HttpResponse<String> status = api.postStatus(raw, STATUS_BODY);
      assertThat(status.statusCode()).as("POST " + raw).isEqualTo(400);
      assertThat(status.body()).as("POST " + raw).startsWith("invalid node identifier: ");
      HttpResponse<String> configs = api.get("/api/v1/clusterchecks/configs/" + raw);
      assertThat(configs.statusCode()).as("GET " + raw).isEqualTo(400);
    }
    assertThat(api.postStatus("a%2Fb", STATUS_BODY).body()).isEqualTo("invalid node identifier: a/b\n");
    // Unencoded extra segments match no route; Jetty itself refuses an encoded NUL.
    for (String raw : List.of("a/b", "a/../runner-a", "runner-a/..")) {
      assertThat(api.postStatus(raw, STATUS_BODY).statusCode()).as(raw).isEqualTo(404);
    }
    assertThat(api.postStatus("a%00b", STATUS_BODY).statusCode()).isEqualTo(400);
    assertNoNodeRegistered();
  }

  @Test
  void aTrailingSlashOrAnExtraSegmentIsNotAnotherRoute() {
    assertThat(api.get("/api/v1/clusterchecks/").statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/clusterchecks/configs/runner-a/extra").statusCode()).isEqualTo(404);
    assertThat(api.postStatus("", STATUS_BODY).statusCode()).isEqualTo(404);
    assertNoNodeRegistered();
  }
}
