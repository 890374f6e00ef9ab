package io.clusterchecks.core.dispatch;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Issues per-node config version tokens ({@code last_change}) that never repeat.
 *
 * <p>Tokens are wall-clock nanoseconds since the epoch, bumped to stay strictly increasing. A
 * worker that echoes a token from an earlier incarnation of a node, or from an agent that ran
 * before a restart, therefore never matches a fresh token by accident (the reference's second
 * resolution tokens did, PR 14367). This holds as long as the wall clock does not step back by
 * more than the time between restarts. 0 is reserved: a node that was never given anything.
 * Dispatch thread only.
 */
final class VersionClock {
  private final InstantSource clock;
  private long last;

  VersionClock(InstantSource clock) {
    this.clock = clock;
  }

  long next() {
    Instant now = clock.instant();
    long nanos = Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L) + now.getNano();
    last = Math.max(last + 1, nanos);
    return last;
  }
}
