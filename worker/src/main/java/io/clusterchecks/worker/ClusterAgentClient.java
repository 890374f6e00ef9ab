package io.clusterchecks.worker;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.core.wire.StatusResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP client for the worker-facing API of a cluster agent (docs/reference/protocol.md sections 1–3), as an
 * unmodified Datadog node agent or cluster check runner would call it.
 *
 * <ul>
 *   <li>The base URL gets {@code https://} when it has no scheme; {@code http://} is rejected unless
 *       {@link Builder#allowPlainHttp(boolean)} is set (the reference rejects it outright).
 *   <li>Every request carries {@code Authorization: Bearer <token>} and, when not empty,
 *       {@code X-Real-Ip}.
 *   <li>Timeouts: 1 s to connect, 10 s for the whole exchange.
 *   <li>TLS: by default the certificate chain and host name are not verified, as the reference's
 *       workers do; pass {@link Builder#sslContext(SSLContext)} to verify instead.
 * </ul>
 *
 * <p>Every failure is a {@link ClusterAgentException} whose kind separates an error status
 * answered by the agent from timeouts and transport failures. Thread-safe; one instance can serve
 * many workers. The token never appears in logs, messages or {@link #toString()}.
 */
public final class ClusterAgentClient {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterAgentClient.class);

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Default {@code cluster_agent.cmd_port}. */
  public static final int DEFAULT_PORT = 5005;

  static final String STATUS_PATH = "/api/v1/clusterchecks/status/";
  static final String CONFIGS_PATH = "/api/v1/clusterchecks/configs/";
  static final String ENDPOINTS_CONFIGS_PATH = "/api/v1/endpointschecks/configs";
  static final String STATE_PATH = "/api/v1/clusterchecks";
  static final String VERSION_PATH = "/version";

  /**
   * Reads answers as Go's decoder would: a missing or null boolean/number is its zero value (the
   * reference's own test answers configs as {@code {"check_name":"one"}}). Everything else is the
   * shared mapper's behaviour.
   */
  private static final ObjectReader GO_LENIENT =
      ConfigCodec.JSON.reader().without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final URI baseUri;
  private final String base;
  private final String authorization;
  private final String realIp;
  private final Duration requestTimeout;
  private final HttpClient http;

  private ClusterAgentClient(Builder b) {
    this.baseUri = normaliseBaseUrl(b.url, b.allowPlainHttp);
    this.base = baseUri.toString();
    this.authorization = "Bearer " + b.token;
    this.realIp = b.realIp == null ? "" : b.realIp.strip();
    this.requestTimeout = b.requestTimeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(b.sslContext != null ? b.sslContext : InsecureTls.trustAllContext())
        .build();
  }

  /** A copy sending {@code realIp} as {@code X-Real-Ip}: same agent, token, timeouts and connection pool. */
  private ClusterAgentClient(ClusterAgentClient other, String realIp) {
    this.baseUri = other.baseUri;
    this.base = other.base;
    this.authorization = other.authorization;
    this.realIp = realIp == null ? "" : realIp.strip();
    this.requestTimeout = other.requestTimeout;
    this.http = other.http;
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * This client with another {@code X-Real-Ip} (null or empty sends none). The copy shares the
   * connection pool, so a fleet of simulated workers can each advertise their own address.
   */
  public ClusterAgentClient withRealIp(String realIp) {
    return new ClusterAgentClient(this, realIp);
  }

  /** The base URL every path is appended to, e.g. {@code https://10.0.0.5:5005}. */
  public URI baseUri() {
    return baseUri;
  }

  /** The {@code X-Real-Ip} value sent, empty when none is sent. */
  public String realIp() {
    return realIp;
  }

  /** {@code POST /api/v1/clusterchecks/status/{nodeId}}: heartbeat, and "is my version current?". */
  public StatusResponse postStatus(String nodeId, NodeStatus status) throws ClusterAgentException {
    return postStatus(nodeId, status, requestTimeout);
  }

  /** As {@link #postStatus(String, NodeStatus)} with a specific total timeout (the extra heartbeat uses 5 s). */
  public StatusResponse postStatus(String nodeId, NodeStatus status, Duration timeout) throws ClusterAgentException {
    Objects.requireNonNull(status, "status");
    return call("POST", STATUS_PATH + encodeSegment(nodeId), ConfigCodec.toJson(status), StatusResponse.class, timeout);
  }

  /** {@code GET /api/v1/clusterchecks/configs/{nodeId}}: every config dispatched to the node. */
  public ConfigResponse getConfigs(String nodeId) throws ClusterAgentException {
    return call("GET", CONFIGS_PATH + encodeSegment(nodeId), null, ConfigResponse.class, requestTimeout);
  }

  /** {@code GET /api/v1/endpointschecks/configs/{k8sNodeName}}: endpoints checks of one Kubernetes node. */
  public ConfigResponse getEndpointsConfigs(String k8sNodeName) throws ClusterAgentException {
    return call("GET", ENDPOINTS_CONFIGS_PATH + "/" + encodeSegment(k8sNodeName), null, ConfigResponse.class,
        requestTimeout);
  }

  /** {@code GET /api/v1/endpointschecks/configs}: every pod-backed endpoints config (CLI route). */
  public ConfigResponse getAllEndpointsConfigs() throws ClusterAgentException {
    return call("GET", ENDPOINTS_CONFIGS_PATH, null, ConfigResponse.class, requestTimeout);
  }

  /** {@code GET /api/v1/clusterchecks}: the dispatching state (CLI route). */
  public StateResponse getState() throws ClusterAgentException {
    return getState(false);
  }

  /**
   * {@code GET /api/v1/clusterchecks}, with {@code ?scrub=true} when {@code scrub}: secrets in the
   * configs hidden, for answers shown to people.
   */
  public StateResponse getState(boolean scrub) throws ClusterAgentException {
    return call("GET", scrub ? STATE_PATH + "?scrub=true" : STATE_PATH, null, StateResponse.class,
        requestTimeout);
  }

  /**
   * {@code POST /api/v1/clusterchecks/rebalance} (CLI route): the moves made, or proposed when
   * {@code dryRun}, as the reference's RebalanceResponse objects.
   */
  public RebalanceMove[] rebalance(boolean force, boolean dryRun) throws ClusterAgentException {
    byte[] body = ConfigCodec.toJson(Map.of("force", force, "dry_run", dryRun));
    return call("POST", "/api/v1/clusterchecks/rebalance", body, RebalanceMove[].class, requestTimeout);
  }

  /** {@code POST /api/v1/clusterchecks/isolate/check/{checkID}} (CLI route). */
  public IsolateAnswer isolate(String checkId) throws ClusterAgentException {
    return call("POST", "/api/v1/clusterchecks/isolate/check/" + encodeSegment(checkId), new byte[0],
        IsolateAnswer.class, requestTimeout);
  }

  /**
   * One element of the rebalance answer (Gen-2 and Gen-3 fields). {@code check_weight} is an
   * integer, as Datadog's CLI decodes it; clusterchecks puts the load in thousandths of a check
   * worker there, and the exact load in {@code check_load} (0 from other agents). {@code budget_stopped}
   * (false from other agents): the move budget stopped an on-demand rebalance short of the band,
   * which takes {@code moves_needed} moves in all.
   */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record RebalanceMove(
      @com.fasterxml.jackson.annotation.JsonProperty("check_id") String checkId,
      @com.fasterxml.jackson.annotation.JsonProperty("digest") String digest,
      @com.fasterxml.jackson.annotation.JsonProperty("check_name") String checkName,
      @com.fasterxml.jackson.annotation.JsonProperty("check_weight") long checkWeight,
      @com.fasterxml.jackson.annotation.JsonProperty("source_node_name") String sourceNodeName,
      @com.fasterxml.jackson.annotation.JsonProperty("source_diff") long sourceDiff,
      @com.fasterxml.jackson.annotation.JsonProperty("dest_node_name") String destNodeName,
      @com.fasterxml.jackson.annotation.JsonProperty("dest_diff") long destDiff,
      @com.fasterxml.jackson.annotation.JsonProperty("check_load") double checkLoad,
      @com.fasterxml.jackson.annotation.JsonProperty("budget_stopped") boolean budgetStopped,
      @com.fasterxml.jackson.annotation.JsonProperty("moves_needed") int movesNeeded) {}

  /** The isolate answer. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record IsolateAnswer(
      @com.fasterxml.jackson.annotation.JsonProperty("check_id") String checkId,
      @com.fasterxml.jackson.annotation.JsonProperty("check_node") String checkNode,
      @com.fasterxml.jackson.annotation.JsonProperty("is_isolated") boolean isolated,
      @com.fasterxml.jackson.annotation.JsonProperty("reason") String reason) {}

  /** {@code GET /version}: the agent's version document, as the raw JSON text. */
  public String version() throws ClusterAgentException {
    return call("GET", VERSION_PATH, null, String.class, requestTimeout);
  }

  @Override
  public String toString() {
    return "ClusterAgentClient[" + base + (realIp.isEmpty() ? "" : ", X-Real-Ip " + realIp) + "]";
  }

  private <T> T call(String method, String path, byte[] body, Class<T> type, Duration timeout)
      throws ClusterAgentException {
    String what = method + " " + path;
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Authorization", authorization)
        .header("Accept", "application/json");
    if (!realIp.isEmpty()) {
      rb.header("X-Real-Ip", realIp);
    }
    if (body != null) {
      rb.header("Content-Type", "application/json");
      rb.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      rb.method(method, HttpRequest.BodyPublishers.noBody());
    }
    long started = System.nanoTime();
    HttpResponse<String> response = send(what, rb.build(), timeout);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    if (status != 200) {
      LOG.debug("{} {}: HTTP {} in {} ms", base, what, status, tookMs);
      throw ClusterAgentException.remote(what, status, text);
    }
    LOG.trace("{} {}: HTTP 200 in {} ms", base, what, tookMs);
    if (type == String.class) {
      return type.cast(text);
    }
    try {
      T value = GO_LENIENT.forType(type).readValue(text);
      if (value == null) {
        throw new IOException("empty JSON document");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw ClusterAgentException.decode(what, status, text, e);
    }
  }

  private HttpResponse<String> send(String what, HttpRequest request, Duration timeout) throws ClusterAgentException {
    CompletableFuture<HttpResponse<String>> future =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      // HttpRequest.timeout bounds the wait for the headers; this bounds the whole exchange.
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw ClusterAgentException.timeout(what, "no complete answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw ClusterAgentException.transport(what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw ClusterAgentException.timeout(what, cause.getMessage(), cause);
      }
      throw ClusterAgentException.transport(what, cause);
    }
  }

  /**
   * Adds {@code https://} to a URL without scheme and rejects {@code http://} unless allowed;
   * trailing slashes are dropped so paths can be appended.
   */
  static URI normaliseBaseUrl(String url, boolean allowPlainHttp) {
    Objects.requireNonNull(url, "url");
    String u = url.strip();
    if (u.isEmpty()) {
      throw new IllegalArgumentException("cluster agent URL is empty");
    }
    int sep = u.indexOf("://");
    if (sep < 0) {
      u = "https://" + u;
    } else {
      String scheme = u.substring(0, sep).toLowerCase(Locale.ROOT);
      if (scheme.equals("http")) {
        if (!allowPlainHttp) {
          throw new IllegalArgumentException(
              "cannot connect to the cluster agent over plain http: " + url + " (use https, or allow plain http)");
        }
      } else if (!scheme.equals("https")) {
        throw new IllegalArgumentException("unsupported scheme in cluster agent URL: " + url);
      }
      u = scheme + u.substring(sep);
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cluster agent URL: " + url, e);
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("invalid cluster agent URL: " + url);
    }
    return uri;
  }

  /** Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are). */
  static String encodeSegment(String segment) {
    Objects.requireNonNull(segment, "path segment");
    if (segment.isEmpty()) {
      throw new IllegalArgumentException("empty path segment");
    }
    StringBuilder sb = new StringBuilder(segment.length());
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** Settings of a {@link ClusterAgentClient}. */
  public static final class Builder {
    private final String url;
    private String token;
    private String realIp = "";
    private boolean allowPlainHttp;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private SSLContext sslContext;

    private Builder(String url) {
      this.url = url;
    }

    /** The shared cluster agent token ({@code cluster_agent.auth_token}). Required. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The {@code X-Real-Ip} header value (the worker's pod IP); null or empty sends no header. */
    public Builder realIp(String realIp) {
      this.realIp = realIp;
      return this;
    }

    /** Accept an {@code http://} URL (tests, local demos). Off by default, as in the reference. */
    public Builder allowPlainHttp(boolean allow) {
      this.allowPlainHttp = allow;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = requirePositive(timeout, "connect timeout");
      return this;
    }

    /** Total time allowed for one exchange, from sending to the last byte of the answer. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = requirePositive(timeout, "request timeout");
      return this;
    }

    /** TLS context to use instead of the default trust-everything one (for verified TLS). */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    public ClusterAgentClient build() {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("a cluster agent token is required");
      }
      if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("the cluster agent token contains characters not allowed in a header");
      }
      return new ClusterAgentClient(this);
    }

    private static Duration requirePositive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
