package io.clusterchecks.worker;

import java.io.IOException;

/**
 * A failed call to the cluster agent.
 *
 * <p>The {@link Kind} tells the worker which rule of the provider behaviour applies (docs/reference/protocol.md section 8): an HTTP status answered by the agent ({@link Kind#REMOTE}) and a timeout
 * ({@link Kind#TIMEOUT}) keep the current configs in degraded mode, while any other failure
 * (connection refused, TLS failure, an unreadable answer) may flush them.
 */
public final class ClusterAgentException extends IOException {

  /** How the call failed. */
  public enum Kind {
    /** The agent answered with an HTTP status other than 200 ({@link #statusCode()}, {@link #body()}). */
    REMOTE,
    /** No complete answer within the timeout. */
    TIMEOUT,
    /** Connection, TLS or I/O failure before an answer arrived. */
    TRANSPORT,
    /** The agent answered 200 with a body that is not the expected JSON. */
    DECODE
  }

  /** Bodies are truncated to this many characters in the exception. */
  static final int MAX_BODY_CHARS = 1024;

  private final Kind kind;
  private final int statusCode;
  private final String body;
  private final String request;

  ClusterAgentException(Kind kind, String request, int statusCode, String body, String detail, Throwable cause) {
    super(message(kind, request, statusCode, body, detail), cause);
    this.kind = kind;
    this.request = request;
    this.statusCode = statusCode;
    this.body = body == null ? "" : truncate(body);
  }

  static ClusterAgentException remote(String request, int statusCode, String body) {
    return new ClusterAgentException(Kind.REMOTE, request, statusCode, body, null, null);
  }

  static ClusterAgentException timeout(String request, String detail, Throwable cause) {
    return new ClusterAgentException(Kind.TIMEOUT, request, -1, null, detail, cause);
  }

  static ClusterAgentException transport(String request, Throwable cause) {
    return new ClusterAgentException(Kind.TRANSPORT, request, -1, null, describe(cause), cause);
  }

  static ClusterAgentException decode(String request, int statusCode, String body, Throwable cause) {
    return new ClusterAgentException(Kind.DECODE, request, statusCode, body, describe(cause), cause);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the agent answered, or -1 when no answer arrived. */
  public int statusCode() {
    return statusCode;
  }

  /** The answer's body text (truncated), empty when no answer arrived. */
  public String body() {
    return body;
  }

  /** The request that failed, as {@code METHOD /path}. */
  public String request() {
    return request;
  }

  /** True when the agent itself answered with an error status (the reference's "remote service error"). */
  public boolean isRemoteServiceError() {
    return kind == Kind.REMOTE;
  }

  public boolean isTimeout() {
    return kind == Kind.TIMEOUT;
  }

  private static String message(Kind kind, String request, int statusCode, String body, String detail) {
    StringBuilder sb = new StringBuilder(request).append(": ");
    switch (kind) {
      case REMOTE -> sb.append("HTTP ").append(statusCode);
      case TIMEOUT -> sb.append("timed out");
      case TRANSPORT -> sb.append("transport error");
      case DECODE -> sb.append("unreadable answer (HTTP ").append(statusCode).append(')');
    }
    if (body != null && !body.isBlank()) {
      sb.append(": ").append(truncate(body.strip()));
    }
    if (detail != null && !detail.isBlank()) {
      sb.append(" (").append(detail).append(')');
    }
    return sb.toString();
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return null;
    }
    String msg = t.getMessage();
    return msg == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + msg;
  }

  private static String truncate(String s) {
    return s.length() <= MAX_BODY_CHARS ? s : s.substring(0, MAX_BODY_CHARS) + "…";
  }
}
