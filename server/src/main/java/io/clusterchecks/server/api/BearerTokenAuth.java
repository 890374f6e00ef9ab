package io.clusterchecks.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared-token check every {@code /api} request passes (§1.1), with the reference's statuses
 * and messages, which workers log as they are:
 * <ul>
 *   <li>no {@code Authorization} header: 401 {@code no session token provided}, plus
 *       {@code WWW-Authenticate: Bearer realm="Datadog Agent"};
 *   <li>a scheme other than {@code Bearer}: 401 {@code unsupported authorization scheme: X};
 *   <li>anything else that is not exactly {@code Bearer <token>}: 403 {@code invalid session token}.
 * </ul>
 * The token is compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken
 * depends neither on where the first difference is nor on the presented length. The token is
 * never logged nor echoed.
 */
final class BearerTokenAuth {
  static final String CHALLENGE = "Bearer realm=\"Datadog Agent\"";
  /** The reference asks for at least 32 characters in {@code cluster_agent.auth_token}. */
  static final int MIN_TOKEN_LENGTH = 32;

  private final byte[] expectedDigest;

  BearerTokenAuth(String token) {
    if (token == null || token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "the auth token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    this.expectedDigest = sha256(token);
  }

  /** Returns normally if the header carries the token, else throws the API error to answer. */
  void check(String authorization) {
    if (authorization == null || authorization.isEmpty()) {
      throw ApiException.unauthenticated("no session token provided");
    }
    // The reference splits on single spaces: "Bearer  x" or "Bearer x y" are malformed (403).
    String[] parts = authorization.split(" ", -1);
    if (!parts[0].equals("Bearer")) {
      throw new ApiException(401,
          "unsupported authorization scheme: " + NodeIdentifiers.printable(parts[0]));
    }
    // Always hash and compare, even for a malformed header, so the answer time says nothing.
    boolean tokenMatches = MessageDigest.isEqual(expectedDigest,
        sha256(parts.length > 1 ? parts[1] : ""));
    if (parts.length != 2 || !tokenMatches) {
      throw new ApiException(403, "invalid session token");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
