package io.clusterchecks.server.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Jetty writes a WARN for some malformed requests before any of our code runs (a bad
 * {@code Host} header: "Bad Authority", "Bad port"; two {@code Host} headers), each line carrying
 * the client's text. Anyone who reaches the port could fill the log that way. This filter lets one
 * Jetty WARN (or ERROR) line per logger through per minute and counts the rest; when a logger's
 * next line passes, a line of ours says how many were held back. Installed by {@link io.clusterchecks.server.cli.LoggingConfigurator}.
 *
 * <p>The condition is the logger name, never the message: the table stays as small as Jetty's set
 * of loggers whatever clients send.
 */
public final class JettyLogLimiter extends TurboFilter {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final String JETTY = "org.eclipse.jetty";
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(JettyLogLimiter.class);

  private final LogWindows windows;

  public JettyLogLimiter() {
    this(System::nanoTime);
  }

  JettyLogLimiter(LongSupplier nanoTime) {
    this.windows = new LogWindows(INTERVAL, nanoTime);
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    if (level == null || !level.isGreaterOrEqual(Level.WARN) || !logger.getName().startsWith(JETTY)
        || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    long held = windows.admit(logger.getName());
    if (held == LogWindows.HOLD) {
      return FilterReply.DENY;
    }
    if (held > 0) {
      LOG.warn("{} more lines of {} were not logged in the last {} s (one a minute is kept)", held,
          logger.getName(), INTERVAL.toSeconds());
    }
    return FilterReply.NEUTRAL;
  }
}
