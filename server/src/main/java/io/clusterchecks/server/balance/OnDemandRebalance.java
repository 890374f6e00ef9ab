package io.clusterchecks.server.balance;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.RebalanceResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The one path of a rebalance a person asks for: the API route (which the CLI calls) and the
 * dashboard's button. Runner stats are collected first, so a rebalance right after start, or
 * right after a runner joined, plans on numbers rather than on none.
 */
@FunctionalInterface
public interface OnDemandRebalance {
  CompletableFuture<RebalanceResult> rebalance(boolean force, boolean dryRun);

  /**
   * Through the balancing loop when there is one (advanced dispatching on); else straight to the
   * dispatcher, which answers that advanced dispatching is off.
   */
  static OnDemandRebalance of(Dispatcher dispatcher, Supplier<BalancingLoop> loop) {
    return (force, dryRun) -> {
      BalancingLoop l = loop.get();
      return l == null ? dispatcher.rebalanceOnDemand(force, dryRun) : l.rebalanceOnDemand(force, dryRun);
    };
  }
}
