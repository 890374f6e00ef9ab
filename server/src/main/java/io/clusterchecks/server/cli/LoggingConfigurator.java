package io.clusterchecks.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.clusterchecks.server.api.JettyLogLimiter;

/**
 * The agent's logging, set up in code: Logback finds this class through
 * {@code META-INF/services} before it would look for {@code logback.xml}. Reading an XML file
 * costs the JDK's XML parser and Logback's Joran, about 500 classes and a noticeable part of start
 * to first answer (docs/benchmarks.md, "Start"). An operator's own file still wins: with
 * {@code -Dlogback.configurationFile}, or a {@code logback.xml} or {@code logback-test.xml} on the
 * class path, Logback reads that as it always did.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {
  static final String APPENDER = "STDOUT";
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{30} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (operatorFile()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // One Jetty warning a minute per logger: some are written per malformed request, with the client's text.
    JettyLogLimiter limiter = new JettyLogLimiter();
    limiter.setContext(context);
    limiter.start();
    context.addTurboFilter(limiter);

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(APPENDER);
    console.setEncoder(encoder);
    console.start();

    // The agent's own lines say what happened; libraries speak up only when something is wrong.
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    context.getLogger("io.javalin").setLevel(Level.WARN);
    // Its only line is "Failed to start Javalin"; the agent reports the same failure with the key to fix.
    context.getLogger("io.javalin.Javalin").setLevel(Level.OFF);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** A configuration file the operator (or a test class path) chose, which Logback's own configurator reads. */
  private static boolean operatorFile() {
    if (System.getProperty("logback.configurationFile") != null) {
      return true;
    }
    ClassLoader loader = LoggingConfigurator.class.getClassLoader();
    return loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
  }
}
