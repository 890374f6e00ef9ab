package io.clusterchecks.core.dispatch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference's dispatcher series (§5), with its {@code join_leader="true"} label. Values are
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

  DispatchMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("cluster_checks_nodes_reporting", nodesReporting, AtomicInteger::get)
        .description("Workers reporting to the leader").tags(LEADER).register(registry);
    Gauge.builder("cluster_checks_configs_dangling", dangling, AtomicInteger::get)
        .description("Cluster checks no worker runs").tags(LEADER).register(registry);
  }

  void nodesReporting(int n) {
    nodesReporting.set(n);
  }

  void dangling(int n) {
    dangling.set(n);
  }

  void dispatched(String node, int configs) {
    set(dispatched, node, configs, "cluster_checks_configs_dispatched",
        "Cluster checks dispatched to a worker", Tags.of("node", node));
  }

  void endpointsDispatched(String k8sNode, int configs) {
    set(endpointsDispatched, k8sNode, configs, "endpoint_checks_configs_dispatched",
        "Endpoints checks for a Kubernetes node", Tags.of("node", k8sNode));
  }

  void unscheduled(String checkName, String source, int delta) {
    String key = checkName + '\u0000' + source;
    PerKey current = unscheduled.get(key);
    int value = (current == null ? 0 : current.value.get()) + delta;
    set(unscheduled, key, value, "cluster_checks_unscheduled_check",
        "Cluster checks dangling longer than the unscheduled threshold",
        Tags.of("config_name", checkName, "config_source", source));
  }

  /** Drops every series; the agent is no longer dispatching. */
  void reset() {
    nodesReporting.set(0);
    dangling.set(0);
    for (Map<String, PerKey> m : java.util.List.of(dispatched, endpointsDispatched, unscheduled)) {
      m.values().forEach(p -> registry.remove(p.gauge));
      m.clear();
    }
  }

  private void set(Map<String, PerKey> series, String key, int value, String name, String help, Tags tags) {
    PerKey p = series.get(key);
    if (value <= 0 && !name.equals("cluster_checks_configs_dispatched")) {
      // Endpoint and unscheduled series exist only while they count something.
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
  }

  private record PerKey(AtomicInteger value, Gauge gauge) {}
}
