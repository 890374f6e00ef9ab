package io.clusterchecks.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.worker.SelfSignedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner side of the cluster check runner API (docs/reference/protocol.md section 6) that the cluster agent
 * calls to learn what checks cost, served with the JDK's own HTTP server:
 *
 * <ul>
 *   <li>{@code GET /api/v1/clcrunner/stats}: a JSON map of check ID to {@link CheckStats};
 *   <li>{@code GET /api/v1/clcrunner/workers}:
 *       {@code {"Count":N,"Instances":{"worker_1":{"Utilization":0.1},...}}};
 *   <li>{@code GET /api/v1/clcrunner/version}: the agent version document.
 * </ul>
 *
 * <p>Every request needs {@code Authorization: Bearer <token>} (the cluster agent's token): none
 * answers 401 {@code no session token provided}, another scheme 401, a wrong token 403, as the
 * agent's own API does. Other paths answer 404, other methods 405. HTTPS with a self-signed
 * certificate by default (the agent does not verify it), plain HTTP on request.
 *
 * <p>Answers are computed on each request from the suppliers, so they follow what the runner
 * currently runs. One dispatcher thread per server; {@link #close()} frees the port.
 */
public final class SimulatedRunnerApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedRunnerApi.class);

  public static final String STATS_PATH = "/api/v1/clcrunner/stats";
  public static final String WORKERS_PATH = "/api/v1/clcrunner/workers";
  public static final String VERSION_PATH = "/api/v1/clcrunner/version";
  /** {@code cluster_checks.clc_runners_port} / {@code clc_runner_port}. */
  public static final int DEFAULT_PORT = 5005;
  private static final String VERSION_JSON =
      "{\"Major\":7,\"Minor\":60,\"Patch\":0,\"Pre\":\"\",\"Meta\":\"simulated\",\"Commit\":\"\"}";

  /** The body of {@code /workers}: how many check workers the runner has and how busy each is. */
  public record Workers(int count, List<Double> utilization) {
    public Workers {
      if (count < 1) {
        throw new IllegalArgumentException("worker count must be positive: " + count);
      }
      utilization = List.copyOf(utilization);
      if (utilization.size() != count) {
        throw new IllegalArgumentException("one utilization per worker expected: " + utilization.size()
            + " for " + count);
      }
    }

    /** {@code count} workers, each {@code utilization} busy. */
    public static Workers even(int count, double utilization) {
      return new Workers(count, Collections.nCopies(count, utilization));
    }
  }

  private record Instance(@JsonProperty("Utilization") double utilization) {}

  private record WorkersJson(@JsonProperty("Count") int count,
      @JsonProperty("Instances") Map<String, Instance> instances) {}

  private final InetSocketAddress requested;
  private final SSLContext tls;
  private final byte[] tokenDigest;
  private final Supplier<Map<String, CheckStats>> stats;
  private final Supplier<Workers> workers;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Object lifecycle = new Object();
  private HttpServer server;

  /**
   * A server TLS context with a throw-away certificate for 127.0.0.1 and localhost, valid 30 days;
   * the agent does not verify runner certificates, so a fleet makes one and shares it.
   */
  static SSLContext selfSignedTls(String commonName) {
    Instant now = Instant.now();
    return SelfSignedCertificate.create(commonName, List.of("localhost"), List.of("127.0.0.1"),
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30))).serverContext();
  }

  private SimulatedRunnerApi(Builder b) {
    this.requested = new InetSocketAddress(b.bindAddress, b.port);
    this.tls = b.plainHttp ? null : (b.sslContext != null ? b.sslContext : selfSignedTls("clc-runner"));
    this.tokenDigest = sha256(b.token);
    this.stats = b.stats;
    this.workers = b.workers;
  }

  /** A runner API accepting {@code token}, the cluster agent's token. */
  public static Builder builder(String token) {
    return new Builder(token);
  }

  /** Binds and starts serving; does nothing when already started. */
  public SimulatedRunnerApi start() {
    synchronized (lifecycle) {
      if (server != null) {
        return this;
      }
      try {
        HttpServer s;
        if (tls != null) {
          HttpsServer https = HttpsServer.create(requested, 64);
          https.setHttpsConfigurator(new HttpsConfigurator(tls));
          s = https;
        } else {
          s = HttpServer.create(requested, 64);
        }
        s.createContext("/", this::handle);
        s.start();
        server = s;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve the runner API on " + requested, e);
      }
      LOG.debug("runner API listening on {}", baseUri());
      return this;
    }
  }

  /** Stops serving and frees the port, as a dead runner would. {@link #start()} serves again. */
  @Override
  public void close() {
    HttpServer s;
    synchronized (lifecycle) {
      s = server;
      server = null;
    }
    if (s != null) {
      s.stop(0);
    }
  }

  public boolean isRunning() {
    synchronized (lifecycle) {
      return server != null;
    }
  }

  /** The address served on (the bound port once started, else the requested one). */
  public InetSocketAddress address() {
    synchronized (lifecycle) {
      return server != null ? server.getAddress() : requested;
    }
  }

  public int port() {
    return address().getPort();
  }

  public boolean isTls() {
    return tls != null;
  }

  /** E.g. {@code https://127.0.0.2:5005}. */
  public URI baseUri() {
    InetSocketAddress a = address();
    InetAddress ip = a.getAddress();
    String host = ip == null ? a.getHostString() : ip.getHostAddress();
    try {
      return new URI(isTls() ? "https" : "http", null, host, a.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Requests received, answered or not. */
  public long requestCount() {
    return requests.get();
  }

  /** Requests refused for a missing or wrong token. */
  public long rejectedCount() {
    return rejected.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try {
      ex.getRequestBody().readAllBytes();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || auth.isEmpty()) {
        rejected.incrementAndGet();
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"Datadog Agent\"");
        sendText(ex, 401, "no session token provided");
        return;
      }
      String[] parts = auth.split(" ", -1);
      if (!parts[0].equals("Bearer")) {
        rejected.incrementAndGet();
        sendText(ex, 401, "unsupported authorization scheme");
        return;
      }
      // Always hash and compare, so the answer time says nothing about the token.
      boolean ok = MessageDigest.isEqual(tokenDigest, sha256(parts.length > 1 ? parts[1] : ""));
      if (parts.length != 2 || !ok) {
        rejected.incrementAndGet();
        sendText(ex, 403, "invalid session token");
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      boolean known = path.equals(STATS_PATH) || path.equals(WORKERS_PATH) || path.equals(VERSION_PATH);
      if (!known) {
        sendText(ex, 404, "not found");
        return;
      }
      if (!ex.getRequestMethod().equals("GET")) {
        ex.getResponseHeaders().set("Allow", "GET");
        sendText(ex, 405, "method not allowed");
        return;
      }
      byte[] body;
      try {
        body = switch (path) {
          case STATS_PATH -> ConfigCodec.toJson(stats.get());
          case WORKERS_PATH -> ConfigCodec.toJson(workersJson(workers.get()));
          default -> VERSION_JSON.getBytes(StandardCharsets.UTF_8);
        };
      } catch (RuntimeException e) {
        LOG.warn("runner API on {}: failed to answer {}", requested, path, e);
        sendText(ex, 500, "internal error");
        return;
      }
      send(ex, 200, "application/json", body);
    } finally {
      ex.close();
    }
  }

  private static WorkersJson workersJson(Workers w) {
    Map<String, Instance> instances = new LinkedHashMap<>();
    for (int i = 0; i < w.count(); i++) {
      instances.put("worker_" + (i + 1), new Instance(w.utilization().get(i)));
    }
    return new WorkersJson(w.count(), instances);
  }

  private static void sendText(HttpExchange ex, int status, String text) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }

  @Override
  public String toString() {
    return "SimulatedRunnerApi[" + baseUri() + (isRunning() ? "" : ", stopped") + "]";
  }

  /** Settings of a {@link SimulatedRunnerApi}. */
  public static final class Builder {
    private final String token;
    private String bindAddress = "127.0.0.1";
    private int port;
    private boolean plainHttp;
    private SSLContext sslContext;
    private Supplier<Map<String, CheckStats>> stats = Map::of;
    private Supplier<Workers> workers = () -> Workers.even(4, 0);

    private Builder(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("a token is required");
      }
      this.token = token;
    }

    /** The IP to listen on (127.0.0.1); any 127.x.y.z works on Linux. */
    public Builder bindAddress(String address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("invalid port: " + port);
      }
      this.port = port;
      return this;
    }

    /** Serve plain HTTP instead of HTTPS. */
    public Builder plainHttp(boolean plain) {
      this.plainHttp = plain;
      return this;
    }

    /** The server TLS context; by default a self-signed certificate is made (about a second). */
    public Builder sslContext(SSLContext ctx) {
      this.sslContext = Objects.requireNonNull(ctx, "sslContext");
      return this;
    }

    /** What {@code /stats} answers, asked on every request. */
    public Builder stats(Supplier<Map<String, CheckStats>> stats) {
      this.stats = Objects.requireNonNull(stats, "stats");
      return this;
    }

    /** What {@code /workers} answers, asked on every request (4 idle workers by default). */
    public Builder workers(Supplier<Workers> workers) {
      this.workers = Objects.requireNonNull(workers, "workers");
      return this;
    }

    /** Builds without binding; call {@link SimulatedRunnerApi#start()}. */
    public SimulatedRunnerApi build() {
      return new SimulatedRunnerApi(this);
    }
  }
}
