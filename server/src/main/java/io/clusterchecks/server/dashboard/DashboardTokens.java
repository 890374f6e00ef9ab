package io.clusterchecks.server.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens that open the dashboard: the cluster token (full access) and, when set, a separate
 * read-only token. Both are compared as SHA-256 digests with {@link MessageDigest#isEqual}, and
 * both comparisons always run, so the answer time depends neither on where a guess differs nor
 * on which token it resembles. Tokens are never logged nor echoed.
 */
final class DashboardTokens {
  private final byte[] full;
  private final byte[] readOnly;

  /**
   * @param clusterToken the cluster token (at least 32 characters, as the API requires)
   * @param readOnlyToken a token for read-only access, or null for none
   */
  DashboardTokens(String clusterToken, String readOnlyToken) {
    Objects.requireNonNull(clusterToken, "clusterToken");
    if (readOnlyToken != null && readOnlyToken.length() < 32) {
      throw new IllegalArgumentException("the dashboard read-only token must have at least 32 characters");
    }
    if (clusterToken.equals(readOnlyToken)) {
      throw new IllegalArgumentException("the dashboard read-only token must differ from the cluster token");
    }
    this.full = sha256(clusterToken);
    this.readOnly = readOnlyToken == null ? null : sha256(readOnlyToken);
  }

  /** The access {@code presented} grants, or empty when it is no token of ours. */
  Optional<Access> check(String presented) {
    byte[] digest = sha256(presented == null ? "" : presented);
    boolean isFull = MessageDigest.isEqual(full, digest);
    // Compared against a digest even without a read-only token, so both paths take as long.
    boolean isReadOnly = MessageDigest.isEqual(readOnly == null ? new byte[full.length] : readOnly, digest)
        && readOnly != null;
    if (isFull) {
      return Optional.of(Access.FULL);
    }
    return isReadOnly ? Optional.of(Access.READ_ONLY) : Optional.empty();
  }

  /** {@code Authorization: Bearer <token>}: the access it grants, or empty when absent or wrong. */
  Optional<Access> checkBearer(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Optional.empty();
    }
    return check(authorization.substring("Bearer ".length()));
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
