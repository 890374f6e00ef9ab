package io.clusterchecks.core.dispatch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference's dispatcher series (docs/reference/metrics.md section 1), with its {@code join_leader="true"} label. Values are
 * plain counters written by the dispatch thread, so a scrape never touches dispatch state.
 * Per-node series are removed when their node goes, so expired workers do not linger.
 */
final class DispatchMetrics {
  private static final Tags LEADER = Tags.of("join_leader", "true");

  private final MeterRegistry registry;
  private final AtomicInteger nodesReporting = new AtomicInteger();
  private final AtomicInteger dangling = new AtomicInteger();
  private final Map<String, PerKey> dispatched = new HashMap<>();
  private final Map<String, PerKey> endpointsDispatched = new HashMap<>();
  private final Map<String, PerKey> unscheduled = new HashMap<>();
  private final Map<String, PerKeyDouble> busyness = new HashMap<>();
  private final Map<String, PerKeyDouble> predicted = new HashMap<>();
  private final io.micrometer.core.instrument.Counter decisions;
  private final io.micrometer.core.instrument.Counter successfulMoves;
  /** Ours: workers dropped for silence; exposed as cluster_checks_nodes_expired_total. */
  private final io.micrometer.core.instrument.Counter nodesExpired;
  private final AtomicLong rebalanceNanos = new AtomicLong();

  DispatchMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("cluster_checks_nodes_reporting", nodesReporting, AtomicInteger::get)
        .description("Workers reporting to the leader").tags(LEADER).register(registry);
    Gauge.builder("cluster_checks_configs_dangling", dangling, AtomicInteger::get)
        .description("Cluster checks no worker runs").tags(LEADER).register(registry);
    decisions = io.micrometer.core.instrument.Counter.builder("cluster_checks_rebalancing_decisions")
        .description("Moves proposed by rebalances").tags(LEADER).register(registry);
    successfulMoves = io.micrometer.core.instrument.Counter.builder("cluster_checks_successful_rebalancing_moves")
        .description("Moves made by rebalances").tags(LEADER).register(registry);
    nodesExpired = io.micrometer.core.instrument.Counter.builder("cluster_checks_nodes_expired")
        .description("Workers expired after node_expiration_timeout without a report").tags(LEADER).register(registry);
    Gauge.builder("cluster_checks_rebalancing_duration_seconds", rebalanceNanos, n -> n.get() / 1e9)
        .description("Duration of the last rebalance").tags(LEADER).register(registry);
  }

  /** Per-node utilization (load over check workers), the measure rebalancing acts on. */
  void utilization(Collection<NodeState> nodes) {
    setAll(busyness, nodes, "cluster_checks_busyness", "Utilization of a worker: load over check workers");
  }

  void rebalanced(int proposed, int made, double seconds, Collection<NodeState> after) {
    decisions.increment(proposed);
    successfulMoves.increment(made);
    rebalanceNanos.set((long) (seconds * 1e9));
    if (!after.isEmpty()) {
      setAll(predicted, after, "cluster_checks_predicted_utilization", "Utilization after the last rebalance");
    }
  }

  private void setAll(Map<String, PerKeyDouble> series, Collection<NodeState> nodes, String name, String help) {
    Set<String> seen = new HashSet<>();
    for (NodeState n : nodes) {
      seen.add(n.name);
      PerKeyDouble p = series.computeIfAbsent(n.name, k -> {
        AtomicLong bits = new AtomicLong();
        Gauge g = Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).description(help)
            .tags(Tags.of("node", k).and(LEADER)).register(registry);
        return new PerKeyDouble(bits, g);
      });
      p.bits.set(Double.doubleToLongBits(n.utilization()));
    }
    series.entrySet().removeIf(e -> {
      if (!seen.contains(e.getKey())) {
        registry.remove(e.getValue().gauge);
        return true;
      }
      return false;
    });
  }

  void nodeExpired() {
    nodesExpired.increment();
  }

  void nodesReporting(int n) {
    nodesReporting.set(n);
  }

  void dangling(int n) {
    dangling.set(n);
  }

  void dispatched(String node, int configs) {
    set(dispatched, node, configs, true, "cluster_checks_configs_dispatched",
        "Cluster checks dispatched to a worker", Tags.of("node", node));
  }

  void endpointsDispatched(String k8sNode, int configs) {
    set(endpointsDispatched, k8sNode, configs, false, "endpoint_checks_configs_dispatched",
        "Endpoints checks for a Kubernetes node", Tags.of("node", k8sNode));
  }

  void unscheduled(String checkName, String source, int delta) {
    String key = checkName + '\u0000' + source;
    PerKey current = unscheduled.get(key);
    int value = (current == null ? 0 : current.value.get()) + delta;
    set(unscheduled, key, value, false, "cluster_checks_unscheduled_check",
        "Cluster checks dangling longer than the unscheduled threshold",
        Tags.of("config_name", checkName, "config_source", source));
  }

  /**
   * Drops every series of leader state; the agent is no longer dispatching. The endpoints series
   * stay: the endpoints checks are part of the inventory, which a follower keeps.
   */
  void stepDown() {
    nodesReporting.set(0);
    dangling.set(0);
    for (Map<String, PerKey> m : List.of(dispatched, unscheduled)) {
      m.values().forEach(p -> registry.remove(p.gauge));
      m.clear();
    }
    for (Map<String, PerKeyDouble> m : List.of(busyness, predicted)) {
      m.values().forEach(p -> registry.remove(p.gauge));
      m.clear();
    }
  }

  /**
   * Sets one series. {@code keepAtZero}: a registered node shows 0 configs; an endpoints or
   * unscheduled series exists only while it counts something.
   */
  private void set(Map<String, PerKey> series, String key, int value, boolean keepAtZero, String name,
      String help, Tags tags) {
    PerKey p = series.get(key);
    if (value <= 0 && !keepAtZero) {
      if (p != null) {
        registry.remove(p.gauge);
        series.remove(key);
      }
      return;
    }
    if (p == null) {
      AtomicInteger v = new AtomicInteger();
      Gauge g = Gauge.builder(name, v, AtomicInteger::get).description(help)
          .tags(tags.and(LEADER)).register(registry);
      p = new PerKey(v, g);
      series.put(key, p);
    }
    p.value.set(value);
  }

  void removeNode(String node) {
    PerKey p = dispatched.remove(node);
    if (p != null) {
      registry.remove(p.gauge);
    }
    for (Map<String, PerKeyDouble> m : List.of(busyness, predicted)) {
      PerKeyDouble d = m.remove(node);
      if (d != null) {
        registry.remove(d.gauge);
      }
    }
  }

  private record PerKey(AtomicInteger value, Gauge gauge) {}

  private record PerKeyDouble(AtomicLong bits, Gauge gauge) {}
}
