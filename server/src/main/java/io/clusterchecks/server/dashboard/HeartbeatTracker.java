package io.clusterchecks.server.dashboard;

import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each worker's status was last answered by this listener, seen from an after-handler on
 * the status route: the dispatcher keeps heartbeats to itself, and the route already validated
 * the identifier before it answered 200. Entries of workers the dispatcher no longer knows are
 * dropped by {@link #retain}, so the map stays as large as the fleet.
 */
final class HeartbeatTracker {
  private final InstantSource clock;
  private final Map<String, Long> lastStatus = new ConcurrentHashMap<>();
  private final int maxEntries;

  HeartbeatTracker(InstantSource clock, int maxEntries) {
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  /** After-handler of the status route. */
  void afterStatus(Context ctx) {
    if (ctx.statusCode() != 200) {
      return;
    }
    String node = ctx.pathParamMap().get("identifier");
    if (node != null) {
      answered(node);
    }
  }

  /** A status of {@code node} was answered 200 (by the worker API's Jetty path, which runs no after-handler). */
  void answered(String node) {
    if (lastStatus.size() < maxEntries || lastStatus.containsKey(node)) {
      lastStatus.put(node, clock.millis());
    }
  }

  Long lastStatus(String node) {
    return lastStatus.get(node);
  }

  /** Forgets workers that are not in {@code known}. */
  void retain(Set<String> known) {
    lastStatus.keySet().retainAll(known);
  }
}
