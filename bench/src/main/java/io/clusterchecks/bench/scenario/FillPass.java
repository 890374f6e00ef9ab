package io.clusterchecks.bench.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A proposed complement to {@code MinMoveBalancer} (not part of core): a pass that also bounds the
 * least-utilized runner from below, so a runner that joins a fleet already within the target is
 * filled. While the emptiest runner is under {@code (2 - target) × mean}, move to it from the
 * busiest runner the largest config that fits under both the receiver's deficit to the mean and
 * the sender's surplus over the mean (so neither crosses the mean, and few large moves do the
 * job). Works on measured loads, within the same move budget.
 */
final class FillPass {
  private FillPass() {}

  /** A move chosen: config id and destination. */
  record Fill(int config, SimRunner to, double load) {}

  static List<Fill> plan(World w, double target, int budget) {
    List<Fill> fills = new ArrayList<>();
    if (w.alive.size() < 2 || budget <= 0) {
      return fills;
    }
    int n = w.alive.size();
    double[] load = new double[w.all.size()];
    List<TreeSet<long[]>> units = new ArrayList<>();
    for (int i = 0; i < w.all.size(); i++) {
      units.add(null);
    }
    double total = 0;
    double workers = 0;
    for (SimRunner r : w.alive) {
      // {load bits, config}: ordered by load, then config
      TreeSet<long[]> set = new TreeSet<>(Comparator.<long[]>comparingDouble(a -> Double.longBitsToDouble(a[0]))
          .thenComparingLong(a -> a[1]));
      for (int i = 0; i < r.size; i++) {
        int c = r.configs[i];
        double m = w.measured(c);
        set.add(new long[] {Double.doubleToLongBits(m), c});
        load[r.id] += m;
      }
      units.set(r.id, set);
      total += load[r.id];
      workers += r.workers;
    }
    double mean = total / workers;
    double low = (2 - target) * mean;
    TreeSet<SimRunner> byUtil = new TreeSet<>(Comparator.<SimRunner>comparingDouble(r -> load[r.id] / r.workers)
        .thenComparing(r -> r.name));
    byUtil.addAll(w.alive);
    while (fills.size() < budget && n >= 2) {
      SimRunner dst = byUtil.first();
      SimRunner src = byUtil.last();
      if (load[dst.id] / dst.workers >= low || src == dst || load[src.id] / src.workers <= mean) {
        break;
      }
      double want = Math.min(mean * dst.workers - load[dst.id], load[src.id] - mean * src.workers);
      long[] pick = units.get(src.id).floor(new long[] {Double.doubleToLongBits(want), Long.MAX_VALUE});
      if (pick == null || Double.longBitsToDouble(pick[0]) <= 0) {
        break;
      }
      double l = Double.longBitsToDouble(pick[0]);
      byUtil.remove(src);
      byUtil.remove(dst);
      units.get(src.id).remove(pick);
      units.get(dst.id).add(pick);
      load[src.id] -= l;
      load[dst.id] += l;
      byUtil.add(src);
      byUtil.add(dst);
      fills.add(new Fill((int) pick[1], dst, l));
    }
    return fills;
  }
}
