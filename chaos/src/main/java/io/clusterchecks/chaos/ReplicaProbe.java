package io.clusterchecks.chaos;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.worker.InsecureTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a replica from outside, straight on its port (never through a proxy). Every look asks the
 * placement route ({@code GET /api/v1/clusterchecks/placement}, with the ETag of the copy it
 * holds, so mostly a 304): only the leader answers it, with the term in its version and where
 * every config runs. When asked, it also reads the state route {@code GET /api/v1/clusterchecks}
 * (for the settle check: large, so not on every look).
 */
final class ReplicaProbe {
  /**
   * What one replica said. {@code term} is -1 and {@code placement} empty when it gave none;
   * {@code state} is null unless asked for.
   */
  record View(int replica, boolean leader, boolean warmup, long term, Map<String, String> placement,
      StateResponse state) {}

  private record Copy(String etag, long term, Map<String, String> placement) {}

  private final HttpClient http;
  private final String token;
  private final Duration timeout;
  private final Map<Integer, Copy> copies = new HashMap<>();

  ReplicaProbe(String token, Duration timeout) {
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext())
        .connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The replica's view, empty when it does not answer in time. */
  synchronized Optional<View> probe(int replica, int port, boolean withState) {
    try {
      Copy held = copies.get(replica);
      HttpResponse<byte[]> p = get(port, "/api/v1/clusterchecks/placement", held == null ? null : held.etag());
      View view;
      if (p.statusCode() == 304 && held != null) {
        view = new View(replica, true, false, held.term(), held.placement(), null);
      } else if (p.statusCode() == 200) {
        Copy copy = parse(p);
        copies.put(replica, copy);
        view = new View(replica, true, false, copy.term(), copy.placement(), null);
      } else {
        copies.remove(replica);
        String body = new String(p.body(), StandardCharsets.UTF_8);
        boolean warm = p.statusCode() == 503 && (body.contains("Warmup") || body.contains("in preparation"));
        view = new View(replica, warm, warm, -1, Map.of(), null);
      }
      if (withState && view.leader()) {
        HttpResponse<byte[]> s = get(port, "/api/v1/clusterchecks", null);
        if (s.statusCode() == 200) {
          StateResponse state = ConfigCodec.fromJson(s.body(), StateResponse.class);
          view = new View(replica, state.notRunning().isEmpty(), state.warmup() || view.warmup(), view.term(),
              view.placement(), state);
        }
      }
      return Optional.of(view);
    } catch (IOException | JacksonException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Copy parse(HttpResponse<byte[]> p) throws IOException {
    JsonNode root = ConfigCodec.JSON.readTree(p.body());
    long version = root.path("version").asLong(-1);
    Map<String, String> placement = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("placement").properties()) {
      placement.put(e.getKey(), e.getValue().asString());
    }
    return new Copy(p.headers().firstValue("ETag").orElse(null), version < 0 ? -1 : version >>> 32,
        Map.copyOf(placement));
  }

  private HttpResponse<byte[]> get(int port, String path, String etag) throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(timeout).header("Authorization", "Bearer " + token).GET();
    if (etag != null) {
      req.header("If-None-Match", etag);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
