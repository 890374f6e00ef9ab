package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a stranger can make the API say or log, over real sockets. */
class ApiHardeningTest {
  private static final List<String> GET_ROUTES = List.of("/api/v1/clusterchecks/configs/runner-a",
      "/api/v1/clusterchecks", "/api/v1/endpointschecks/configs/node-1", "/api/v1/endpointschecks/configs",
      "/version", "/api/v1/clusterchecks/placement");

  private ApiFixture api;
  private int port;

  @BeforeEach
  void setUp() {
    api = ApiFixture.leading();
    port = api.server.port();
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void anAuthorizationHeaderValueIsNeverEchoed() throws Exception {
    for (String value : List.of(ApiFixture.TOKEN, "Bearer\t" + ApiFixture.TOKEN, ApiFixture.TOKEN + " x",
        "Token " + ApiFixture.TOKEN, "bearer\t" + ApiFixture.TOKEN)) {
      RawHttp.Answer a = RawHttp.send(port, RawHttp.request("POST", "/api/v1/clusterchecks/status/runner-a",
          List.of("Authorization: " + value), "{}".getBytes(StandardCharsets.UTF_8)));
      assertThat(a.status()).as(value).isIn(401, 403);
      assertThat(a.head() + a.body()).as(value).doesNotContain(ApiFixture.TOKEN).doesNotContain("test-token");
    }
    // A well-known scheme name is no secret: still named, as the reference does.
    RawHttp.Answer basic = RawHttp.send(port, RawHttp.request("GET", "/version",
        List.of("Authorization: Basic dXNlcjpwYXNz"), new byte[0]));
    assertThat(basic.body()).isEqualTo("unsupported authorization scheme: Basic\n");
    assertThat(api.dispatcher.stats().nodeCount()).isZero();
  }

  @Test
  void headOnEveryGetRouteAuthenticatesFirst() throws Exception {
    for (String path : GET_ROUTES) {
      RawHttp.Answer anonymous = RawHttp.send(port, RawHttp.request("HEAD", path, List.of(), new byte[0]));
      assertThat(anonymous.status()).as("HEAD %s without a token", path).isEqualTo(401);
      RawHttp.Answer wrong = RawHttp.send(port, RawHttp.request("HEAD", path,
          List.of("Authorization: Bearer not-the-token"), new byte[0]));
      assertThat(wrong.status()).as("HEAD %s with a wrong token", path).isEqualTo(403);
      RawHttp.Answer right = RawHttp.send(port, RawHttp.request("HEAD", path,
          List.of("Authorization: Bearer " + ApiFixture.TOKEN), new byte[0]));
      assertThat(right.status()).as("HEAD %s with the token", path).isEqualTo(405);
    }
  }

  /** Found by ApiFuzzTest: a bad percent-encoding in a path parameter must be a client error. */
  @Test
  void aBadPercentEncodingInAPathIsAClientError() throws Exception {
    for (String path : List.of("/api/v1/clusterchecks/configs/;%", "/api/v1/clusterchecks/configs/a%",
        "/api/v1/clusterchecks/configs/%zz", "/api/v1/endpointschecks/configs/x;%")) {
      for (List<String> headers : List.of(List.<String>of(), List.of("Authorization: Bearer " + ApiFixture.TOKEN))) {
        RawHttp.Answer a = RawHttp.send(port, RawHttp.request("GET", path, headers, new byte[0]));
        assertThat(a.status()).as("GET %s %s: %s", path, headers, a.body()).isBetween(400, 499);
      }
    }
  }

  @Test
  void badRequestsFromStrangersLogABoundedHandfulOfWarnings() throws Exception {
    assertBoundedWarnings(port);
  }

  @Test
  void junkOnTheTlsPortLogsABoundedHandfulOfWarnings() throws Exception {
    try (ApiFixture tls = ApiFixture.with(ApiServer.Options::withSelfSignedCertificate)) {
      tls.startLeading();
      assertBoundedWarnings(tls.server.port());
    }
  }

  private static void assertBoundedWarnings(int port) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try {
      List<byte[]> bad = List.of(
          "GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
          "GET /version HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
          "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
          "POST /api/v1/clusterchecks/status/a HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1),
          "GET /version HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n"
              .getBytes(StandardCharsets.ISO_8859_1),
          ("GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1),
          new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, '\r', '\n', '\r', '\n'});
      for (int i = 0; i < 300; i++) {
        RawHttp.send(port, bad.get(i % bad.size()));
      }
    } finally {
      root.detachAppender(captured);
    }
    List<String> warnings = captured.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    System.out.println("WARN lines caused by 300 bad requests: " + warnings.size()
        + (warnings.isEmpty() ? "" : ", first: " + warnings.get(0)));
    assertThat(warnings).as("warnings a stranger caused").hasSizeLessThanOrEqualTo(5);
  }
}
