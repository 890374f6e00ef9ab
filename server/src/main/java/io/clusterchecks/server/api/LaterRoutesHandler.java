package io.clusterchecks.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every route but the two worker routes, behind {@link WorkerRoutesHandler}: Javalin's servlet
 * context once {@link ApiServer#startOtherRoutes()} has added it; until then, 503 with
 * {@code Retry-After: 1}. The agent opens its port with the worker routes alone, so a worker's
 * first status is not kept waiting for Javalin's creation and its servlet context's start
 * (docs/benchmarks.md, "Start"); the rest follows a moment later (docs/api.md, "Start").
 */
final class LaterRoutesHandler extends Handler.Abstract {
  static final String RETRY_AFTER_SECONDS = "1";
  static final String NOT_YET = "Startup in progress: this route answers in a moment; retry after 1 s\n";

  /** Written once by the starting thread, read by Jetty's threads: volatile, not Jetty's own field. */
  private volatile Handler routes;

  /**
   * Serves every request from now on with {@code handler} (of the same server), started here and
   * stopped with this handler, so with the server.
   *
   * @throws IllegalStateException if {@code handler} does not start
   */
  void serve(Handler handler) {
    try {
      handler.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the API's other routes: " + e.getMessage(), e);
    }
    addBean(handler, true);
    routes = handler;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Handler later = routes;
    if (later != null) {
      return later.handle(request, response, callback);
    }
    response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
    response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(true, ByteBuffer.wrap(NOT_YET.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
