package io.clusterchecks.server.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * One command run in-process through the real picocli setup, with everything it writes captured:
 * picocli's out and err, and the log lines as the console appender would print them (stack traces
 * included). System.out and System.err are not swapped: picocli notices and writes elsewhere.
 */
record CliRun(int exitCode, String out, String err, String log) {

  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %logger - %msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(log);
    appender.start();
    root.addAppender(appender);
    int code;
    try {
      // As the jar's main runs it: the plain agent forms without picocli, a failure through it.
      code = Main.execute(args, () -> {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd;
      });
    } finally {
      root.detachAppender(appender);
      appender.stop();
    }
    return new CliRun(code, out.toString(), err.toString(), log.toString(StandardCharsets.UTF_8));
  }

  /** Everything the run wrote, anywhere. */
  String all() {
    return out + err + log;
  }
}
