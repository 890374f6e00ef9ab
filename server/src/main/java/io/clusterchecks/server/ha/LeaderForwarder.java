package io.clusterchecks.server.ha;

import io.clusterchecks.worker.InsecureTls;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's reverse proxy to the leader (docs/reference/protocol.md section 4): the worker's request goes to
 * {@code https://<leader>:<cmd_port>} with the same method, path, query, body and headers
 * ({@code Authorization} and {@code X-Real-Ip} included), plus {@code X-DCA-Follower-Forwarded:
 * true}; the leader's status, body and content type come back with {@code X-DCA-Forwarded: true}.
 *
 * <ul>
 *   <li>A request that already carries {@code X-DCA-Follower-Forwarded} gets 508
 *       {@code Query was already forwarded from: <remote addr>} and is not forwarded (the
 *       reference forwarded it anyway; docs/reference/known-problems.md item 15), so two replicas that each think the other
 *       leads cannot loop.
 *   <li>At most {@code cluster_agent.max_leader_connections} requests are in flight to the leader
 *       (HTTP/1.1: as many connections at most); one more waits up to the connect timeout, then
 *       gets 503.
 *   <li>The leader unreachable: 503, logged once per failure streak.
 *   <li>TLS: the certificate is not verified, as in the reference (replicas use self-signed
 *       certificates); the token is what authenticates both sides.
 * </ul>
 */
public final class LeaderForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderForwarder.class);

  public static final String FOLLOWER_FORWARDED_HEADER = "X-DCA-Follower-Forwarded";
  public static final String FORWARDED_HEADER = "X-DCA-Forwarded";
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(10);

  /** Request headers relayed as they are; the rest are left out (hop-by-hop, Host, length). */
  private static final List<String> RELAYED_REQUEST_HEADERS =
      List.of("Authorization", "Content-Type", "Accept", "X-Real-Ip", "User-Agent");
  private static final List<String> RELAYED_RESPONSE_HEADERS =
      List.of("WWW-Authenticate", "X-Content-Type-Options");
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpClient http;
  private final ExecutorService executor;
  private final Semaphore inFlight;
  private final AtomicInteger failureStreak = new AtomicInteger();

  /** @param maxConnections {@code cluster_agent.max_leader_connections} */
  public LeaderForwarder(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
    }
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "leader-forwarder-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.inFlight = new Semaphore(maxConnections);
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(InsecureTls.trustAllContext())
        .executor(executor)
        .build();
  }

  /** The client to the leader, shared with {@link PlacementPuller}. */
  HttpClient http() {
    return http;
  }

  /**
   * Relays the request to {@code leader} and writes the answer to {@code ctx}. Always answers:
   * a refusal or a failure is written as a plain-text error.
   */
  public void forward(URI leader, Context ctx, byte[] body) throws InterruptedException {
    ctx.header(FORWARDED_HEADER, "true");
    if (ctx.header(FOLLOWER_FORWARDED_HEADER) != null) {
      String from = remoteAddress(ctx);
      LOG.warn("Refusing to forward {} {} from {}: it was already forwarded by a follower (loop)",
          ctx.method(), ctx.path(), from);
      error(ctx, 508, "Query was already forwarded from: " + from);
      return;
    }
    if (!inFlight.tryAcquire(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      error(ctx, 503, "Too many requests in flight to the leader");
      return;
    }
    try {
      HttpResponse<byte[]> response = send(leader, ctx, body);
      if (failureStreak.getAndSet(0) > 0) {
        LOG.info("Forwarding to the leader at {} works again", leader);
      }
      ctx.status(response.statusCode());
      response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
      for (String h : RELAYED_RESPONSE_HEADERS) {
        response.headers().firstValue(h).ifPresent(v -> ctx.header(h, v));
      }
      ctx.result(response.body());
    } catch (IOException | TimeoutException e) {
      if (failureStreak.getAndIncrement() == 0) {
        LOG.warn("Cannot forward to the leader at {}: {} (logged once until it works again)", leader, e.toString());
      } else {
        LOG.debug("Cannot forward to the leader at {}: {}", leader, e.toString());
      }
      error(ctx, 503, "Cannot reach the leader");
    } finally {
      inFlight.release();
    }
  }

  private HttpResponse<byte[]> send(URI leader, Context ctx, byte[] body)
      throws IOException, TimeoutException, InterruptedException {
    String query = ctx.req().getQueryString();
    URI target = URI.create(leader + ctx.req().getRequestURI() + (query == null ? "" : "?" + query));
    HttpRequest.Builder rb = HttpRequest.newBuilder(target).timeout(HEADER_TIMEOUT);
    for (String h : RELAYED_REQUEST_HEADERS) {
      String v = ctx.header(h);
      if (v != null) {
        rb.header(h, v);
      }
    }
    rb.header(FOLLOWER_FORWARDED_HEADER, "true");
    String method = ctx.method().name();
    rb.method(method, body.length == 0 && !method.equals("POST")
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    var future = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      return future.get(TOTAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException t) {
        throw t;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  private static String remoteAddress(Context ctx) {
    String ip = ctx.req().getRemoteAddr();
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return host + ":" + ctx.req().getRemotePort();
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status)
        .contentType(TEXT)
        .header("X-Content-Type-Options", "nosniff")
        .result((message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

}
