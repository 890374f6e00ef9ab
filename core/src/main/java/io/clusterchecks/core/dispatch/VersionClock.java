package io.clusterchecks.core.dispatch;

/**
 * Issues the version tokens of one leadership: each worker's {@code last_change} and the
 * placement copy's version. A token is the pair (term, counter) packed in the int64 the wire
 * carries, so workers see the same field as with the reference:
 *
 * <pre>
 *   bit 63: 0 (tokens are positive; -1 is the worker's "heartbeat only", 0 "never given anything")
 *   bits 62..32: the leadership term (1 to 2^31 - 1), from the election backend
 *   bits 31..0:  a counter, from 1, incremented by every token of the term
 * </pre>
 *
 * No clock is read: a token never repeats within a term whatever the wall clock does, and tokens
 * of a later term are greater than every token of an earlier one, which is how a follower or a
 * worker tells a deposed leader's answer from the current one. A term that exhausts its counter
 * (four billion tokens) carries into the next term's range; a leadership never lives that long.
 * Dispatch thread only.
 */
final class VersionClock {
  static final int COUNTER_BITS = 32;
  static final long MAX_TERM = (1L << 31) - 1;

  private final long term;
  private long last;

  /** @param term the leadership term, 1 to {@link #MAX_TERM} */
  VersionClock(long term) {
    if (term < 1 || term > MAX_TERM) {
      throw new IllegalArgumentException("term out of range: " + term);
    }
    this.term = term;
    this.last = term << COUNTER_BITS;
  }

  long next() {
    return ++last;
  }

  long term() {
    return term;
  }

  /** The term a token was issued in; 0 for 0 and for negative values (not tokens). */
  static long termOf(long token) {
    return token <= 0 ? 0 : token >>> COUNTER_BITS;
  }
}
