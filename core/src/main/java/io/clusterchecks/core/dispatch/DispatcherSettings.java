package io.clusterchecks.core.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the dispatcher needs from the agent's configuration (reference keys in brackets).
 *
 * @param nodeExpirationTimeout a worker that has not reported for this long is dead and its
 *     configs move [cluster_checks.node_expiration_timeout, 30 s]
 * @param warmupDuration how long a new leader lets workers report before dispatching
 *     [cluster_checks.warmup_duration, 30 s]
 * @param unscheduledCheckThreshold a config dangling this long is reported as unscheduled; never
 *     below the expiration timeout [cluster_checks.unscheduled_check_threshold, 60 s]
 * @param excludeChecks check names never dispatched nor stored [cluster_checks.exclude_checks]
 * @param extraTags tags merged into every dispatched instance, already including the cluster
 *     name tags (see {@code ExtraTags})
 */
public record DispatcherSettings(
    Duration nodeExpirationTimeout,
    Duration warmupDuration,
    Duration unscheduledCheckThreshold,
    Set<String> excludeChecks,
    List<String> extraTags) {

  public DispatcherSettings {
    Objects.requireNonNull(nodeExpirationTimeout, "nodeExpirationTimeout");
    Objects.requireNonNull(warmupDuration, "warmupDuration");
    Objects.requireNonNull(unscheduledCheckThreshold, "unscheduledCheckThreshold");
    if (nodeExpirationTimeout.isNegative() || nodeExpirationTimeout.isZero()) {
      throw new IllegalArgumentException("nodeExpirationTimeout must be positive: " + nodeExpirationTimeout);
    }
    if (warmupDuration.isNegative()) {
      throw new IllegalArgumentException("warmupDuration must not be negative: " + warmupDuration);
    }
    if (unscheduledCheckThreshold.compareTo(nodeExpirationTimeout) < 0) {
      unscheduledCheckThreshold = nodeExpirationTimeout;
    }
    excludeChecks = Set.copyOf(excludeChecks);
    extraTags = List.copyOf(extraTags);
  }

  /** The reference's defaults, no exclusions and no extra tags. */
  public static DispatcherSettings defaults() {
    return new DispatcherSettings(Duration.ofSeconds(30), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Set.of(), List.of());
  }

  public DispatcherSettings withNodeExpirationTimeout(Duration d) {
    return new DispatcherSettings(d, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags);
  }

  public DispatcherSettings withWarmupDuration(Duration d) {
    return new DispatcherSettings(nodeExpirationTimeout, d, unscheduledCheckThreshold, excludeChecks, extraTags);
  }

  public DispatcherSettings withUnscheduledCheckThreshold(Duration d) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, d, excludeChecks, extraTags);
  }

  public DispatcherSettings withExcludeChecks(Set<String> names) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, names, extraTags);
  }

  public DispatcherSettings withExtraTags(List<String> tags) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, tags);
  }
}
