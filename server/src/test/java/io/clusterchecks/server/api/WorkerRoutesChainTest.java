package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker routes sit first in Jetty's chain and never block, so Jetty serves them on the
 * thread that read the request; their body is read as it arrives, in as many pieces as it comes.
 */
class WorkerRoutesChainTest {
  private ApiFixture api;

  @AfterEach
  void close() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void workerRoutesComeFirstAndTheChainDoesNotBlock() {
    api = ApiFixture.leading();
    Server jetty = api.server.jettyServer();

    // A blocking chain makes Jetty hand every request to another thread before handling it.
    assertThat(jetty.getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
    assertThat(jetty.getHandler()).isInstanceOf(PriorityAdmission.class);
    assertThat(((PriorityAdmission) jetty.getHandler()).getHandler()).isInstanceOf(WorkerRoutesHandler.class);
    // What comes after still answers, on a pool thread.
    assertThat(api.get("/version").statusCode()).isEqualTo(200);
  }

  @Test
  void aStatusBodyInSeveralChunksIsReadWhole() throws Exception {
    api = ApiFixture.leading();
    String body = "{\"last_change\":5,  \"node_type\":1}";
    StringBuilder chunked = new StringBuilder();
    for (int i = 0; i < body.length(); i += 5) {
      String part = body.substring(i, Math.min(body.length(), i + 5));
      chunked.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    chunked.append("0\r\n\r\n");

    RawHttp.Answer a = RawHttp.send(api.server.port(), ("POST /api/v1/clusterchecks/status/runner-a HTTP/1.1\r\n"
        + "Host: x\r\nConnection: close\r\nAuthorization: Bearer " + ApiFixture.TOKEN + "\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + chunked).getBytes(StandardCharsets.ISO_8859_1));

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("{\"isuptodate\":false}");
  }

  @Test
  void aStatusBodyArrivingAfterItsHeadersIsWaitedFor() throws Exception {
    api = ApiFixture.leading();
    byte[] body = "{\"last_change\":5}".getBytes(StandardCharsets.UTF_8);
    byte[] request = RawHttp.request("POST", "/api/v1/clusterchecks/status/runner-a",
        List.of("Authorization: Bearer " + ApiFixture.TOKEN), body);
    int head = request.length - body.length;

    try (Socket s = new Socket("127.0.0.1", api.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request, 0, head);
      out.flush();
      // The server has the head and no body: no answer may come yet, whatever thread reads.
      s.setSoTimeout(300);
      InputStream in = s.getInputStream();
      assertThat(readsNothing(in)).isTrue();
      s.setSoTimeout(10_000);
      out.write(body);
      out.flush();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{\"isuptodate\":false}");
    }
  }

  private static boolean readsNothing(InputStream in) throws Exception {
    try {
      in.read(); // an answer, or the end of the stream: either way something came
      return false;
    } catch (java.net.SocketTimeoutException e) {
      return true;
    }
  }
}
