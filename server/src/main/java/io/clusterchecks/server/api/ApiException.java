package io.clusterchecks.server.api;

/**
 * A request the API refuses: the HTTP status and the plain-text message the client sees.
 * Messages are part of the wire protocol where the reference defines them (see docs/api.md),
 * so callers pass them verbatim.
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final boolean challenge;

  ApiException(int status, String message) {
    this(status, message, false);
  }

  private ApiException(int status, String message, boolean challenge) {
    super(message, null, false, false);
    this.status = status;
    this.challenge = challenge;
  }

  /** A 401 that also asks for credentials with a {@code WWW-Authenticate} header. */
  static ApiException unauthenticated(String message) {
    return new ApiException(401, message, true);
  }

  int status() {
    return status;
  }

  boolean challenge() {
    return challenge;
  }
}
