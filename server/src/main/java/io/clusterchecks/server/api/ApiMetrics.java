package io.clusterchecks.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The reference's {@code api_requests} counter (§5): one series per handler, status and whether
 * the request was forwarded to the leader. Prometheus exposes it as {@code api_requests_total}.
 */
final class ApiMetrics {
  static final String API_REQUESTS = "api_requests";

  private final MeterRegistry registry;

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void request(String handler, int status, boolean forwarded) {
    // Micrometer caches meters by id, so the builder is cheap after the first request.
    Counter.builder(API_REQUESTS)
        .description("Requests to the cluster-agent API")
        .tag("handler", handler)
        .tag("status", Integer.toString(status))
        .tag("forwarded", Boolean.toString(forwarded))
        .register(registry)
        .increment();
  }
}
