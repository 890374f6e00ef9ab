package io.clusterchecks.server.api;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain-HTTP telemetry on {@code metrics_port} (the reference's 5000): {@code /metrics} in the
 * Prometheus text format, {@code /live} and {@code /ready} for Kubernetes probes. Unauthenticated,
 * like the reference's telemetry port: bind it where only the scraper and kubelet reach it.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final String host;
  private final int port;
  private final BooleanSupplier ready;
  private Javalin app;

  /**
   * @param ready answers {@code /ready}; see {@link #leading(Dispatcher)}
   */
  public MetricsServer(PrometheusMeterRegistry registry, String host, int port,
      BooleanSupplier ready) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.ready = Objects.requireNonNull(ready, "ready");
  }

  /**
   * Ready while the dispatcher leads, warmup included: during warmup the leader must receive the
   * workers' heartbeats, and Kubernetes sends no Service traffic to an unready pod.
   */
  public static BooleanSupplier leading(Dispatcher dispatcher) {
    return dispatcher::isLeading;
  }

  /** Ready only once the dispatcher leads and has finished its warmup. */
  public static BooleanSupplier dispatching(Dispatcher dispatcher) {
    return () -> dispatcher.isLeading() && !dispatcher.isWarmingUp();
  }

  public synchronized MetricsServer start() {
    if (app != null) {
      throw new IllegalStateException("the metrics server is already started");
    }
    Javalin javalin = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.modifyHttpConfiguration(http -> {
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
      });
      cfg.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
      cfg.routes.get("/live", ctx -> ctx.contentType("text/plain").result("ok\n"));
      cfg.routes.get("/ready", ctx -> {
        boolean ok = ready.getAsBoolean();
        ctx.status(ok ? 200 : 503).contentType("text/plain").result(ok ? "ok\n" : "not ready\n");
      });
    });
    try {
      javalin.start(host, port);
    } catch (RuntimeException e) {
      javalin.stop();
      throw new IllegalStateException(
          "cannot start the metrics server on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    app = javalin;
    LOG.info("Metrics listening on http://{}:{}/metrics", host, port());
    return this;
  }

  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the metrics server is not started");
    }
    return app.port();
  }

  @Override
  public synchronized void close() {
    if (app != null) {
      app.stop();
      app = null;
    }
  }
}
