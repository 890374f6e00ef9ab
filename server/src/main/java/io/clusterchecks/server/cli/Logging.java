package io.clusterchecks.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code log_level} to our loggers. */
final class Logging {
  private Logging() {}

  static void setLevel(String level) {
    // Datadog's names: "warning" and "critical" are logback's WARN and ERROR.
    String l = switch (level.toLowerCase(java.util.Locale.ROOT)) {
      case "warning" -> "warn";
      case "critical" -> "error";
      default -> level;
    };
    ((Logger) LoggerFactory.getLogger("io.clusterchecks")).setLevel(Level.toLevel(l, Level.INFO));
  }
}
