package io.clusterchecks.server.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One log line per condition per interval: the first occurrence passes at once, later ones within
 * the interval are counted, and the next one to pass learns how many were held back. Conditions
 * must come from a small fixed set (a logger name, a constant), never from request text, so the
 * table stays small whatever a client sends.
 */
final class LogWindows {
  /** Returned by {@link #admit} when the line must not be written. */
  static final long HOLD = -1;

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long openedAt;
    long held;

    Window(long openedAt) {
      this.openedAt = openedAt;
    }
  }

  LogWindows(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * @return {@link #HOLD} when {@code condition} passed within the interval; else how many lines
   *     of it were held back since it last passed (0 or more)
   */
  long admit(String condition) {
    long now = nanoTime.getAsLong();
    Window w = windows.computeIfAbsent(condition, c -> new Window(now - intervalNanos));
    synchronized (w) {
      if (now - w.openedAt < intervalNanos) {
        w.held++;
        return HOLD;
      }
      long held = w.held;
      w.held = 0;
      w.openedAt = now;
      return held;
    }
  }
}
