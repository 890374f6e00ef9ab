package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.StatusResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent opens its port with the worker routes alone ({@link ApiServer#startWorkerRoutes()}) and
 * adds the others after its election has started ({@link ApiServer#startOtherRoutes()}): a worker's
 * status is answered from the first moment, every other route answers 503 with
 * {@code Retry-After: 1} until then, and the same request is served once they are added. Real
 * sockets against a real server (docs/api.md, "Start").
 */
class LaterRoutesTest {
  private static final String AUTH = "Authorization: Bearer " + ApiFixture.TOKEN;
  private static final byte[] STATUS_BODY = "{\"last_change\":-1,\"node_type\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theOtherRoutesAnswer503WithRetryAfterUntilTheyAreAddedThenServe() throws Exception {
    try (ApiFixture api = ApiFixture.workerRoutesOnly()) {
      api.startLeading();
      int port = api.server.port();

      RawHttp.Answer status = RawHttp.send(port, statusPost());
      RawHttp.Answer version = RawHttp.send(port, RawHttp.request("GET", "/version", List.of(AUTH), new byte[0]));
      RawHttp.Answer state = RawHttp.send(port, RawHttp.request("GET", "/api/v1/clusterchecks", List.of(AUTH), new byte[0]));

      assertThat(status.status()).isEqualTo(200);
      assertThat(status.body()).isEqualTo("{\"isuptodate\":true}"); // nothing dispatched yet: up to date
      for (RawHttp.Answer notYet : List.of(version, state)) {
        assertThat(notYet.status()).isEqualTo(503);
        assertThat(notYet.head()).containsIgnoringCase("\r\nRetry-After: 1");
        assertThat(notYet.body()).isEqualTo(LaterRoutesHandler.NOT_YET);
      }

      api.server.startOtherRoutes();

      RawHttp.Answer versionLater = RawHttp.send(port, RawHttp.request("GET", "/version", List.of(AUTH), new byte[0]));
      assertThat(versionLater.status()).isEqualTo(200);
      assertThat(versionLater.body()).contains("\"Major\"");
      assertThat(versionLater.head()).doesNotContainIgnoringCase("Retry-After");
      assertThat(RawHttp.send(port, statusPost()).status()).isEqualTo(200);
    }
  }

  @Test
  void aWebSocketHandshakeIsNotUpgradedAndAnUnknownPathIsStill404() throws Exception {
    try (ApiFixture api = ApiFixture.leading()) {
      RawHttp.Answer a = RawHttp.send(api.server.port(), RawHttp.request("GET", "/no-such-route",
          List.of(AUTH, "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="), new byte[0]));

      assertThat(a.status()).isEqualTo(404);
    }
  }

  @Test
  void theOtherRoutesStartOnceAndOnlyAfterTheWorkerRoutes() {
    try (ApiFixture api = ApiFixture.workerRoutesOnly()) {
      api.server.startOtherRoutes();

      assertThatThrownBy(api.server::startOtherRoutes).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already started");
      assertThatThrownBy(api.server::startWorkerRoutes).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already started");
      ApiServer notListening = new ApiServer(api.dispatcher,
          ApiServer.Options.defaults(ApiFixture.TOKEN).withHost("127.0.0.1").withPort(0).withPlainHttp(), api.registry);
      assertThatThrownBy(notListening::startOtherRoutes).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not started");
    }
  }

  @Test
  void theStatusAnswersAreWhatJacksonWrites() {
    try (ApiFixture api = ApiFixture.notLeading()) {
      WorkerAnswers answers = new WorkerAnswers(api.dispatcher);

      assertThat(new String(answers.statusAnswer(true), StandardCharsets.UTF_8))
          .isEqualTo(new String(ConfigCodec.toJson(new StatusResponse(true)), StandardCharsets.UTF_8));
      assertThat(new String(answers.statusAnswer(false), StandardCharsets.UTF_8))
          .isEqualTo(new String(ConfigCodec.toJson(new StatusResponse(false)), StandardCharsets.UTF_8));
    }
  }

  private static byte[] statusPost() {
    return RawHttp.request("POST", "/api/v1/clusterchecks/status/runner-a",
        List.of(AUTH, "Content-Type: application/json"), STATUS_BODY);
  }
}
