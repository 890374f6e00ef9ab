package io.clusterchecks.core.balance;

import java.util.Collection;

/**
 * How balanced a set of runners is: utilization is load divided by check workers.
 *
 * @param minUtilization the least busy runner's utilization
 * @param maxUtilization the busiest runner's utilization
 * @param meanUtilization total load over total workers (what a perfect spread gives everyone)
 * @param stdDev population standard deviation of runner utilizations (the reference's measure)
 */
public record BalanceFigures(double minUtilization, double maxUtilization, double meanUtilization, double stdDev) {

  /** Max over mean: 1.0 is perfect; the target is at most 1.05. 1.0 when there is no load. */
  public double maxOverMean() {
    return meanUtilization <= 0 ? 1.0 : maxUtilization / meanUtilization;
  }

  /** Min over mean: 1.0 is perfect; a runner that just joined shows near 0. */
  public double minOverMean() {
    return meanUtilization <= 0 ? 1.0 : minUtilization / meanUtilization;
  }

  /** Whether some runner is outside {@code [2 - factor, factor]} times the mean. */
  public boolean outside(double factor) {
    return outside(factor, 2 - factor);
  }

  /** Whether some runner is above {@code above} or below {@code below} times the mean. */
  public boolean outside(double above, double below) {
    return maxOverMean() > above || minOverMean() < below;
  }

  public static BalanceFigures of(Collection<double[]> loadAndWorkers) {
    double totalLoad = 0;
    double totalWorkers = 0;
    double max = 0;
    double min = Double.MAX_VALUE;
    int n = 0;
    double sum = 0;
    double sumSq = 0;
    for (double[] lw : loadAndWorkers) {
      double u = lw[0] / lw[1];
      totalLoad += lw[0];
      totalWorkers += lw[1];
      max = Math.max(max, u);
      min = Math.min(min, u);
      sum += u;
      sumSq += u * u;
      n++;
    }
    if (n == 0) {
      return new BalanceFigures(0, 0, 0, 0);
    }
    double meanU = sum / n;
    double variance = Math.max(0, sumSq / n - meanU * meanU);
    return new BalanceFigures(min, max, totalWorkers == 0 ? 0 : totalLoad / totalWorkers, Math.sqrt(variance));
  }
}
