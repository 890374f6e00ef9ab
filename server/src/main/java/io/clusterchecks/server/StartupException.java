package io.clusterchecks.server;

/**
 * The agent cannot start for a reason the operator can fix: the message names the setting or the
 * cause and what to do, in one line, so the command line prints it as is, without a stack trace.
 */
public final class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
