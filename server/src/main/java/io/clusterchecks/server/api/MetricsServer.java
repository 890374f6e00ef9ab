package io.clusterchecks.server.api;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.server.metrics.PrometheusExposition;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain-HTTP telemetry. On {@code metrics_port} (the reference's 5000): {@code /metrics} in the
 * Prometheus text format, plus {@code /live} and {@code /ready}. On {@code health_port} (the
 * reference's 5556, where the Datadog Helm chart points its probes): {@code /live} and
 * {@code /ready} only. Unauthenticated, like the reference's telemetry and health ports: bind them
 * where only the scraper and kubelet reach them.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  static final String PROMETHEUS_TEXT = PrometheusExposition.CONTENT_TYPE;

  private final Supplier<String> metrics;
  private final String host;
  private final int port;
  private final BooleanSupplier ready;
  private Javalin app;

  /**
   * The metrics listener: every series of the registry, as is.
   *
   * @param ready answers {@code /ready}; see {@link #leading(Dispatcher)}
   */
  public MetricsServer(PrometheusMeterRegistry registry, String host, int port,
      BooleanSupplier ready) {
    this(new PrometheusExposition(registry, () -> true), host, port, ready);
  }

  /** The metrics listener, {@code /metrics} answered by {@code exposition}. */
  public MetricsServer(PrometheusExposition exposition, String host, int port, BooleanSupplier ready) {
    this(Objects.requireNonNull(exposition, "exposition")::scrape, host, port, ready);
  }

  private MetricsServer(Supplier<String> metrics, String host, int port, BooleanSupplier ready) {
    this.metrics = metrics;
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.ready = Objects.requireNonNull(ready, "ready");
  }

  /** The health listener: {@code /live} and {@code /ready}, no {@code /metrics}. */
  public static MetricsServer health(String host, int port, BooleanSupplier ready) {
    return new MetricsServer((Supplier<String>) null, host, port, ready);
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
      throw new IllegalStateException("the " + what() + " server is already started");
    }
    Javalin javalin = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.modifyHttpConfiguration(http -> {
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
      });
      if (metrics != null) {
        cfg.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.get()));
      }
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
          "cannot start the " + what() + " server on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    app = javalin;
    LOG.info("{} listening on http://{}:{}{}", metrics != null ? "Metrics" : "Health checks", host, port(),
        metrics != null ? "/metrics" : "/live");
    return this;
  }

  private String what() {
    return metrics != null ? "metrics" : "health";
  }

  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the " + what() + " server is not started");
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
