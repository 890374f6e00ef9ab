package io.clusterchecks.core.balance;

/**
 * A config as the balancer moves it: all its instances together (a multi-instance config is
 * dispatched as one config, so it moves as one; docs/reference/known-problems.md item 11).
 *
 * @param digest the config's digest
 * @param checkName for logs and answers
 * @param load check workers it keeps busy: the sum over its instances of average execution time
 *     divided by collection interval (docs/reference/dispatcher.md section 10), each instance capped at 1
 * @param pinned never moved by a rebalance: excluded from dispatching by name, or no timing data
 *     yet (its load is an estimate)
 */
public record CheckLoad(String digest, String checkName, double load, boolean pinned) {
  public CheckLoad {
    if (!(load >= 0) || Double.isInfinite(load)) {
      throw new IllegalArgumentException("load must be a finite non-negative number: " + load);
    }
  }
}
