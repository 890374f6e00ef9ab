package io.clusterchecks.server.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Each runner's utilization over the last hour: one sample per runner every interval, in rings
 * of floats (an hour at 10 s is 360 samples, 1.4 KB a runner). The chart sends the busiest
 * runners only, plus the mean, because a chart of thousands of lines shows nothing.
 * Used by the sampler thread only.
 */
final class UtilizationHistory {
  /** The chart data as uPlot takes it: times in seconds, then one value array per series. */
  record Chart(List<Long> times, List<String> names, List<List<Double>> values) {
    static final Chart EMPTY = new Chart(List.of(), List.of(), List.of());
  }

  private final int slots;
  private final long[] times;
  private final Map<String, float[]> byRunner = new HashMap<>();
  private final float[] mean;
  private int next;
  private int filled;

  UtilizationHistory(int slots) {
    this.slots = slots;
    this.times = new long[slots];
    this.mean = new float[slots];
  }

  /** Records one sample of every runner's utilization; runners gone for a whole ring are dropped. */
  void record(long atMillis, Map<String, Double> utilization) {
    int slot = next;
    times[slot] = atMillis;
    double sum = 0;
    for (Map.Entry<String, Double> e : utilization.entrySet()) {
      float[] ring = byRunner.computeIfAbsent(e.getKey(), k -> {
        float[] r = new float[slots];
        Arrays.fill(r, Float.NaN);
        return r;
      });
      ring[slot] = e.getValue().floatValue();
      sum += e.getValue();
    }
    mean[slot] = utilization.isEmpty() ? Float.NaN : (float) (sum / utilization.size());
    for (Iterator<Map.Entry<String, float[]>> it = byRunner.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, float[]> e = it.next();
      if (!utilization.containsKey(e.getKey())) {
        e.getValue()[slot] = Float.NaN;
        if (allNaN(e.getValue())) {
          it.remove();
        }
      }
    }
    next = (next + 1) % slots;
    filled = Math.min(slots, filled + 1);
  }

  /** The mean and the {@code maxSeries} runners with the highest latest utilization, oldest sample first. */
  Chart chart(int maxSeries) {
    if (filled == 0) {
      return Chart.EMPTY;
    }
    int last = (next - 1 + slots) % slots;
    List<String> top = byRunner.entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<String, float[]> e) -> latest(e.getValue(), last)).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(maxSeries)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
    List<Long> t = new ArrayList<>(filled);
    List<String> names = new ArrayList<>();
    List<List<Double>> values = new ArrayList<>();
    names.add("mean");
    values.add(new ArrayList<>(filled));
    for (String r : top) {
      names.add(r);
      values.add(new ArrayList<>(filled));
    }
    int start = (next - filled + slots) % slots;
    for (int i = 0; i < filled; i++) {
      int s = (start + i) % slots;
      t.add(times[s] / 1000);
      values.get(0).add(value(mean[s]));
      for (int j = 0; j < top.size(); j++) {
        values.get(j + 1).add(value(byRunner.get(top.get(j))[s]));
      }
    }
    return new Chart(t, names, values);
  }

  private static double latest(float[] ring, int last) {
    float v = ring[last];
    return Float.isNaN(v) ? -1 : v;
  }

  private static Double value(float f) {
    return Float.isNaN(f) ? null : Math.round(f * 1000.0) / 1000.0;
  }

  private static boolean allNaN(float[] ring) {
    for (float f : ring) {
      if (!Float.isNaN(f)) {
        return false;
      }
    }
    return true;
  }
}
