package io.clusterchecks.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The API's series. The reference's {@code api_requests{handler,status,forwarded}} and
 * {@code forwarded_requests{handler}} counters (a follower's requests relayed to the leader), and
 * ours: {@code api_request_duration_seconds{handler}}, a latency histogram per handler (forwarded
 * requests included, so a follower's histogram shows the round trip to the leader).
 */
final class ApiMetrics {
  static final String API_REQUESTS = "api_requests";
  static final String FORWARDED_REQUESTS = "forwarded_requests";
  static final String DURATION = "api_request_duration";

  /** From a loopback answer to a slow forward; the worker's own timeout is 10 s. */
  private static final List<Duration> BUCKETS = List.of(
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10));

  private final MeterRegistry registry;
  private final Duration[] buckets = BUCKETS.toArray(Duration[]::new);

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void request(String handler, int status, boolean forwarded, long nanos) {
    // Micrometer caches meters by id, so the builders are cheap after the first request.
    Counter.builder(API_REQUESTS)
        .description("Requests to the cluster-agent API")
        .tag("handler", handler)
        .tag("status", Integer.toString(status))
        .tag("forwarded", Boolean.toString(forwarded))
        .register(registry)
        .increment();
    if (forwarded) {
      Counter.builder(FORWARDED_REQUESTS)
          .description("Requests relayed to the leader")
          .tag("handler", handler)
          .register(registry)
          .increment();
    }
    Timer.builder(DURATION)
        .description("Time to answer an API request, forwarding included")
        .tag("handler", handler)
        .serviceLevelObjectives(buckets)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }
}
