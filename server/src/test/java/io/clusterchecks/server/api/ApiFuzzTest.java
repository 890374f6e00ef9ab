package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated requests (methods, paths, identifiers, headers, bodies) against a running leader over
 * a real socket. Whatever arrives: no 5xx but those the protocol mandates, no state change from a
 * refused request, and never the token in an answer. jqwik prints the seed of a failing run.
 */
class ApiFuzzTest {
  /** 5xx answers the reference mandates, by the start of their body. */
  private static final List<String> MANDATED_5XX = List.of("invalid status body", "cannot parse CLC runner address",
      "node ", "no checks to rebalance", "Startup in progress", "Placement copy in preparation");

  private static ApiFixture api;

  record Fuzz(String method, String path, String authorization, String realIp, String extraHeader, byte[] body) {
    byte[] bytes() {
      List<String> headers = new ArrayList<>();
      if (authorization != null) {
        headers.add("Authorization: " + authorization);
      }
      if (realIp != null) {
        headers.add("X-Real-Ip: " + realIp);
      }
      if (extraHeader != null) {
        headers.add(extraHeader);
      }
      return RawHttp.request(method, path, headers, body);
    }

    @Override
    public String toString() {
      return method + " " + path + " auth=" + (authorization == null ? null : authorization.replace(ApiFixture.TOKEN, "<token>"))
          + " ip=" + realIp + " h=" + extraHeader + " body=" + new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  @BeforeContainer
  static void start() {
    api = ApiFixture.leading();
  }

  @AfterContainer
  static void stop() {
    api.close();
  }

  @Property(tries = 400)
  void noUnmandated5xxNoStateChangeFromARefusalNoTokenInAnswers(@ForAll("requests") Fuzz fuzz) throws Exception {
    int nodesBefore = api.dispatcher.stats().nodeCount();
    RawHttp.Answer a = RawHttp.send(api.server.port(), fuzz.bytes());
    int nodesAfter = api.dispatcher.stats().nodeCount();

    assertThat(a.status()).as("an answer to %s", fuzz).isBetween(100, 599);
    if (a.status() >= 500) {
      assertThat(MANDATED_5XX).as("%s answered %s %s", fuzz, a.status(), a.body())
          .anyMatch(prefix -> a.body().startsWith(prefix));
    }
    if (a.status() != 200) {
      assertThat(nodesAfter).as("refused %s changed the state", fuzz).isEqualTo(nodesBefore);
    }
    boolean authenticated = ("Bearer " + ApiFixture.TOKEN).equals(fuzz.authorization());
    if (!authenticated) {
      assertThat(a.status()).as("%s without the token", fuzz).isIn(400, 401, 403, 404, 405, 413, 414, 431);
    }
    assertThat(a.head() + a.body()).as("answer to %s", fuzz).doesNotContain(ApiFixture.TOKEN);
  }

  @Provide
  Arbitrary<Fuzz> requests() {
    Arbitrary<String> method = Arbitraries.oneOf(
        Arbitraries.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"),
        Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(8));
    Arbitrary<String> identifier = Arbitraries.oneOf(
        Arbitraries.of("runner-a", "node-1", "", "..", ".", "%2e%2e", "a%2Fb", "%00", "%zz", "a;b", "a?x=1"),
        Arbitraries.strings().withChars("abcXYZ019-_.~%:@!$&'()*+,;=").ofMinLength(1).ofMaxLength(300));
    Arbitrary<String> path = Combinators.combine(Arbitraries.of(
        "/api/v1/clusterchecks/status/", "/api/v1/clusterchecks/configs/", "/api/v1/endpointschecks/configs/",
        "/api/v1/clusterchecks/isolate/check/", "/api/v1/clusterchecks", "/api/v1/clusterchecks/rebalance",
        "/api/v1/clusterchecks/placement", "/version", "/api/v1/endpointschecks/configs", "/", "/api/v2beta1/clusterchecks"),
        identifier, Arbitraries.of("", "/", "/x", "?scrub=true", "?dry_run=true"))
        .as((prefix, id, suffix) -> prefix.endsWith("/") ? prefix + id + suffix : prefix + suffix);
    Arbitrary<String> auth = Arbitraries.of(null, "Bearer " + ApiFixture.TOKEN, "Bearer " + ApiFixture.TOKEN,
        ApiFixture.TOKEN, "Bearer\t" + ApiFixture.TOKEN, "bearer " + ApiFixture.TOKEN, "Bearer  " + ApiFixture.TOKEN,
        "Bearer " + ApiFixture.TOKEN + " x", "Bearer wrong", "Basic dXNlcjpwYXNz", "", "Bearer");
    Arbitrary<String> ip = Arbitraries.of(null, "", "10.0.0.1", "::1", "localhost", "999.1.1.1", "1.2.3.4\t");
    Arbitrary<String> header = Arbitraries.of(null, "X-DCA-Follower-Forwarded: true", "Content-Type: text/plain",
        "If-None-Match: \"1\"", "Expect: 100-continue", "Transfer-Encoding: gzip");
    Arbitrary<byte[]> body = Arbitraries.oneOf(
        Arbitraries.of("", "{}", "{\"last_change\":0,\"node_type\":1}", "{\"last_change\":-1}", "null", "[]",
            "{\"last_change\":1.5}", "{\"node_type\":999}", "{\"force\":true,\"dry_run\":true}", "{\"force\":\"x\"}")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    return Combinators.combine(method, path, auth, ip, header, body).as(Fuzz::new);
  }
}
