package io.clusterchecks.bench.load;

import java.util.Arrays;

/**
 * Every status request of a run with when it started (System.nanoTime), how long it took and
 * whether it was answered, so windows chosen afterwards (the steady window, the first seconds
 * after a failover) are read from one record. Thread-safe.
 */
final class StatusTimeline {
  /** Figures of one window. */
  record Window(double seconds, long answered, long failed, double p50Millis, double p99Millis) {
    double answeredPerSecond() {
      return answered / seconds;
    }
  }

  private long[] starts = new long[1 << 16];
  private long[] micros = new long[1 << 16];
  private boolean[] ok = new boolean[1 << 16];
  private int size;

  synchronized void add(long startNanos, long tookMicros, boolean answered) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      micros = Arrays.copyOf(micros, size * 2);
      ok = Arrays.copyOf(ok, size * 2);
    }
    starts[size] = startNanos;
    micros[size] = tookMicros;
    ok[size] = answered;
    size++;
  }

  /** The requests that started in [from, to): answered and failed counts, latencies of the answered ones. */
  synchronized Window window(long fromNanos, long toNanos) {
    Latencies latencies = new Latencies();
    long answered = 0;
    long failed = 0;
    for (int i = 0; i < size; i++) {
      if (starts[i] >= fromNanos && starts[i] < toNanos) {
        if (ok[i]) {
          answered++;
          latencies.add(micros[i]);
        } else {
          failed++;
        }
      }
    }
    return new Window((toNanos - fromNanos) / 1e9, answered, failed, latencies.percentileMillis(50),
        latencies.percentileMillis(99));
  }
}
