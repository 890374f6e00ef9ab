package io.clusterchecks.bench.load;

import java.util.Arrays;

/** Request latencies in microseconds, kept whole so percentiles are exact. Thread-safe. */
final class Latencies {
  private long[] values = new long[1 << 12];
  private int size;

  synchronized void add(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  synchronized int count() {
    return size;
  }

  synchronized void clear() {
    size = 0;
  }

  /** The {@code p}-th percentile (0 to 100) in milliseconds, or NaN when empty. */
  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, index))] / 1000.0;
  }
}
