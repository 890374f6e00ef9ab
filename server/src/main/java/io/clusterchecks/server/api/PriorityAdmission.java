package io.clusterchecks.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Heartbeats first when the API is saturated. A worker whose status posts wait behind other
 * requests is expired after {@code node_expiration_timeout} although it is alive, and its configs
 * move (docs/reference/dispatcher.md section 5): so status posts are always let through, while
 * every other request (configs, state, CLI, dashboard, placement pulls) needs one of a bounded
 * number of slots. The slots keep threads free for heartbeats even when the other requests are
 * slow (the state view and the CLI commands wait for the dispatch thread, a follower waits for the
 * leader). A request that finds no free slot is answered at once, without queueing:
 * {@code 503}, {@code Retry-After: 1}, and a body saying why. Workers treat a 503 on configs as an
 * error answered by the agent and keep their configs (docs/reference/protocol.md section 8); they
 * ask again at the next status.
 *
 * <p>Refusals are counted in {@code api_overload_rejections} and logged at most once a minute.
 */
final class PriorityAdmission extends Handler.Wrapper {
  /** Slots for requests other than status posts: well below Jetty's 250 threads. */
  static final int DEFAULT_LOW_PRIORITY_LIMIT = 32;
  static final String RETRY_AFTER_SECONDS = "1";

  private final int limit;
  private final Semaphore slots;
  private final ApiMetrics metrics;
  private final RateLimitedLog log;
  private final byte[] refusal;

  PriorityAdmission(int limit, ApiMetrics metrics, RateLimitedLog log) {
    if (limit < 1) {
      throw new IllegalArgumentException("the low-priority limit must be at least 1: " + limit);
    }
    this.limit = limit;
    this.slots = new Semaphore(limit);
    this.metrics = metrics;
    this.log = log;
    this.refusal = ("overloaded: " + limit + " requests other than worker status are in progress;"
        + " status requests are served first. Retry after " + RETRY_AFTER_SECONDS + " s\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The dashboard's event stream: a request that lasts as long as a browser keeps the page open,
   * capped by the dashboard itself (16 streams, then 429). Counted here, open pages would hold
   * slots meant for short requests, so it is let through like a heartbeat.
   */
  static final String DASHBOARD_EVENTS_PATH = "/api/v1/dashboard/events";

  /** Status posts (heartbeats) are never refused here. */
  static boolean isHeartbeat(Request request) {
    return HttpMethod.POST.is(request.getMethod())
        && request.getHttpURI().getPath() != null
        && request.getHttpURI().getPath().startsWith(WorkerRoutesHandler.STATUS_PREFIX);
  }

  /** Requests that take no slot: heartbeats, and long-lived streams capped where they are served. */
  static boolean isExempt(Request request) {
    return isHeartbeat(request) || DASHBOARD_EVENTS_PATH.equals(request.getHttpURI().getPath());
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (isExempt(request)) {
      return super.handle(request, response, callback);
    }
    if (!slots.tryAcquire()) {
      metrics.overloadRejection("low");
      log.warn("overload", "API saturated: {} requests other than worker status in progress; refusing"
          + " others with 503 (heartbeats still served)", limit);
      refuse(response, callback);
      return true;
    }
    Releasing releasing = new Releasing(callback);
    boolean handled;
    try {
      handled = super.handle(request, response, releasing);
    } catch (Throwable t) {
      releasing.release();
      throw t;
    }
    if (!handled) {
      releasing.release();
    }
    return handled;
  }

  private void refuse(Response response, Callback callback) {
    response.setStatus(503);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(true, ByteBuffer.wrap(refusal), callback);
  }

  /** Gives the slot back exactly once, when the request completes either way. */
  private final class Releasing extends Callback.Nested {
    private final AtomicBoolean released = new AtomicBoolean();

    Releasing(Callback callback) {
      super(callback);
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        slots.release();
      }
    }

    @Override
    public void succeeded() {
      release();
      super.succeeded();
    }

    @Override
    public void failed(Throwable x) {
      release();
      super.failed(x);
    }
  }
}
