package io.clusterchecks.server.api;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * A WARN line for a condition anybody who reaches the port can cause (a flood), written at most
 * once per interval; the next line says how many were held back.
 */
final class RateLimitedLog {
  private final Logger logger;
  private final LogWindows windows;

  RateLimitedLog(Logger logger, LogWindows windows) {
    this.logger = logger;
    this.windows = windows;
  }

  RateLimitedLog(Logger logger, Duration interval) {
    this(logger, new LogWindows(interval, System::nanoTime));
  }

  /**
   * Logs at WARN unless {@code condition} (a constant) was logged within the interval.
   *
   * @return true when the line was written
   */
  boolean warn(String condition, String format, Object... args) {
    long held = windows.admit(condition);
    if (held == LogWindows.HOLD) {
      return false;
    }
    if (held > 0) {
      Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
      all[args.length] = held;
      logger.warn(format + " ({} more since the last line)", all);
    } else {
      logger.warn(format, args);
    }
    return true;
  }
}
