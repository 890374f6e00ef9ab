package io.clusterchecks.server.cli;

import io.clusterchecks.server.StartupException;
import io.clusterchecks.server.settings.SettingsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What a command prints when it fails: one line naming the cause and what to do, and a non-zero
 * exit. The stack trace only with {@code --debug}: an operator reading a refused start needs the
 * key to fix, not the frames that found it.
 */
final class FailureHandler implements IExecutionExceptionHandler {
  static final String DEBUG = "--debug";

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean debug = debugAsked(parsed);
    String line = "clusterchecks " + cmd.getCommandName() + ": " + describe(ex);
    if (!explained(ex) && !debug) {
      line += " (run again with " + DEBUG + " for the stack trace)";
    }
    err.println(line);
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  /** Failures whose message already says what to do. */
  private static boolean explained(Throwable ex) {
    return ex instanceof StartupException || ex instanceof SettingsException
        || ex instanceof IllegalArgumentException;
  }

  /** The message on one line; the exception's kind when it has none. */
  static String describe(Throwable ex) {
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      m = ex.getClass().getSimpleName();
      if (ex.getCause() != null && ex.getCause().getMessage() != null) {
        m += ": " + ex.getCause().getMessage();
      }
    }
    return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static boolean debugAsked(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(DEBUG)) {
        return true;
      }
    }
    return false;
  }
}
