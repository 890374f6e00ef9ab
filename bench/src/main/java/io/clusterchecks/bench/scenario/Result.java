package io.clusterchecks.bench.scenario;

/**
 * One row: one strategy on one scenario. Everything but the CPU figures is a function of the
 * parameters and the seed.
 *
 * @param steadyMax max/mean utilization just before the event
 * @param steadyMin min/mean just before the event
 * @param peakMax the worst max/mean seen from the event to the end
 * @param endMax max/mean at the end of the window
 * @param endMin min/mean at the end of the window
 * @param movedByEvent moves made while handling the event itself (membership change, burst)
 * @param movedInWindow moves from the event to the end, periodic rebalances included
 * @param movedUntilBalanced moves from the event until balanced and staying so (see
 *     {@code balancedAfter}); later moves are the strategy's steady-state churn; -1: never balanced
 * @param minimum the lower bound of moves the event needs (-1: none defined)
 * @param wholeMinimum join only: the tighter lower bound for moves that each carry one whole
 *     config straight to the new runner ({@link ScenarioRunner#joinBound}); -1 otherwise or when
 *     no such plan reaches the floor
 * @param configs configs at the event
 * @param balancedAfter seconds from the end of the event until balanced and staying so; -1: never
 *     within the window
 * @param cpuNanos mean thread CPU time of one rebalance (or ring rebuild), -1 if none
 * @param cpuWhat what {@code cpuNanos} measures
 */
public record Result(
    Scenario scenario,
    String strategy,
    double steadyMax,
    double steadyMin,
    double peakMax,
    double endMax,
    double endMin,
    long movedByEvent,
    long movedInWindow,
    long movedUntilBalanced,
    long minimum,
    long wholeMinimum,
    int configs,
    long balancedAfter,
    long cpuNanos,
    String cpuWhat) {

  /** The result without its CPU figures (for determinism checks). */
  public Result withoutCpu() {
    return new Result(scenario, strategy, steadyMax, steadyMin, peakMax, endMax, endMin, movedByEvent,
        movedInWindow, movedUntilBalanced, minimum, wholeMinimum, configs, balancedAfter, 0, cpuWhat);
  }
}
