package io.clusterchecks.bench.scenario;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The reference's utilization rebalance (docs/reference/dispatcher.md section 10.4,
 * with the Gen-3 stickiness and pinning), written from its description: a proposal is built from
 * empty runners by placing pinned units on their runner, then every other unit in decreasing
 * workers needed on the least-busy runner; it is applied only if the worth-it test passes.
 *
 * <p>The least-busy runner is found by a scan over all runners per unit, as the reference does, so
 * the cost is O(units × runners).
 */
public final class UtilizationAlgorithm {
  public static final double STICKINESS_FACTOR = 4;
  public static final double STICKINESS_LOWER = 0.05;
  public static final double STICKINESS_UPPER = 1;
  public static final double HIGH_UTILIZATION = 0.8;

  private UtilizationAlgorithm() {}

  /** Utilization of one runner: 0 when it has no workers (docs/reference/scenarios.md item 39). */
  public static double utilization(double used, int workers) {
    return workers == 0 ? 0 : used / workers;
  }

  /** What stickiness subtracts from the unit's current runner's utilization. */
  public static double stickinessBonus(double workersNeeded) {
    return Math.max(STICKINESS_LOWER, Math.min(STICKINESS_UPPER, workersNeeded * STICKINESS_FACTOR));
  }

  /**
   * The least-busy runner for a unit (docs/reference/dispatcher.md section 10.4 step 3;
   * docs/reference/scenarios.md item 40): lowest utilization; on a tie the
   * preferred (current) runner; otherwise fewer units, unless the current leader is the preferred
   * runner. The preferred runner's utilization is lowered by {@code bonus} (stickiness; 0 = off).
   *
   * @return the runner's index, or -1 when there are no runners
   */
  public static int leastBusy(double[] used, int[] workers, int[] units, int preferred, double bonus) {
    int best = -1;
    double bestU = 0;
    for (int r = 0; r < used.length; r++) {
      double u = utilization(used[r], workers[r]);
      if (r == preferred) {
        u -= bonus;
      }
      if (best < 0 || u < bestU) {
        best = r;
        bestU = u;
      } else if (u == bestU) {
        if (r == preferred) {
          best = r;
        } else if (best != preferred && units[r] < units[best]) {
          best = r;
        }
      }
    }
    return best;
  }

  /**
   * Builds the proposal.
   *
   * @param workers check workers per runner
   * @param ids unit ids (tie-break order)
   * @param needed workers needed per unit (already capped at 1)
   * @param current current runner index per unit
   * @param pinned units that stay where they are
   * @param stickiness Gen-3 stickiness on
   * @return the proposed runner per unit
   */
  public static int[] propose(int[] workers, String[] ids, double[] needed, int[] current,
      boolean[] pinned, boolean stickiness) {
    int runners = workers.length;
    int n = needed.length;
    double[] used = new double[runners];
    int[] count = new int[runners];
    int[] proposed = new int[n];
    Integer[] order = new Integer[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (pinned[i]) {
        proposed[i] = current[i];
        used[current[i]] += needed[i];
        count[current[i]]++;
      } else {
        order[k++] = i;
      }
    }
    for (int i : order(ids, needed, Arrays.copyOf(order, k))) {
      double bonus = stickiness ? stickinessBonus(needed[i]) : 0;
      int r = leastBusy(used, workers, count, current[i], bonus);
      proposed[i] = r;
      used[r] += needed[i];
      count[r]++;
    }
    return proposed;
  }

  /** Placement order: decreasing workers needed, ties by id (docs/reference/scenarios.md item 42). */
  public static Integer[] order(String[] ids, double[] needed, Integer[] units) {
    Integer[] o = units.clone();
    Arrays.sort(o, Comparator.<Integer>comparingDouble(i -> -needed[i]).thenComparing(i -> ids[i]));
    return o;
  }

  /** Per runner: {utilization...}, units count, for one distribution. */
  public record Distribution(double[] utilization, int[] units) {
    public static Distribution of(int[] workers, double[] needed, int[] runnerOfUnit) {
      double[] used = new double[workers.length];
      int[] count = new int[workers.length];
      for (int i = 0; i < needed.length; i++) {
        used[runnerOfUnit[i]] += needed[i];
        count[runnerOfUnit[i]]++;
      }
      double[] u = new double[workers.length];
      for (int r = 0; r < u.length; r++) {
        u[r] = UtilizationAlgorithm.utilization(used[r], workers[r]);
      }
      return new Distribution(u, count);
    }

    /** Population standard deviation of the runners' utilization (docs/reference/scenarios.md item 45). */
    public double stdDev() {
      int n = utilization.length;
      if (n == 0) {
        return 0;
      }
      double mean = 0;
      for (double u : utilization) {
        mean += u;
      }
      mean /= n;
      double var = 0;
      for (double u : utilization) {
        var += (u - mean) * (u - mean);
      }
      return Math.sqrt(var / n);
    }

    /** Runners above 0.8 utilization (docs/reference/scenarios.md item 44). */
    public int highUtilization() {
      int h = 0;
      for (double u : utilization) {
        if (u > HIGH_UTILIZATION) {
          h++;
        }
      }
      return h;
    }

    /** Runners without units (docs/reference/scenarios.md item 43). */
    public int empty() {
      int e = 0;
      for (int c : units) {
        if (c == 0) {
          e++;
        }
      }
      return e;
    }
  }

  /**
   * The worth-it test (docs/reference/dispatcher.md section 10.4 step 4): with σ below 0.1, only if the proposal has fewer runners above
   * 0.8 or fewer empty runners; otherwise if σ improves by at least {@code minImprovementPercent}.
   */
  public static boolean worthIt(Distribution current, Distribution proposed, double minImprovementPercent) {
    double sc = current.stdDev();
    if (sc < 0.1) {
      return proposed.highUtilization() < current.highUtilization() || proposed.empty() < current.empty();
    }
    return proposed.stdDev() < sc * (100 - minImprovementPercent) / 100;
  }
}
