package io.clusterchecks.bench.scenario;

import java.util.Arrays;
import java.util.TreeSet;

/** Runners ordered by a key the strategy owns, then a tie key, then name. */
final class RunnerIndex {
  private double[] key = new double[64];
  private double[] tie = new double[64];
  private final TreeSet<SimRunner> set = new TreeSet<>((a, b) -> {
    int c = Double.compare(key[a.id], key[b.id]);
    if (c != 0) {
      return c;
    }
    c = Double.compare(tie[a.id], tie[b.id]);
    return c != 0 ? c : a.name.compareTo(b.name);
  });

  void put(SimRunner r, double k, double t) {
    if (r.id >= key.length) {
      int n = Math.max(r.id + 1, key.length * 2);
      key = Arrays.copyOf(key, n);
      tie = Arrays.copyOf(tie, n);
    }
    set.remove(r);
    key[r.id] = k;
    tie[r.id] = t;
    set.add(r);
  }

  void remove(SimRunner r) {
    set.remove(r);
  }

  double key(SimRunner r) {
    return key[r.id];
  }

  SimRunner first() {
    return set.first();
  }

  Iterable<SimRunner> ascending() {
    return set;
  }

  void clear() {
    set.clear();
  }
}
