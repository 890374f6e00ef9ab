package io.clusterchecks.core.balance;

import java.util.List;

/**
 * A worker with its capacity and what it runs now.
 *
 * @param name the worker's node name
 * @param workers its check workers (the runner's {@code check_runners}); capacity in load units
 * @param units the configs it runs
 */
public record Runner(String name, int workers, List<Unit> units) {
  public Runner {
    if (workers < 1) {
      throw new IllegalArgumentException("a runner has at least one check worker: " + name);
    }
    units = List.copyOf(units);
  }

  public double load() {
    double sum = 0;
    for (Unit u : units) {
      sum += u.load();
    }
    return sum;
  }

  public double utilization() {
    return load() / workers;
  }
}
