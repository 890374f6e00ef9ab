package io.clusterchecks.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The tokens the API accepts: the current one, and after a rotation the previous one until its
 * overlap ends, so workers that read the new token a little later than this agent are not refused
 * in between. Only SHA-256 digests of previous tokens are kept; nothing here is ever logged.
 *
 * <p>Thread-safe: one immutable snapshot swapped atomically, read by every request.
 */
public final class AuthTokens {
  /** How long the previous token is still accepted after a rotation. */
  public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(2);

  private record Snapshot(String current, byte[] currentDigest, byte[] previousDigest, Instant previousUntil) {}

  private final InstantSource clock;
  private final Duration overlap;
  private volatile Snapshot snapshot;

  /**
   * @param token the token at start, at least {@link BearerTokenAuth#MIN_TOKEN_LENGTH} characters
   * @throws IllegalArgumentException if the token is too short
   */
  public AuthTokens(String token, Duration overlap, InstantSource clock) {
    requireLongEnough(token);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.overlap = Objects.requireNonNull(overlap, "overlap");
    this.snapshot = new Snapshot(token, sha256(token), null, Instant.MIN);
  }

  /** A token that never rotates. */
  public static AuthTokens fixed(String token) {
    return new AuthTokens(token, DEFAULT_OVERLAP, InstantSource.system());
  }

  /** How long a replaced token is still accepted. */
  public Duration overlap() {
    return overlap;
  }

  /** The token this agent sends itself (to the leader, to runners): always the newest. */
  public String current() {
    return snapshot.current();
  }

  /**
   * Makes {@code token} current; the one it replaces is still accepted for the overlap. The same
   * token again changes nothing.
   *
   * @return false when {@code token} is the current one already
   * @throws IllegalArgumentException if the token is too short (the current one stays)
   */
  public synchronized boolean rotate(String token) {
    requireLongEnough(token);
    Snapshot s = snapshot;
    if (s.current().equals(token)) {
      return false;
    }
    snapshot = new Snapshot(token, sha256(token), s.currentDigest(), clock.instant().plus(overlap));
    return true;
  }

  /**
   * Whether the presented token's digest is an accepted one. Both digests are always compared with
   * {@link MessageDigest#isEqual}, so the time taken says nothing about which one matched.
   */
  boolean accepts(byte[] presentedDigest) {
    Snapshot s = snapshot;
    boolean current = MessageDigest.isEqual(s.currentDigest(), presentedDigest);
    boolean previous = s.previousDigest() != null
        && MessageDigest.isEqual(s.previousDigest(), presentedDigest);
    return current || (previous && clock.instant().isBefore(s.previousUntil()));
  }

  static void requireLongEnough(String token) {
    if (token == null || token.length() < BearerTokenAuth.MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "the auth token must have at least " + BearerTokenAuth.MIN_TOKEN_LENGTH + " characters");
    }
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
