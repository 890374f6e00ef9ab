package io.clusterchecks.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code log_level} to our loggers. */
final class Logging {
  private Logging() {}

  static void setLevel(String level) {
    String l = level.equalsIgnoreCase("critical") ? "error" : level;
    ((Logger) LoggerFactory.getLogger("io.clusterchecks")).setLevel(Level.toLevel(l, Level.INFO));
  }
}
