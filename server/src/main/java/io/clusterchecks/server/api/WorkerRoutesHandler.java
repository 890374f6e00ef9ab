package io.clusterchecks.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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
 * which answers as it always did.
 */
final class WorkerRoutesHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRoutesHandler.class);
  static final String STATUS_PREFIX = "/api/v1/clusterchecks/status/";
  static final String CONFIGS_PREFIX = "/api/v1/clusterchecks/configs/";
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final Supplier<BearerTokenAuth> auth;
  private final RequestGate gate;
  private final ApiServer.Options options;
  private final WorkerAnswers answers;
  private final ApiMetrics metrics;
  private final java.util.function.Consumer<String> statusAnswered;

  WorkerRoutesHandler(Supplier<BearerTokenAuth> auth, RequestGate gate, ApiServer.Options options,
      WorkerAnswers answers, ApiMetrics metrics, java.util.function.Consumer<String> statusAnswered) {
    this.statusAnswered = statusAnswered;
    this.auth = auth;
    this.gate = gate;
    this.options = options;
    this.answers = answers;
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    String node;
    if (HttpMethod.POST.is(method) && (node = plainIdentifier(path, STATUS_PREFIX)) != null) {
      return serve("postCheckStatus", true, node, request, response, callback);
    }
    if (HttpMethod.GET.is(method) && (node = plainIdentifier(path, CONFIGS_PREFIX)) != null) {
      return serve("getCheckConfigs", false, node, request, response, callback);
    }
    return super.handle(request, response, callback);
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

  private boolean serve(String name, boolean status, String node, Request request, Response response,
      Callback callback) throws Exception {
    long started = System.nanoTime();
    byte[] json;
    ApiException refusal = null;
    try {
      auth.get().check(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      NodeIdentifiers.require(node);
      if (!options.clusterChecksEnabled()) {
        throw new ApiException(404, ApiServer.DISABLED_MESSAGE);
      }
      RequestGate.Decision decision = gate.admit();
      if (decision instanceof RequestGate.Forward) {
        // A follower relays through the Javalin route, which owns forwarding; nothing read yet.
        return super.handle(request, response, callback);
      }
      byte[] body = status ? readBody(request) : null;
      if (decision instanceof RequestGate.Reject reject) {
        throw new ApiException(reject.status(), reject.message());
      }
      json = status
          ? answers.status(node, request.getHeaders().get(WorkerAnswers.REAL_IP_HEADER), body)
          : answers.configs(node);
    } catch (ApiException e) {
      json = null;
      refusal = e;
    } catch (RuntimeException e) {
      LOG.error("{} failed", name, e);
      json = null;
      refusal = new ApiException(500, "internal error: " + e.getClass().getSimpleName());
    }
    // Counted before the answer leaves, as the Javalin routes do: whoever reads the counter after
    // the answer sees it.
    metrics.request(name, refusal == null ? 200 : refusal.status(), false, System.nanoTime() - started);
    if (refusal != null) {
      error(response, callback, refusal);
    } else {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
      response.write(true, ByteBuffer.wrap(json), callback);
      if (status) {
        statusAnswered.accept(node);
      }
    }
    return true;
  }

  /** Reads the body, refusing more than the limit without reading it all (as the Javalin routes). */
  private byte[] readBody(Request request) {
    int max = options.maxBodyBytes();
    if (request.getLength() > max) {
      throw ApiServer.tooLarge(max);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes(max + 1);
      if (body.length > max) {
        throw ApiServer.tooLarge(max);
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request body: " + e.getMessage());
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
