package io.clusterchecks.server.balance;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.RunnerTarget;
import io.clusterchecks.core.stats.RunnerStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the dispatcher's load model fed and balanced while this replica dispatches by load:
 * collects runner stats every {@code statsPeriod} (off the dispatch thread; the dispatcher only
 * receives the result) and rebalances every {@code rebalancePeriod}
 * ({@code cluster_checks.rebalance_period}). Collection starts right after warmup, so new configs
 * are placed by measured load long before the first rebalance.
 *
 * <p>Newcomers do not wait a period for their numbers: every {@code watchPeriod} the loop looks at
 * who reports and whether a config changed worker. A runner that joins has its stats (its check
 * workers, the load it carries) collected at once; a config placed or moved has its first
 * measurement collected {@code firstStatsDelay} later, once its worker has fetched it (next
 * status, 10 s) and run it. Several changes within that delay share one collection.
 */
public final class BalancingLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BalancingLoop.class);
  /** How often the loop looks for runners that joined and configs that changed worker. */
  public static final Duration DEFAULT_WATCH_PERIOD = Duration.ofSeconds(2);
  /** A worker fetches a new config at its next status (every 10 s) and runs it at once. */
  public static final Duration DEFAULT_FIRST_STATS_DELAY = Duration.ofSeconds(15);

  /** Fetches runner stats for the given workers, by node name; never throws, failures are absent. */
  @FunctionalInterface
  public interface StatsSource {
    CompletableFuture<Map<String, RunnerStats>> collect(List<RunnerTarget> targets);
  }

  private final Dispatcher dispatcher;
  private final StatsSource stats;
  private final Duration statsPeriod;
  private final Duration rebalancePeriod;
  private final Duration watchPeriod;
  private final Duration firstStatsDelay;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "clusterchecks-balancing");
    t.setDaemon(true);
    return t;
  });
  /** The round running now, if any: an on-demand rebalance waits for it rather than start another. */
  private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();
  private final AtomicBoolean firstStatsPending = new AtomicBoolean();
  /**
   * Timer thread only: how many runners had started reporting, and the placement version, at the
   * last look. Both are counters the dispatcher keeps, so a look costs nothing at any fleet size.
   */
  private long knownArrivals;
  private long knownPlacement = Long.MIN_VALUE;

  public BalancingLoop(Dispatcher dispatcher, StatsSource stats, Duration statsPeriod, Duration rebalancePeriod) {
    this(dispatcher, stats, statsPeriod, rebalancePeriod, DEFAULT_WATCH_PERIOD, DEFAULT_FIRST_STATS_DELAY);
  }

  /**
   * @param watchPeriod how often to look for newcomers; zero: never (only the periods collect)
   * @param firstStatsDelay how long after a config changed worker its first stats are collected
   */
  public BalancingLoop(Dispatcher dispatcher, StatsSource stats, Duration statsPeriod, Duration rebalancePeriod,
      Duration watchPeriod, Duration firstStatsDelay) {
    this.dispatcher = dispatcher;
    this.stats = stats;
    this.statsPeriod = statsPeriod;
    this.rebalancePeriod = rebalancePeriod;
    this.watchPeriod = watchPeriod;
    this.firstStatsDelay = firstStatsDelay;
  }

  public BalancingLoop start() {
    timer.scheduleWithFixedDelay(this::collectOnce, statsPeriod.toMillis(), statsPeriod.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::rebalanceOnce, rebalancePeriod.toMillis(), rebalancePeriod.toMillis(),
        TimeUnit.MILLISECONDS);
    if (!watchPeriod.isZero()) {
      timer.scheduleWithFixedDelay(this::watchForNewcomers, watchPeriod.toMillis(), watchPeriod.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    LOG.info("Load-aware balancing: runner stats every {} s, rebalance every {} s",
        statsPeriod.toSeconds(), rebalancePeriod.toSeconds());
    return this;
  }

  private boolean dispatchingByLoad() {
    return dispatcher.isLeading() && !dispatcher.isWarmingUp() && dispatcher.isLoadAware();
  }

  /**
   * One stats round; a round still running is not doubled (its future is answered). Completes
   * when the stats are handed to the dispatcher, so a command queued after it sees them.
   */
  public CompletableFuture<Void> collectOnce() {
    if (!dispatchingByLoad()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = inFlight.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    try {
      stats.collect(dispatcher.runnerTargets())
          .thenAccept(dispatcher::updateRunnerStats)
          .whenComplete((v, e) -> {
            inFlight.set(null);
            if (e != null) {
              LOG.warn("Collecting runner stats failed: {}", e.toString());
            }
            mine.complete(null);
          });
    } catch (RuntimeException e) {
      inFlight.set(null);
      LOG.warn("Collecting runner stats failed: {}", e.toString());
      mine.complete(null);
    }
    return mine;
  }

  /**
   * A stats round that asks every runner reporting now: when a round is running, it may have
   * listed its runners before the newest joined, so a new round starts once it is done (rounds
   * that wait for the same one share the next).
   */
  public CompletableFuture<Void> collectFresh() {
    CompletableFuture<Void> running = inFlight.get();
    return running == null ? collectOnce() : running.thenCompose(v -> collectOnce());
  }

  /**
   * A rebalance a person asked for: fresh stats from every runner first (concurrently, each
   * within the collector's timeout), then the dispatcher's on-demand rebalance on them. Stats
   * are handed to the dispatch thread before the rebalance is queued behind them.
   */
  public CompletableFuture<io.clusterchecks.core.dispatch.RebalanceResult> rebalanceOnDemand(boolean force,
      boolean dryRun) {
    return collectFresh().thenCompose(v -> dispatcher.rebalanceOnDemand(force, dryRun));
  }

  /** Timer thread: a runner that joined is asked at once; a config that changed worker, soon. */
  void watchForNewcomers() {
    try {
      if (!dispatchingByLoad()) {
        knownArrivals = 0;
        return;
      }
      long arrivals = dispatcher.runnerArrivals();
      boolean joined = arrivals != knownArrivals;
      knownArrivals = arrivals;
      long placement = dispatcher.placementVersion();
      boolean moved = placement != knownPlacement;
      knownPlacement = placement;
      if (joined) {
        LOG.debug("A runner joined: collecting runner stats now");
        collectFresh();
      }
      if (moved && firstStatsPending.compareAndSet(false, true)) {
        timer.schedule(() -> {
          firstStatsPending.set(false);
          collectOnce();
        }, firstStatsDelay.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      LOG.warn("Looking for new runners and configs failed: {}", e.toString());
    }
  }

  private void rebalanceOnce() {
    try {
      if (dispatchingByLoad()) {
        // A command: the answer is logged when the dispatch thread gets to it; nobody waits.
        dispatcher.rebalance(false, false).whenComplete((r, e) -> {
          if (e != null) {
            LOG.warn("Periodic rebalance failed: {}", e.toString());
          } else if (!r.applied()) {
            LOG.debug("Periodic rebalance: {}", r.reason());
          }
        });
      }
    } catch (RuntimeException e) {
      LOG.warn("Periodic rebalance failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
