package io.clusterchecks.server.api;

/**
 * Validates the worker identifier ({@code clc_runner_id}, host name, BOSH id) and the Kubernetes
 * node name taken from request paths, before they reach the dispatcher, logs or metric tags.
 *
 * <p>What real workers send: pod names and Kubernetes node names (DNS-1123: lower-case letters,
 * digits, {@code -} and {@code .}), host names (letters, digits, {@code -}, {@code .}; some cloud
 * host names carry {@code _}), Cloud Foundry BOSH ids (UUIDs). {@code :} is allowed for
 * identifiers built from host:port or IPv6 addresses. Nothing else: no {@code /}, no
 * {@code %}, no control characters, no non-ASCII, no {@code ..} (so no path segment such as
 * {@code .} or {@code ..} survives), at most 253 characters (the DNS name limit).
 */
final class NodeIdentifiers {
  static final int MAX_LENGTH = 253;
  private static final int MAX_ECHOED = 64;

  private NodeIdentifiers() {}

  static boolean isValid(String id) {
    return id != null
        && !id.isEmpty()
        && id.length() <= MAX_LENGTH
        && allowedChars(id)
        && !id.contains("..")
        && !id.equals(".");
  }

  /**
   * Every char is one of {@code [A-Za-z0-9._:-]}. A loop, not a regex: this runs on every status
   * of every worker, and a {@code Matcher} per request was garbage the status route otherwise does
   * not make.
   */
  private static boolean allowedChars(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /** Returns the identifier, or throws the API's 400 naming a safe rendering of it. */
  static String require(String id) {
    if (!isValid(id)) {
      throw new ApiException(400, "invalid node identifier: " + printable(id));
    }
    return id;
  }

  /**
   * A short, log- and header-safe rendering of untrusted text: control and non-ASCII characters
   * become {@code \\uXXXX}, and long input is cut.
   */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    int n = Math.min(s.length(), MAX_ECHOED);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > n) {
      b.append("...(").append(s.length()).append(" chars)");
    }
    return b.toString();
  }
}
