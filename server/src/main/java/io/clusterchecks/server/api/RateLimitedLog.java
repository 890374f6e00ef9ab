package io.clusterchecks.server.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * At most one log line per condition per interval, for conditions anybody who can reach the port
 * can cause (a flood, a stranger's bad requests): the first occurrence is logged at once, later
 * ones within the interval are counted, and the next line says how many were not logged.
 */
final class RateLimitedLog {
  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long openedAt;
    long suppressed;

    Window(long openedAt) {
      this.openedAt = openedAt;
    }
  }

  RateLimitedLog(Logger logger, Duration interval, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  RateLimitedLog(Logger logger, Duration interval) {
    this(logger, interval, System::nanoTime);
  }

  /**
   * Logs at WARN unless {@code condition} was logged within the interval.
   *
   * @return true when the line was written
   */
  boolean warn(String condition, String format, Object... args) {
    long now = nanoTime.getAsLong();
    long suppressed;
    boolean write;
    Window w = windows.computeIfAbsent(condition, c -> new Window(now - intervalNanos));
    synchronized (w) {
      write = now - w.openedAt >= intervalNanos;
      if (write) {
        suppressed = w.suppressed;
        w.suppressed = 0;
        w.openedAt = now;
      } else {
        w.suppressed++;
        suppressed = 0;
      }
    }
    if (!write) {
      return false;
    }
    if (suppressed > 0) {
      logger.warn(format + " ({} more since the last line)", append(args, suppressed));
    } else {
      logger.warn(format, args);
    }
    return true;
  }

  private static Object[] append(Object[] args, long extra) {
    Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = extra;
    return all;
  }
}
