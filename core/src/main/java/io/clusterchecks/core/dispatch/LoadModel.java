package io.clusterchecks.core.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What each config costs, in check workers it keeps busy: run time over collection interval, per
 * instance capped at 1, summed over the config's instances (docs/reference/dispatcher.md section 10). Measured values come from
 * runner stats and are smoothed, so one noisy sample does not move a check; configs without timing
 * data yet are estimated from configs of the same check name, else from the fleet's mean.
 * Dispatch thread only.
 */
final class LoadModel {
  /** A check with nothing known about it: 150 ms every 15 s. */
  static final double DEFAULT_ESTIMATE = 0.01;
  /** Weight of a new sample against the smoothed value. */
  private static final double SMOOTHING = 0.5;

  private final Map<String, Double> measured = new HashMap<>();
  private final Map<String, double[]> byCheckName = new HashMap<>();
  private double fleetMean = DEFAULT_ESTIMATE;

  double load(DispatchedConfig dc) {
    Double m = measured.get(dc.digest());
    return m != null ? m : estimate(dc.checkName());
  }

  boolean isMeasured(String digest) {
    return measured.containsKey(digest);
  }

  double estimate(String checkName) {
    double[] sumCount = byCheckName.get(checkName);
    return sumCount == null ? fleetMean : sumCount[0] / sumCount[1];
  }

  /** Folds in fresh measurements (digest to load) and refreshes the estimates. */
  void update(Map<String, Double> fresh, Function<String, DispatchedConfig> configs) {
    fresh.forEach((digest, load) -> measured.merge(digest, load,
        (old, now) -> old * (1 - SMOOTHING) + now * SMOOTHING));
    byCheckName.clear();
    double sum = 0;
    int count = 0;
    for (Map.Entry<String, Double> e : measured.entrySet()) {
      DispatchedConfig dc = configs.apply(e.getKey());
      if (dc == null) {
        continue;
      }
      double[] sc = byCheckName.computeIfAbsent(dc.checkName(), k -> new double[2]);
      sc[0] += e.getValue();
      sc[1]++;
      sum += e.getValue();
      count++;
    }
    fleetMean = count == 0 ? DEFAULT_ESTIMATE : sum / count;
  }

  void forget(String digest) {
    measured.remove(digest);
  }

  void clear() {
    measured.clear();
    byCheckName.clear();
    fleetMean = DEFAULT_ESTIMATE;
  }
}
