package io.clusterchecks.server.dashboard;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.server.ha.LeaderAddress;
import io.clusterchecks.server.ha.LeadershipHandler;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.DerivedSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything the dashboard reads, each through a public view the agent already has: the
 * dispatcher's state and counters, the leadership gate, the config sources' problems, the last
 * runner stats and the utilization gauges. The dashboard never changes dispatch state except
 * through the on-demand rebalance and {@link Dispatcher#isolate}, as the API routes do.
 *
 * @param dispatcher the dispatcher (state, stats, isolate)
 * @param rebalance the on-demand rebalance, the API route's (fresh runner stats first)
 * @param leadership this replica's role and the leader it follows
 * @param configErrors config source problems by entity ({@code file:<path>}, Kubernetes objects)
 * @param runnerStats the last good runner stats of a node, if any were collected
 * @param utilization utilization by node, as the dispatcher last computed it (empty when not load aware)
 * @param band the balancing band, as factors of the mean utilization
 */
public record DashboardSources(
    Dispatcher dispatcher,
    io.clusterchecks.server.balance.OnDemandRebalance rebalance,
    Supplier<LeadershipView> leadership,
    Supplier<Map<String, List<String>>> configErrors,
    Function<String, Optional<RunnerStats>> runnerStats,
    Supplier<Map<String, Double>> utilization,
    Band band) {

  public DashboardSources {
    Objects.requireNonNull(dispatcher, "dispatcher");
    Objects.requireNonNull(rebalance, "rebalance");
    Objects.requireNonNull(leadership, "leadership");
    Objects.requireNonNull(configErrors, "configErrors");
    Objects.requireNonNull(runnerStats, "runnerStats");
    Objects.requireNonNull(utilization, "utilization");
    Objects.requireNonNull(band, "band");
  }

  /**
   * This replica's role as the leadership gate sees it.
   *
   * @param role {@code leader}, {@code follower} or {@code unknown}
   * @param self this replica's address, or "" without leader election
   * @param leader the leader's address when following, this replica's when leading, else ""
   */
  public record LeadershipView(String role, String self, String leader) {}

  /**
   * Where rebalancing leaves a runner alone, as factors of the mean utilization: above
   * {@code trigger} a runner is overloaded, below {@code fillBelow} it is filled first, and a
   * rebalance aims for at most {@code target}.
   */
  public record Band(double fillBelow, double target, double trigger) {
    static Band of(AgentSettings.ClusterChecks cc) {
      DispatcherSettings.Balancing b = DerivedSettings.balancing(cc);
      return new Band(b.fillBelow(), b.target(), b.trigger());
    }
  }

  /** The agent's sources. {@code runnerStats} may answer empty until stats are collected. */
  public static DashboardSources of(Dispatcher dispatcher, io.clusterchecks.server.balance.OnDemandRebalance rebalance,
      LeadershipHandler leadership, MeterRegistry registry,
      Supplier<Map<String, List<String>>> configErrors, Function<String, Optional<RunnerStats>> runnerStats,
      AgentSettings.ClusterChecks settings) {
    return new DashboardSources(dispatcher, rebalance, () -> view(leadership), configErrors, runnerStats,
        () -> utilization(registry), Band.of(settings));
  }

  private static LeadershipView view(LeadershipHandler leadership) {
    LeaderAddress self = leadership.self();
    String selfText = self == null ? "" : self.toString();
    return switch (leadership.role()) {
      case LEADER -> new LeadershipView("leader", selfText, selfText);
      case FOLLOWER -> new LeadershipView("follower", selfText,
          leadership.followedLeader().map(LeaderAddress::toString).orElse(""));
      case UNKNOWN -> new LeadershipView("unknown", selfText, "");
    };
  }

  /** The dispatcher publishes utilization as the {@code cluster_checks_busyness} gauge per node. */
  private static Map<String, Double> utilization(MeterRegistry registry) {
    Map<String, Double> out = new HashMap<>();
    for (Gauge g : registry.find("cluster_checks_busyness").gauges()) {
      String node = g.getId().getTag("node");
      double v = g.value();
      if (node != null && Double.isFinite(v)) {
        out.put(node, v);
      }
    }
    return out;
  }
}
