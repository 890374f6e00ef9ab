package io.clusterchecks.server.dashboard;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the dashboard. A browser cannot put a bearer header on an
 * {@code EventSource}, so the page sends the token once and gets a random session id in an
 * HttpOnly, SameSite=Strict cookie (Secure over TLS); scripts never see it and other sites never
 * send it. Only the SHA-256 of each id is kept, so a heap dump shows no usable session. Sessions
 * end after a fixed lifetime (no sliding renewal) and their number is bounded.
 */
final class DashboardSessions {
  /** A session in the store; {@code expiresAtMillis} is absolute. */
  record Session(Access access, long expiresAtMillis) {}

  /** A new session: the cookie value to hand out once, and its lifetime. */
  record Issued(String id, Duration lifetime) {}

  private final InstantSource clock;
  private final Duration lifetime;
  private final int maxSessions;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> byDigest = new ConcurrentHashMap<>();

  DashboardSessions(InstantSource clock, Duration lifetime, int maxSessions) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.maxSessions = maxSessions;
  }

  /** A new session with {@code access}, or empty when the store is full of live sessions. */
  Optional<Issued> open(Access access) {
    long now = clock.millis();
    if (byDigest.size() >= maxSessions) {
      byDigest.values().removeIf(s -> s.expiresAtMillis() <= now);
      if (byDigest.size() >= maxSessions) {
        return Optional.empty();
      }
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byDigest.put(key(id), new Session(access, now + lifetime.toMillis()));
    return Optional.of(new Issued(id, lifetime));
  }

  /** The live session of this cookie value, if any. */
  Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return Optional.empty();
    }
    String k = key(id);
    Session s = byDigest.get(k);
    if (s == null) {
      return Optional.empty();
    }
    if (s.expiresAtMillis() <= clock.millis()) {
      byDigest.remove(k, s);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Ends the session (logout). */
  void close(String id) {
    if (id != null && id.length() <= 64) {
      byDigest.remove(key(id));
    }
  }

  boolean isLive(Session s) {
    return s.expiresAtMillis() > clock.millis();
  }

  int size() {
    return byDigest.size();
  }

  private static String key(String id) {
    return HexFormat.of().formatHex(DashboardTokens.sha256(id));
  }
}
