package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class LoggingTest {
  private final Logger ours = (Logger) LoggerFactory.getLogger("io.clusterchecks");

  @AfterEach
  void restore() {
    ours.setLevel(null);
  }

  @ParameterizedTest
  @CsvSource({"debug,DEBUG", "info,INFO", "warn,WARN", "warning,WARN", "WARNING,WARN", "error,ERROR",
      "critical,ERROR", "off,OFF", "trace,TRACE"})
  void datadogLevelNamesMapToLogback(String configured, String expected) {
    Logging.setLevel(configured);
    assertThat(ours.getLevel()).isEqualTo(Level.toLevel(expected));
  }
}
