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

  /** Smoothed measured loads, keyed by the configs' digests without a digest String each. */
  private final DigestMap<Double> measured = DigestMap.map();
  private final Map<String, double[]> byCheckName = new HashMap<>();
  private double fleetMean = DEFAULT_ESTIMATE;

  double load(DispatchedConfig dc) {
    Double m = measured.get(dc.digestBits());
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
    fresh.forEach((digest, load) -> {
      DispatchedConfig dc = configs.apply(digest);
      if (dc != null) { // a config that went is not measured: nothing reads its load
        Double old = measured.get(dc.digestBits());
        measured.put(dc, old == null ? load : old * (1 - SMOOTHING) + load * SMOOTHING);
      }
    });
    byCheckName.clear();
    double[] sum = new double[2];
    measured.forEach((dc, load) -> {
      double[] sc = byCheckName.computeIfAbsent(dc.checkName(), k -> new double[2]);
      sc[0] += load;
      sc[1]++;
      sum[0] += load;
      sum[1]++;
    });
    fleetMean = sum[1] == 0 ? DEFAULT_ESTIMATE : sum[0] / sum[1];
  }

  void forget(DispatchedConfig dc) {
    if (!measured.isEmpty()) {
      measured.remove(dc.digestBits());
    }
  }

  void clear() {
    measured.clear();
    byCheckName.clear();
    fleetMean = DEFAULT_ESTIMATE;
  }
}
