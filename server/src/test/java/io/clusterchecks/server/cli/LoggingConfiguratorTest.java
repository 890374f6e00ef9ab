package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.clusterchecks.server.api.JettyLogLimiter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingConfiguratorTest {

  @Test
  void logbackSetsUpTheAgentsLoggingFromTheServiceWithoutAnXmlFile() {
    // This JVM's Logback found LoggingConfigurator through META-INF/services (no logback.xml on
    // the server's class path): the console line format, the levels and the Jetty limiter.
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(context.getTurboFilterList()).hasAtLeastOneElementOfType(JettyLogLimiter.class);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender(LoggingConfigurator.APPENDER)).isInstanceOf(ConsoleAppender.class);
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender(LoggingConfigurator.APPENDER);
    assertThat(console.isStarted()).isTrue();
    assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
        .isEqualTo("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{30} - %msg%n");
    assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.javalin").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.javalin.Javalin").getLevel()).isEqualTo(Level.OFF);
  }

  @Test
  void anOperatorsConfigurationFileIsLeftToLogback() {
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/etc/clusterchecks/logback.xml");
    try {
      LoggerContext fresh = new LoggerContext();
      LoggingConfigurator configurator = new LoggingConfigurator();
      configurator.setContext(fresh);
      assertThat(configurator.configure(fresh)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(fresh.getTurboFilterList()).isEmpty();
      assertThat(fresh.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }

  @Test
  void withoutAFileTheConfiguratorStopsLogbackFromLookingFurther() {
    LoggerContext fresh = new LoggerContext();
    LoggingConfigurator configurator = new LoggingConfigurator();
    configurator.setContext(fresh);
    assertThat(configurator.configure(fresh)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(fresh.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(LoggingConfigurator.APPENDER)).isNotNull();
    fresh.stop();
  }
}
