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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the dispatcher's load model fed and balanced while this replica dispatches by load:
 * collects runner stats every {@code statsPeriod} (off the dispatch thread; the dispatcher only
 * receives the result) and rebalances every {@code rebalancePeriod}
 * ({@code cluster_checks.rebalance_period}). Collection starts right after warmup, so new configs
 * are placed by measured load long before the first rebalance.
 */
public final class BalancingLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BalancingLoop.class);

  /** Fetches runner stats for the given workers, by node name; never throws, failures are absent. */
  @FunctionalInterface
  public interface StatsSource {
    CompletableFuture<Map<String, RunnerStats>> collect(List<RunnerTarget> targets);
  }

  private final Dispatcher dispatcher;
  private final StatsSource stats;
  private final Duration statsPeriod;
  private final Duration rebalancePeriod;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "clusterchecks-balancing");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean collecting = new AtomicBoolean();

  public BalancingLoop(Dispatcher dispatcher, StatsSource stats, Duration statsPeriod, Duration rebalancePeriod) {
    this.dispatcher = dispatcher;
    this.stats = stats;
    this.statsPeriod = statsPeriod;
    this.rebalancePeriod = rebalancePeriod;
  }

  public BalancingLoop start() {
    timer.scheduleWithFixedDelay(this::collectOnce, statsPeriod.toMillis(), statsPeriod.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::rebalanceOnce, rebalancePeriod.toMillis(), rebalancePeriod.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("Load-aware balancing: runner stats every {} s, rebalance every {} s",
        statsPeriod.toSeconds(), rebalancePeriod.toSeconds());
    return this;
  }

  private boolean dispatchingByLoad() {
    return dispatcher.isLeading() && !dispatcher.isWarmingUp() && dispatcher.isLoadAware();
  }

  /** One stats round; a round still running is not doubled. Returns when the stats are handed over. */
  public CompletableFuture<Void> collectOnce() {
    if (!dispatchingByLoad() || !collecting.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return stats.collect(dispatcher.runnerTargets())
          .thenAccept(dispatcher::updateRunnerStats)
          .whenComplete((v, e) -> {
            collecting.set(false);
            if (e != null) {
              LOG.warn("Collecting runner stats failed: {}", e.toString());
            }
          });
    } catch (RuntimeException e) {
      collecting.set(false);
      LOG.warn("Collecting runner stats failed: {}", e.toString());
      return CompletableFuture.completedFuture(null);
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
