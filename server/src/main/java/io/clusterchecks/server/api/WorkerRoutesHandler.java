package io.clusterchecks.server.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the two routes every worker calls every few seconds, status and configs, on Jetty's core
 * API, ahead of Javalin: under load the servlet layer, Javalin's routing and its response copy
 * cost more than the answer itself (docs/benchmarks.md, "Worker API against bare Jetty").
 *
 * <p>Same pipeline, statuses and texts as the Javalin routes ({@link ApiServer}): bearer token,
 * path identifier, "cluster checks enabled", body limit, gate, decoding, dispatcher; every answer
 * counted in {@code api_requests}. It takes only what it can answer alone: a path whose
 * identifier needs no decoding, on a replica that serves rather than forwards. Anything else
 * (percent-encoded or odd paths, other methods, a follower's forwarding) goes on to Javalin,
 * which answers as it always did, on a pool thread.
 *
 * <p>Nothing here blocks: the body is read as it arrives, the dispatcher's status and configs
 * paths only read snapshots and queue work, the answer is written with a callback. So Jetty
 * serves these routes on the thread that read the request, as it does a bare endpoint's.
 */
final class WorkerRoutesHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRoutesHandler.class);
  static final String STATUS_PREFIX = "/api/v1/clusterchecks/status/";
  static final String CONFIGS_PREFIX = "/api/v1/clusterchecks/configs/";
  private static final String STATUS = "postCheckStatus";
  private static final String CONFIGS = "getCheckConfigs";
  /** Encoded once: the header of every 200 answer. */
  private static final HttpField JSON_CONTENT_TYPE =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final String TEXT = "text/plain; charset=utf-8";

  private final Supplier<BearerTokenAuth> auth;
  private final RequestGate gate;
  private final ApiServer.Options options;
  private final WorkerAnswers answers;
  private final ApiMetrics.Route statusMeters;
  private final ApiMetrics.Route configsMeters;
  private final java.util.function.Consumer<String> statusAnswered;

  WorkerRoutesHandler(Supplier<BearerTokenAuth> auth, RequestGate gate, ApiServer.Options options,
      WorkerAnswers answers, ApiMetrics metrics, java.util.function.Consumer<String> statusAnswered) {
    this.statusAnswered = statusAnswered;
    this.auth = auth;
    this.gate = gate;
    this.options = options;
    this.answers = answers;
    this.statusMeters = metrics.route(STATUS);
    this.configsMeters = metrics.route(CONFIGS);
  }

  /**
   * Non-blocking, so Jetty runs a worker request on the thread that read it, as it runs the bare
   * endpoint's, instead of handing every request to another pool thread because Javalin's
   * servlet layer may block. What Javalin answers is handed to the pool here ({@link #toJavalin}).
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    String node;
    if (HttpMethod.POST.is(method) && (node = plainIdentifier(path, STATUS_PREFIX)) != null) {
      serveStatus(node, request, response, callback);
      return true;
    }
    if (HttpMethod.GET.is(method) && (node = plainIdentifier(path, CONFIGS_PREFIX)) != null) {
      serveConfigs(node, request, response, callback);
      return true;
    }
    return toJavalin(request, response, callback);
  }

  /**
   * Runs Javalin (which may block: the state view waits for the dispatch thread, a follower for
   * the leader) on a pool thread, as Jetty did for every request while the chain was blocking.
   */
  private boolean toJavalin(Request request, Response response, Callback callback) {
    try {
      request.getComponents().getExecutor().execute(() -> {
        try {
          if (!super.handle(request, response, callback)) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
          }
        } catch (Throwable t) {
          callback.failed(t);
        }
      });
    } catch (RejectedExecutionException e) {
      callback.failed(e);
    }
    return true;
  }

  /**
   * The identifier after {@code prefix} when it is one path segment that needs no decoding (the
   * characters {@link NodeIdentifiers} allows, no {@code %} or {@code ;}); null otherwise, and
   * Javalin decides. An invalid identifier made of those characters ({@code ..}, too long) is
   * still ours: {@link NodeIdentifiers#require} refuses it as the Javalin route would.
   */
  static String plainIdentifier(String path, String prefix) {
    if (path == null || !path.startsWith(prefix) || path.length() == prefix.length()) {
      return null;
    }
    for (int i = prefix.length(); i < path.length(); i++) {
      char c = path.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!plain) {
        return null;
      }
    }
    return path.substring(prefix.length());
  }

  private void serveConfigs(String node, Request request, Response response, Callback callback) {
    long started = System.nanoTime();
    byte[] json = null;
    ApiException refusal = null;
    try {
      RequestGate.Decision decision = admit(request, node);
      if (decision instanceof RequestGate.Forward) {
        // A follower relays through the Javalin route, which owns forwarding; nothing read yet.
        toJavalin(request, response, callback);
        return;
      }
      if (decision instanceof RequestGate.Reject reject) {
        throw new ApiException(reject.status(), reject.message());
      }
      json = answers.configs(node);
    } catch (ApiException e) {
      refusal = e;
    } catch (RuntimeException e) {
      refusal = internalError(CONFIGS, e);
    }
    answer(configsMeters, started, json, refusal, response, callback);
  }

  private void serveStatus(String node, Request request, Response response, Callback callback) {
    long started = System.nanoTime();
    RequestGate.Decision decision;
    try {
      decision = admit(request, node);
    } catch (ApiException e) {
      answer(statusMeters, started, null, e, response, callback);
      return;
    } catch (RuntimeException e) {
      answer(statusMeters, started, null, internalError(STATUS, e), response, callback);
      return;
    }
    if (decision instanceof RequestGate.Forward) {
      toJavalin(request, response, callback); // nothing read yet, as for configs
      return;
    }
    int max = options.maxBodyBytes();
    long declared = request.getLength();
    if (declared > max) {
      answer(statusMeters, started, null, ApiServer.tooLarge(max), response, callback);
      return;
    }
    // Read without blocking: the body of a heartbeat has almost always arrived with its headers.
    new StatusBody(node, decision, started, max, declared, request, response, callback).read();
  }

  /** Token, identifier, "cluster checks enabled", then the gate, in the Javalin routes' order. */
  private RequestGate.Decision admit(Request request, String node) {
    auth.get().check(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    NodeIdentifiers.require(node);
    if (!options.clusterChecksEnabled()) {
      throw new ApiException(404, ApiServer.DISABLED_MESSAGE);
    }
    return gate.admit();
  }

  private static ApiException internalError(String name, RuntimeException e) {
    LOG.error("{} failed", name, e);
    return new ApiException(500, "internal error: " + e.getClass().getSimpleName());
  }

  /** Counts, then writes the answer or the refusal. */
  private void answer(ApiMetrics.Route meters, long started, byte[] json, ApiException refusal,
      Response response, Callback callback) {
    // Counted before the answer leaves, as the Javalin routes do: whoever reads the counter after
    // the answer sees it.
    meters.request(refusal == null ? 200 : refusal.status(), System.nanoTime() - started);
    if (refusal != null) {
      error(response, callback, refusal);
    } else {
      response.setStatus(200);
      response.getHeaders().put(JSON_CONTENT_TYPE);
      response.write(true, ByteBuffer.wrap(json), callback);
    }
  }

  /**
   * The body of one status post, read as it arrives without blocking a thread, refusing more than
   * the limit without reading it all (as the Javalin routes): then the answer.
   */
  private final class StatusBody implements Runnable {
    private final String node;
    private final RequestGate.Decision decision;
    private final long started;
    private final int max;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private byte[] bytes;
    private int length;

    StatusBody(String node, RequestGate.Decision decision, long started, int max, long declared,
        Request request, Response response, Callback callback) {
      this.node = node;
      this.decision = decision;
      this.started = started;
      this.max = max;
      this.request = request;
      this.response = response;
      this.callback = callback;
      // The declared length is the usual case: one array of the right size, nothing copied again.
      this.bytes = new byte[declared >= 0 ? (int) declared : Math.min(max + 1, 256)];
    }

    /** Reads what has arrived; asks to be called again when more is due. */
    void read() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          Throwable failure = chunk.getFailure();
          // The text the blocking read gave: an IOException's own, or the wrapped failure's.
          String why = failure instanceof IOException ? failure.getMessage() : failure.toString();
          finish(new ApiException(400, "cannot read the request body: " + why));
          return;
        }
        boolean last = chunk.isLast();
        ByteBuffer buffer = chunk.getByteBuffer();
        int n = buffer.remaining();
        boolean tooLarge = length + n > max;
        if (!tooLarge && n > 0) {
          if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(max + 1, Math.max(length + n, bytes.length * 2)));
          }
          buffer.get(bytes, length, n);
          length += n;
        }
        chunk.release();
        if (tooLarge) {
          finish(ApiServer.tooLarge(max));
          return;
        }
        if (last) {
          finish(null);
          return;
        }
      }
    }

    @Override
    public void run() {
      read();
    }

    private void finish(ApiException readFailure) {
      byte[] json = null;
      ApiException refusal = readFailure;
      if (refusal == null) {
        try {
          if (decision instanceof RequestGate.Reject reject) {
            throw new ApiException(reject.status(), reject.message());
          }
          byte[] body = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
          json = answers.status(node, request.getHeaders().get(WorkerAnswers.REAL_IP_HEADER), body);
        } catch (ApiException e) {
          refusal = e;
        } catch (RuntimeException e) {
          refusal = internalError(STATUS, e);
        }
      }
      answer(statusMeters, started, json, refusal, response, callback);
      if (refusal == null) {
        statusAnswered.accept(node);
      }
    }
  }

  /** A plain-text error, as {@link ApiServer}'s routes and the reference's {@code http.Error} write it. */
  private static void error(Response response, Callback callback, ApiException e) {
    response.setStatus(e.status());
    if (e.challenge()) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, BearerTokenAuth.CHALLENGE);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(true, ByteBuffer.wrap((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8)), callback);
  }
}
