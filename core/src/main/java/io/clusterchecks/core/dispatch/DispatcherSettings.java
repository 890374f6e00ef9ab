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
 * @param balancing load-aware dispatching (docs/balancing.md)
 * @param arrivalWindow when configs wait and no worker reports, how long after the first worker
 *     reports they keep waiting, so that they are spread over every worker that reports meanwhile
 *     rather than all given to the first; zero gives them to the first at once (the reference)
 * @param placementJournalLimit how many recent placement changes the leader keeps so that a
 *     follower is sent only what changed since its copy (see {@code PlacementJournal}); beyond
 *     it, the follower gets the whole placement
 */
public record DispatcherSettings(
    Duration nodeExpirationTimeout,
    Duration warmupDuration,
    Duration unscheduledCheckThreshold,
    Set<String> excludeChecks,
    List<String> extraTags,
    Balancing balancing,
    Duration arrivalWindow,
    int placementJournalLimit) {

  /**
   * Workers report every 10 s (the agent's cluster-checks poll interval), so within one such
   * period every live worker that can reach the leader has reported once.
   */
  public static final Duration DEFAULT_ARRIVAL_WINDOW = Duration.ofSeconds(10);

  /**
   * Load-aware dispatching.
   *
   * @param advancedDispatching place and rebalance by measured load while only cluster check
   *     runners report; by config count otherwise [cluster_checks.advanced_dispatching_enabled]
   * @param excludeFromDispatching check names a rebalance never moves; their load still counts
   *     [cluster_checks.exclude_checks_from_dispatching]
   * @param target a rebalance brings every runner within this factor of the mean utilization
   *     (and the least busy within the mirror factor below it)
   * @param trigger a periodic rebalance starts only when some runner is beyond this factor of the
   *     mean (or below {@code fillBelow}); rebalancing to a tighter target than the trigger leaves a
   *     band that absorbs noisy timings (stickiness), so steady state stays within the trigger
   * @param fillBelow a runner under this factor of the mean is filled, and fillers give down to it
   *     (at most {@code 2 - target}); wider than the trigger's mirror because an under-used runner
   *     only idles [cluster_checks.rebalance_fill_below_percentage]
   * @param minImprovementPercent a periodic rebalance is applied only if it lowers the spread of
   *     utilizations by at least this much [cluster_checks.rebalance_min_percentage_improvement]
   * @param moveBudget the most configs one rebalance moves; 0 means 5% of the configs, at least 10
   */
  public record Balancing(boolean advancedDispatching, Set<String> excludeFromDispatching, double target,
      double trigger, double fillBelow, int minImprovementPercent, int moveBudget) {
    public Balancing {
      excludeFromDispatching = Set.copyOf(excludeFromDispatching);
      if (!(target >= 1.0) || !(fillBelow >= 0)) {
        throw new IllegalArgumentException("need target >= 1 and fillBelow >= 0, got " + target + " and " + fillBelow);
      }
      BandRule broken = BandRule.brokenBy(target, trigger, fillBelow);
      if (broken != null) {
        throw new IllegalArgumentException("target " + target + ", trigger " + trigger + ", fillBelow " + fillBelow
            + ": " + broken.why());
      }
      if (minImprovementPercent < 0 || minImprovementPercent > 100 || moveBudget < 0) {
        throw new IllegalArgumentException("minImprovementPercent in 0..100 and moveBudget >= 0");
      }
    }

    /**
     * The rules between the bands, stated once: the agent's settings name their keys in front of
     * {@link #why()}. A rebalance moves runners into the target band, so each band that starts one
     * must be at least as wide as the target band.
     */
    public enum BandRule {
      TRIGGER("runners are corrected when outside the trigger band, into the target band"),
      FILL_BELOW("runners are filled when below the fill band, into the target band");

      private final String why;

      BandRule(String why) {
        this.why = why;
      }

      public String why() {
        return why;
      }

      /** The first rule these factors break, or null when they fit. */
      public static BandRule brokenBy(double target, double trigger, double fillBelow) {
        if (trigger < target) {
          return TRIGGER;
        }
        return fillBelow > 2 - target + 1e-9 ? FILL_BELOW : null;
      }
    }

    public static Balancing defaults() {
      return new Balancing(true, Set.of(), 1.02, 1.04, 0.95, 10, 0);
    }

    /** The budget for a fleet of {@code configs} configs. */
    public int budgetFor(int configs) {
      return moveBudget > 0 ? moveBudget : Math.max(10, configs / 20);
    }
  }

  public DispatcherSettings(Duration nodeExpirationTimeout, Duration warmupDuration,
      Duration unscheduledCheckThreshold, Set<String> excludeChecks, List<String> extraTags) {
    this(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags,
        Balancing.defaults());
  }

  /** With the default arrival window. */
  public DispatcherSettings(Duration nodeExpirationTimeout, Duration warmupDuration,
      Duration unscheduledCheckThreshold, Set<String> excludeChecks, List<String> extraTags,
      Balancing balancing) {
    this(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags,
        balancing, DEFAULT_ARRIVAL_WINDOW);
  }

  /** With the default placement journal. */
  public DispatcherSettings(Duration nodeExpirationTimeout, Duration warmupDuration,
      Duration unscheduledCheckThreshold, Set<String> excludeChecks, List<String> extraTags,
      Balancing balancing, Duration arrivalWindow) {
    this(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags,
        balancing, arrivalWindow, PlacementJournal.DEFAULT_LIMIT);
  }

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
    unscheduledCheckThreshold = unscheduledThresholdFor(unscheduledCheckThreshold, nodeExpirationTimeout);
    excludeChecks = Set.copyOf(excludeChecks);
    extraTags = List.copyOf(extraTags);
    Objects.requireNonNull(balancing, "balancing");
    Objects.requireNonNull(arrivalWindow, "arrivalWindow");
    if (arrivalWindow.isNegative()) {
      throw new IllegalArgumentException("arrivalWindow must not be negative: " + arrivalWindow);
    }
    if (placementJournalLimit < 1) {
      throw new IllegalArgumentException("placementJournalLimit must be positive: " + placementJournalLimit);
    }
  }

  /**
   * The unscheduled-check threshold in effect: never below the expiration timeout, since a config
   * dangles at least that long when its worker dies.
   */
  public static Duration unscheduledThresholdFor(Duration threshold, Duration nodeExpirationTimeout) {
    return threshold.compareTo(nodeExpirationTimeout) < 0 ? nodeExpirationTimeout : threshold;
  }

  /** The reference's defaults, no exclusions and no extra tags. */
  public static DispatcherSettings defaults() {
    return new DispatcherSettings(Duration.ofSeconds(30), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Set.of(), List.of());
  }

  public DispatcherSettings withNodeExpirationTimeout(Duration d) {
    return new DispatcherSettings(d, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags, balancing, arrivalWindow, placementJournalLimit);
  }

  public DispatcherSettings withWarmupDuration(Duration d) {
    return new DispatcherSettings(nodeExpirationTimeout, d, unscheduledCheckThreshold, excludeChecks, extraTags, balancing, arrivalWindow, placementJournalLimit);
  }

  public DispatcherSettings withUnscheduledCheckThreshold(Duration d) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, d, excludeChecks, extraTags, balancing, arrivalWindow, placementJournalLimit);
  }

  public DispatcherSettings withExcludeChecks(Set<String> names) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, names, extraTags, balancing, arrivalWindow, placementJournalLimit);
  }

  public DispatcherSettings withExtraTags(List<String> tags) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, tags, balancing, arrivalWindow, placementJournalLimit);
  }

  public DispatcherSettings withBalancing(Balancing b) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags, b, arrivalWindow, placementJournalLimit);
  }

  public DispatcherSettings withPlacementJournalLimit(int limit) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags, balancing, arrivalWindow, limit);
  }

  public DispatcherSettings withArrivalWindow(Duration d) {
    return new DispatcherSettings(nodeExpirationTimeout, warmupDuration, unscheduledCheckThreshold, excludeChecks, extraTags, balancing, d, placementJournalLimit);
  }
}
