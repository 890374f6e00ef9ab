package io.clusterchecks.server.metrics;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.wire.StateResponse;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code cluster_checks_configs_info{node,check_name,check_id,join_leader="true"} 1}: which check
 * instance runs where, one series per check ID, read from the dispatcher at scrape time so that
 * the series follows every move without the dispatch path doing any metrics work.
 *
 * <p>Check IDs are computed once per config: the configs of a state view are the dispatcher's own
 * objects, so they are remembered by identity, and forgotten when a scrape no longer sees them.
 */
public final class ConfigsInfoCollector implements Collector {
  static final String NAME = "cluster_checks_configs_info";

  private final Dispatcher dispatcher;
  private final Object lock = new Object();
  /** Guarded by lock. */
  private Map<Config, List<String>> checkIds = new IdentityHashMap<>();

  public ConfigsInfoCollector(Dispatcher dispatcher) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }

  @Override
  public MetricSnapshot collect() {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(NAME)
        .help("Where each check instance runs (always 1)");
    // A published snapshot: reading it never waits for the dispatch thread.
    StateResponse state = dispatcher.isLeading() ? dispatcher.state() : null;
    if (state == null) {
      return b.build();
    }
    synchronized (lock) {
      Map<Config, List<String>> seen = new IdentityHashMap<>();
      for (StateResponse.Node node : state.nodes()) {
        for (Config c : node.configs()) {
          List<String> ids = seen.computeIfAbsent(c, k -> {
            List<String> known = checkIds.get(k);
            return known != null ? known : idsOf(k);
          });
          for (String id : ids) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1)
                .labels(Labels.of("check_id", id, "check_name", c.checkName(), "join_leader", "true",
                    "node", node.name()))
                .build());
          }
        }
      }
      checkIds = seen;
    }
    return b.build();
  }

  private static List<String> idsOf(Config c) {
    try {
      return CheckIds.checkIds(c);
    } catch (RuntimeException e) {
      return new ArrayList<>();
    }
  }
}
