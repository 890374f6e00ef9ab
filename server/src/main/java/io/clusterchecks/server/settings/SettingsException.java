package io.clusterchecks.server.settings;

/**
 * A setting has a value we cannot use. The message names the key, where the value came from (the
 * settings file path or the environment variable) and the value itself, except for secrets, whose
 * value is never put in a message.
 */
public class SettingsException extends RuntimeException {
  public SettingsException(String message) {
    super(message);
  }

  public SettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
