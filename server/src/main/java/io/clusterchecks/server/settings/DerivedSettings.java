package io.clusterchecks.server.settings;

import io.clusterchecks.core.config.ExtraTags;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * Values computed from settings, each in one place: the balancing bands as factors of the mean
 * (the keys are percentages), the dispatcher's settings, and the runner stats period that follows
 * from {@code cluster_checks.rebalance_period}.
 */
public final class DerivedSettings {
  /** Stats are collected at most this often... */
  private static final Duration MIN_STATS_PERIOD = Duration.ofSeconds(1);
  /** ...and at least this often, so new configs are placed by fresh load between rebalances. */
  private static final Duration MAX_STATS_PERIOD = Duration.ofMinutes(1);
  /** A runner's last good stats count for this many periods after a failed collection. */
  private static final int STATS_KEPT_FOR_PERIODS = 3;

  private DerivedSettings() {}

  /** A band above the mean: {@code 4} (percent) is the factor 1.04. */
  public static double above(int percent) {
    return 1 + percent / 100.0;
  }

  /** A band below the mean: {@code 5} (percent) is the factor 0.95. */
  public static double below(int percent) {
    return 1 - percent / 100.0;
  }

  /** Load-aware dispatching as the dispatcher takes it. */
  public static DispatcherSettings.Balancing balancing(AgentSettings.ClusterChecks cc) {
    return new DispatcherSettings.Balancing(
        cc.advancedDispatchingEnabled(), new HashSet<>(cc.excludeChecksFromDispatching()),
        above(cc.rebalanceTargetPercentage()), above(cc.rebalanceTriggerPercentage()),
        below(cc.rebalanceFillBelowPercentage()), cc.rebalanceMinPercentageImprovement(),
        cc.rebalanceMaxMoves());
  }

  /** The dispatcher's settings, extra tags including the cluster name tags. */
  public static DispatcherSettings dispatcherSettings(AgentSettings settings) {
    AgentSettings.ClusterChecks cc = settings.clusterChecks();
    List<String> extraTags = ExtraTags.compute(cc.extraTags(), settings.clusterName(), cc.clusterTagName(),
        settings.disableClusterNameTagKey());
    return new DispatcherSettings(cc.nodeExpirationTimeout(), cc.warmupDuration(),
        cc.unscheduledCheckThreshold(), new HashSet<>(cc.excludeChecks()), extraTags, balancing(cc),
        cc.arrivalWindow());
  }

  /**
   * How often runner stats are collected: twice per rebalance period, at most every minute and at
   * least every second, so new configs are placed by fresh load between rebalances.
   */
  public static Duration runnerStatsPeriod(AgentSettings.ClusterChecks cc) {
    long half = cc.rebalancePeriod().toMillis() / 2;
    return Duration.ofMillis(Math.max(MIN_STATS_PERIOD.toMillis(), Math.min(MAX_STATS_PERIOD.toMillis(), half)));
  }

  /** How long a runner's last good stats stand in when a collection fails. */
  public static Duration runnerStatsKeptFor(AgentSettings.ClusterChecks cc) {
    return runnerStatsPeriod(cc).multipliedBy(STATS_KEPT_FOR_PERIODS);
  }
}
