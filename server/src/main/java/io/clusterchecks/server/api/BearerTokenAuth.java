package io.clusterchecks.server.api;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The shared-token check every {@code /api} request passes (docs/reference/protocol.md section 1), with the reference's statuses
 * and messages, which workers log as they are:
 * <ul>
 *   <li>no {@code Authorization} header: 401 {@code no session token provided}, plus
 *       {@code WWW-Authenticate: Bearer realm="Datadog Agent"};
 *   <li>a scheme other than {@code Bearer}: 401 {@code unsupported authorization scheme: X} when X
 *       is a well-known scheme name, else 401 {@code unsupported authorization scheme} with no
 *       value: what precedes the first space may be the token itself ({@code Authorization:
 *       <token>}, {@code Bearer<TAB><token>}), and the reference's echo would hand it to whatever
 *       logs the client keeps;
 *   <li>anything else that is not exactly {@code Bearer <token>}: 403 {@code invalid session token}.
 * </ul>
 * The token is compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken
 * depends neither on where the first difference is nor on the presented length. No part of the
 * header is logged, and only a scheme from {@link #KNOWN_SCHEMES} is ever echoed.
 */
final class BearerTokenAuth {
  static final String CHALLENGE = "Bearer realm=\"Datadog Agent\"";
  /** The reference asks for at least 32 characters in {@code cluster_agent.auth_token}. */
  static final int MIN_TOKEN_LENGTH = 32;
  /** Scheme names that are not secrets (IANA's registry, lower case), safe to name in a refusal. */
  static final Set<String> KNOWN_SCHEMES = Set.of("basic", "bearer", "digest",
      "dpop", "gnap", "hoba", "mutual", "negotiate", "ntlm", "oauth", "privatetoken", "scram-sha-1",
      "scram-sha-256", "vapid", "aws4-hmac-sha256");

  private final AuthTokens tokens;

  BearerTokenAuth(String token) {
    this(AuthTokens.fixed(token));
  }

  /** Accepts what {@code tokens} accepts at the time of each request (rotation). */
  BearerTokenAuth(AuthTokens tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /** Returns normally if the header carries the token, else throws the API error to answer. */
  void check(String authorization) {
    if (authorization == null || authorization.isEmpty()) {
      throw ApiException.unauthenticated("no session token provided");
    }
    // The reference splits on single spaces: "Bearer  x" or "Bearer x y" are malformed (403).
    String[] parts = authorization.split(" ", -1);
    if (!parts[0].equals("Bearer")) {
      String scheme = parts[0].toLowerCase(Locale.ROOT);
      throw new ApiException(401, KNOWN_SCHEMES.contains(scheme)
          ? "unsupported authorization scheme: " + NodeIdentifiers.printable(parts[0])
          : "unsupported authorization scheme");
    }
    // Always hash and compare, even for a malformed header, so the answer time says nothing.
    boolean tokenMatches = tokens.accepts(AuthTokens.sha256(parts.length > 1 ? parts[1] : ""));
    if (parts.length != 2 || !tokenMatches) {
      throw new ApiException(403, "invalid session token");
    }
  }
}
