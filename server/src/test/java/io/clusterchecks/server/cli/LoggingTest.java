package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

  @Test
  void jsonFormatWritesOneObjectPerLineWithTheExceptionInside() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
    Encoder<ILoggingEvent> pattern = console.getEncoder();
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Logging.useJson();
      org.slf4j.Logger log = LoggerFactory.getLogger("io.clusterchecks.json-test");
      log.info("conf.d: {} cluster check configs loaded from {}", 3, "/etc/conf.d");
      log.warn("a \"quoted\" word\nand a second line");
      log.error("dispatch failed", new IllegalStateException("boom", new java.io.IOException("cause")));
    } finally {
      System.setOut(stdout);
      console.stop();
      console.setEncoder(pattern);
      console.start();
    }

    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    List<JsonNode> events = new java.util.ArrayList<>();
    for (String line : lines) {
      JsonNode n = new ObjectMapper().readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      events.add(n);
    }
    assertThat(events.get(0).get("level").asString()).isEqualTo("INFO");
    assertThat(events.get(0).get("loggerName").asString()).isEqualTo("io.clusterchecks.json-test");
    assertThat(events.get(0).get("formattedMessage").asString())
        .isEqualTo("conf.d: 3 cluster check configs loaded from /etc/conf.d");
    assertThat(events.get(0).get("timestamp").asLong()).isPositive();
    assertThat(events.get(0).get("threadName").asString()).isNotEmpty();
    assertThat(events.get(1).get("formattedMessage").asString()).isEqualTo("a \"quoted\" word\nand a second line");
    JsonNode thrown = events.get(2).get("throwable");
    assertThat(thrown.get("className").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(thrown.get("message").asString()).isEqualTo("boom");
    assertThat(thrown.get("cause").get("message").asString()).isEqualTo("cause");
  }
}
