package io.clusterchecks.bench.scenario;

import java.util.Arrays;

/** A runner of the simulated fleet: its check workers and the configs it runs now. */
public final class SimRunner {
  final int id;
  final String name;
  final int workers;
  boolean alive = true;
  int[] configs = new int[16];
  int size;
  /** Sum of the true loads of its configs. */
  double load;

  SimRunner(int id, String name, int workers) {
    this.id = id;
    this.name = name;
    this.workers = workers;
  }

  public String name() {
    return name;
  }

  public int workers() {
    return workers;
  }

  public int size() {
    return size;
  }

  public double load() {
    return load;
  }

  public double utilization() {
    return load / workers;
  }

  /** The configs it runs, a copy. */
  public int[] configIds() {
    return Arrays.copyOf(configs, size);
  }

  @Override
  public String toString() {
    return name;
  }
}
