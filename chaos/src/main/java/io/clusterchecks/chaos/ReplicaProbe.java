package io.clusterchecks.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.worker.InsecureTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a replica from outside, straight on its port (never through a proxy): the state route
 * {@code GET /api/v1/clusterchecks} (leader or not, warmup, where every config is) and, on the
 * leader, the term of its placement version ({@code GET /api/v1/clusterchecks/placement}).
 */
final class ReplicaProbe {
  /** What one replica said. {@code term} is -1 when it did not give a placement version. */
  record View(int replica, boolean leader, boolean warmup, long term, StateResponse state) {}

  private final HttpClient http;
  private final String token;
  private final Duration timeout;

  ReplicaProbe(String token, Duration timeout) {
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext())
        .connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The replica's view, empty when it does not answer in time. */
  Optional<View> probe(int replica, int port) {
    try {
      HttpResponse<byte[]> s = get(port, "/api/v1/clusterchecks");
      if (s.statusCode() != 200) {
        return Optional.empty();
      }
      StateResponse state = ConfigCodec.fromJson(s.body(), StateResponse.class);
      boolean leader = state.notRunning().isEmpty();
      long term = -1;
      if (leader) {
        HttpResponse<byte[]> p = get(port, "/api/v1/clusterchecks/placement");
        if (p.statusCode() == 200) {
          JsonNode version = ConfigCodec.JSON.readTree(p.body()).get("version");
          term = version == null ? -1 : version.asLong() >>> 32;
        }
      }
      return Optional.of(new View(replica, leader, state.warmup(), term, state));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private HttpResponse<byte[]> get(int port, String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(timeout).header("Authorization", "Bearer " + token).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }
}
