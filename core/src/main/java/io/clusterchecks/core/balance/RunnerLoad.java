package io.clusterchecks.core.balance;

import java.util.List;

/**
 * A runner as the balancer sees it: a worker (cluster check runner) with its capacity and the
 * load of each config it runs now.
 *
 * @param name the worker's node name
 * @param workers its check workers (the runner's {@code check_runners}); capacity in load units
 * @param checks the configs it runs, with their loads
 */
public record RunnerLoad(String name, int workers, List<CheckLoad> checks) {
  public RunnerLoad {
    if (workers < 1) {
      throw new IllegalArgumentException("a runner has at least one check worker: " + name);
    }
    checks = List.copyOf(checks);
  }

  public double load() {
    double sum = 0;
    for (CheckLoad c : checks) {
      sum += c.load();
    }
    return sum;
  }

  public double utilization() {
    return load() / workers;
  }
}
