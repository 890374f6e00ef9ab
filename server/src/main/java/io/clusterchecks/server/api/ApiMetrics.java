package io.clusterchecks.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The API's series. The reference's {@code api_requests{handler,status,forwarded}} and
 * {@code forwarded_requests{handler}} counters (a follower's requests relayed to the leader), and
 * ours: {@code api_request_duration_seconds{handler}}, a latency histogram per handler (forwarded
 * requests included, so a follower's histogram shows the round trip to the leader), and
 * {@code api_overload_rejections{priority}}, requests refused because the API was saturated.
 *
 * <p>Meters are looked up once per (handler, status, forwarded) and kept: building a meter id from
 * tags on every request (sorting and merging tags, hashing the id) cost a measurable part of a
 * heartbeat's time (docs/benchmarks.md, "Worker API against bare Jetty").
 */
final class ApiMetrics {
  static final String API_REQUESTS = "api_requests";
  static final String FORWARDED_REQUESTS = "forwarded_requests";
  static final String DURATION = "api_request_duration";
  static final String OVERLOAD_REJECTIONS = "api_overload_rejections";

  /** From a loopback answer to a slow forward; the worker's own timeout is 10 s. */
  private static final List<Duration> BUCKETS = List.of(
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10));

  private record RequestKey(String handler, int status, boolean forwarded) {}

  /** The meters of one handler: its latency histogram and its counters by status. */
  private final class HandlerMeters {
    final Timer duration;
    final ConcurrentHashMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();

    HandlerMeters(String handler) {
      duration = Timer.builder(DURATION)
          .description("Time to answer an API request, forwarding included")
          .tag("handler", handler)
          .serviceLevelObjectives(buckets)
          .register(registry);
    }
  }

  private final MeterRegistry registry;
  private final Duration[] buckets = BUCKETS.toArray(Duration[]::new);
  private final ConcurrentHashMap<String, HandlerMeters> handlers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> forwardedCounters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> rejections = new ConcurrentHashMap<>();

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void request(String handler, int status, boolean forwarded, long nanos) {
    HandlerMeters meters = handlers.computeIfAbsent(handler, HandlerMeters::new);
    requests(meters, handler, status, forwarded).increment();
    if (forwarded) {
      // Registered at the first forwarded request only: a leader shows no such series.
      forwardedCounters.computeIfAbsent(handler, h -> Counter.builder(FORWARDED_REQUESTS)
              .description("Requests relayed to the leader")
              .tag("handler", h)
              .register(registry))
          .increment();
    }
    meters.duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter requests(HandlerMeters meters, String handler, int status, boolean forwarded) {
    return meters.requests.computeIfAbsent(new RequestKey(handler, status, forwarded), k -> Counter.builder(API_REQUESTS)
        .description("Requests to the cluster-agent API")
        .tag("handler", k.handler())
        .tag("status", Integer.toString(k.status()))
        .tag("forwarded", Boolean.toString(k.forwarded()))
        .register(registry));
  }

  /** The meters of {@code handler} for a route that is never forwarded, kept by the route. */
  Route route(String handler) {
    return new Route(handler);
  }

  /**
   * One route's meters, kept once found: a worker route answers 200 almost always, so its
   * counter and histogram are reached without a map lookup or a key object per request. Found at
   * the first request, as {@link #request} finds them, so no series shows before one was counted.
   */
  final class Route {
    private final String handler;
    private volatile HandlerMeters meters;
    private volatile Counter ok;

    private Route(String handler) {
      this.handler = handler;
    }

    void request(int status, long nanos) {
      HandlerMeters m = meters;
      if (m == null) {
        m = handlers.computeIfAbsent(handler, HandlerMeters::new);
        meters = m;
      }
      Counter counter = status == 200 ? ok : null;
      if (counter == null) {
        counter = requests(m, handler, status, false);
        if (status == 200) {
          ok = counter;
        }
      }
      counter.increment();
      m.duration.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** A request refused by admission control before any handler ran. */
  void overloadRejection(String priority) {
    rejections.computeIfAbsent(priority, p -> Counter.builder(OVERLOAD_REJECTIONS)
            .description("Requests answered 503 because the API was saturated")
            .tag("priority", p)
            .register(registry))
        .increment();
  }
}
