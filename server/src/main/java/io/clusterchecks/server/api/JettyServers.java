package io.clusterchecks.server.api;

import jakarta.servlet.Servlet;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.LowResourceMonitor;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's Jetty parts, made as Javalin 7 made them when it started Jetty itself (same thread
 * pool, URI compliance, low-resource monitor, text/plain charset, servlet mapping), so that
 * {@link ApiServer} can start Jetty with the worker routes alone and add Javalin's servlet later
 * without changing what a request sees. What Javalin added and the API does not use is left out:
 * the servlet context has no sessions (no route reads one) and Javalin's servlet is the plain one,
 * without the WebSocket upgrade (no route is a WebSocket).
 */
final class JettyServers {
  private static final Logger LOG = LoggerFactory.getLogger(JettyServers.class);
  /** Javalin's pool: at most 250 threads, at least 8, idle ones leave after 60 s. */
  static final int MAX_THREADS = 250;
  private static final int MIN_THREADS = 8;
  private static final int IDLE_TIMEOUT_MILLIS = 60_000;
  /** The threads' name prefix, which logs and thread dumps have always shown. */
  static final String THREAD_POOL_NAME = "JettyServerThreadPool";

  private JettyServers() {}

  /** A server on Javalin's thread pool, with its low-resource monitor and text/plain in UTF-8. */
  static Server server() {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, IDLE_TIMEOUT_MILLIS);
    pool.setName(THREAD_POOL_NAME);
    Server server = new Server(pool);
    server.addBean(new LowResourceMonitor(server));
    server.getMimeTypes().addInferred("text/plain", StandardCharsets.UTF_8.name());
    return server;
  }

  /**
   * Javalin's HTTP configuration: legacy URI compliance (an odd path reaches the routes, which
   * answer it, rather than Jetty's 400), no {@code Server} or {@code X-Powered-By} header.
   */
  static HttpConfiguration httpConfiguration() {
    HttpConfiguration http = new HttpConfiguration();
    http.setUriCompliance(UriCompliance.LEGACY);
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    return http;
  }

  /** {@code servlet} on every path of a root context of {@code server}, without sessions. */
  static ServletContextHandler servletContext(Server server, Servlet servlet) {
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setServer(server);
    context.setContextPath("/");
    context.addServlet(new ServletHolder(servlet), "/*");
    return context;
  }

  /** Stops {@code server}; a failure to stop is logged, since there is nothing more to do. */
  static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("Stopping the API server failed: {}", e.toString());
    }
  }
}
