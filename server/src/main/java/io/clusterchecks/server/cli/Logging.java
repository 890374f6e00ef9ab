package io.clusterchecks.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Applies {@code log_level} and {@code log_format_json} to the logging set up by {@link LoggingConfigurator}. */
final class Logging {
  private Logging() {}

  static void setLevel(String level) {
    // Datadog's names: "warning" and "critical" are logback's WARN and ERROR.
    String l = switch (level.toLowerCase(Locale.ROOT)) {
      case "warning" -> "warn";
      case "critical" -> "error";
      default -> level;
    };
    ((Logger) LoggerFactory.getLogger("io.clusterchecks")).setLevel(Level.toLevel(l, Level.INFO));
  }

  /**
   * One JSON object per line on every console appender, with Logback's own encoder: time (epoch
   * milliseconds), level, thread, logger, the formatted message, MDC and key-value pairs, and the
   * exception with its frames as structured fields, so a stack trace stays inside its line.
   */
  static void useJson() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false); // the unformatted pattern; the formatted message says it all
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        appender.stop();
        appender.setEncoder(json);
        appender.start();
      }
    }
  }
}
