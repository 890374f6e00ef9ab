package io.clusterchecks.bench.scenario;

/**
 * The size and knobs of one simulated fleet. Everything that shapes the results is here, so a row
 * of the table is reproducible from these values and the seed.
 *
 * @param runners cluster-check runners (the dispatcher's "workers" / nodes)
 * @param workersPerRunner check workers per runner (capacity in load units)
 * @param configs configs dispatched at the start
 * @param checkTypes distinct check names; each has its own cost level
 * @param meanUtilization the fleet's mean utilization the costs are scaled to
 * @param noiseSigma log-normal noise of a measured load around the true load, drawn again at every
 *     stats collection (what stickiness and worth-it tests are for)
 * @param periodSeconds rebalance period (the reference's default is 10 min)
 * @param warmupPeriods rebalance periods run before the event (steady state is read at the end)
 * @param windowPeriods rebalance periods observed after the event (after a rolling restart: after
 *     its last step)
 * @param oursBudget our move budget per period, as a share of the configs (0 or less: unbounded)
 * @param seed everything random derives from it
 */
public record Params(
    int runners,
    int workersPerRunner,
    int configs,
    int checkTypes,
    double meanUtilization,
    double noiseSigma,
    int periodSeconds,
    int warmupPeriods,
    int windowPeriods,
    double oursBudget,
    long seed) {

  public static final int STEP_SECONDS = 60;

  public static Params quick() {
    return new Params(500, 4, 200_000, 60, 0.5, 0.1, 600, 12, 12, 0.01, 42);
  }

  public static Params full() {
    return new Params(2_000, 4, 1_000_000, 60, 0.5, 0.1, 600, 12, 12, 0.01, 42);
  }

  /** For tests: small and fast. */
  public static Params tiny() {
    return new Params(20, 4, 2_000, 20, 0.5, 0.1, 600, 6, 6, 0.01, 7);
  }

  public Params withSeed(long s) {
    return new Params(runners, workersPerRunner, configs, checkTypes, meanUtilization, noiseSigma,
        periodSeconds, warmupPeriods, windowPeriods, oursBudget, s);
  }

  public Params withOursBudget(double b) {
    return new Params(runners, workersPerRunner, configs, checkTypes, meanUtilization, noiseSigma,
        periodSeconds, warmupPeriods, windowPeriods, b, seed);
  }

  public Params withSize(int r, int c) {
    return new Params(r, workersPerRunner, c, checkTypes, meanUtilization, noiseSigma,
        periodSeconds, warmupPeriods, windowPeriods, oursBudget, seed);
  }
}
