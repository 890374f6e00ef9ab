package io.clusterchecks.bench.scenario;

import io.clusterchecks.core.balance.MinMoveBalancer;
import io.clusterchecks.core.balance.Plan;
import io.clusterchecks.core.balance.RunnerLoad;
import io.clusterchecks.core.balance.CheckLoad;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CPU time of one rebalance of {@code configs} configs over {@code runners} runners from a skewed
 * start: configs placed by measured load (balanced), then one new empty runner and a cost drift.
 * Ours ({@link MinMoveBalancer}, unbounded and with the 1% budget) against the reference's
 * utilization algorithm (a full greedy proposal and the worth-it test) in the same run. Input
 * building is not timed; the median of several runs of thread CPU time is reported.
 */
public final class RebalanceTiming {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private RebalanceTiming() {}

  public static void main(String[] args) {
    int runners = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int configs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    System.out.println(run(runners, configs, 42));
  }

  public static String run(int runnerCount, int configs, long seed) {
    Params p = new Params(runnerCount, 4, configs, 60, 0.5, 0, 600, 0, 0, 0.01, seed);
    World w = new World(p);
    List<SimRunner> rs = new ArrayList<>();
    for (int i = 0; i < runnerCount; i++) {
      rs.add(w.addRunner(ScenarioRunner.runnerName(i)));
    }
    // balanced start: heaviest first on the least loaded
    Integer[] order = new Integer[configs];
    for (int i = 0; i < configs; i++) {
      order[i] = w.birth();
    }
    Arrays.sort(order, (a, b) -> Double.compare(w.trueLoad(b), w.trueLoad(a)));
    RunnerIndex idx = new RunnerIndex();
    for (SimRunner r : rs) {
      idx.put(r, 0, 0);
    }
    for (int c : order) {
      SimRunner r = idx.first();
      w.assign(c, r);
      idx.put(r, r.load / r.workers, 0);
    }
    ScenarioRunner.drift(w, new SplittableRandom(seed ^ 0xD41F7L));
    w.addRunner("runner-new-0");
    // inputs
    List<RunnerLoad> runners = new ArrayList<>();
    int[] workers = new int[w.alive.size()];
    String[] ids = new String[configs];
    double[] needed = new double[configs];
    int[] current = new int[configs];
    int k = 0;
    for (int r = 0; r < w.alive.size(); r++) {
      SimRunner sr = w.alive.get(r);
      workers[r] = sr.workers;
      List<CheckLoad> units = new ArrayList<>();
      for (int i = 0; i < sr.size; i++) {
        int c = sr.configs[i];
        units.add(new CheckLoad(w.digest(c), w.checkName(c), w.trueLoad(c), false));
        ids[k] = w.digest(c);
        needed[k] = w.trueLoad(c);
        current[k] = r;
        k++;
      }
      runners.add(new RunnerLoad(sr.name, sr.workers, units));
    }
    boolean[] pinned = new boolean[configs];
    MinMoveBalancer ours = new MinMoveBalancer(1.05);
    int budget = Math.max(1, configs / 100);
    Plan[] last = new Plan[2];
    long oursAll = median(7, 3, () -> last[0] = ours.plan(runners, Integer.MAX_VALUE));
    long oursBudget = median(7, 3, () -> last[1] = ours.plan(runners, budget));
    int[][] prop = new int[1][];
    boolean[] worth = new boolean[1];
    long ref = median(5, 2, () -> {
      prop[0] = UtilizationAlgorithm.propose(workers, ids, needed, current, pinned, true);
      worth[0] = UtilizationAlgorithm.worthIt(
          UtilizationAlgorithm.Distribution.of(workers, needed, current),
          UtilizationAlgorithm.Distribution.of(workers, needed, prop[0]), 10);
    });
    int refMoves = 0;
    for (int i = 0; i < configs; i++) {
      if (prop[0][i] != current[i]) {
        refMoves++;
      }
    }
    UtilizationAlgorithm.Distribution after = UtilizationAlgorithm.Distribution.of(workers, needed, prop[0]);
    double refMax = Arrays.stream(after.utilization()).max().orElse(0)
        / (Arrays.stream(needed).sum() / Arrays.stream(workers).sum());
    StringBuilder b = new StringBuilder();
    b.append(String.format("#### One rebalance: %,d configs over %,d runners (+1 new empty runner, cost drift)%n%n",
        configs, runnerCount));
    b.append("| algorithm | CPU ms (median) | vs reference utilization | moves | max/mean before → after |\n");
    b.append("|---|---|---|---|---|\n");
    b.append(row("ours, MinMoveBalancer(1.05), no budget", oursAll, ref, last[0].moves().size(), last[0]));
    b.append(row("ours, MinMoveBalancer(1.05), budget " + budget, oursBudget, ref, last[1].moves().size(), last[1]));
    b.append(String.format("| reference utilization (greedy proposal + worth-it%s) | %.1f | 1.00× | %d%s | %.3f → %.3f |%n",
        worth[0] ? "" : ", not worth it", ref / 1e6, refMoves, worth[0] ? "" : " (proposed, not applied)",
        last[0].before().maxOverMean(), refMax));
    return b.toString();
  }

  private static String row(String name, long nanos, long ref, int moves, Plan plan) {
    return String.format("| %s | %.1f | %.3f× | %d | %.3f → %.3f |%n", name, nanos / 1e6, (double) nanos / ref,
        moves, plan.before().maxOverMean(), plan.after().maxOverMean());
  }

  private static long median(int runs, int warmup, Runnable r) {
    for (int i = 0; i < warmup; i++) {
      r.run();
    }
    long[] t = new long[runs];
    for (int i = 0; i < runs; i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      r.run();
      t[i] = THREADS.getCurrentThreadCpuTime() - c0;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }
}
