package io.clusterchecks.core.dispatch;

/**
 * Digests as the 64-bit values they print: a digest is {@link Long#toHexString} of its value
 * (lowercase, no padding), so text and value map one to one, and text that is not in that exact
 * form names no config.
 */
final class DigestBits {
  private DigestBits() {}

  /** Whether {@code text} is a digest: 1 to 16 lowercase hex digits, no leading zero but "0". */
  static boolean isDigest(String text) {
    int n = text == null ? 0 : text.length();
    if (n == 0 || n > 16 || (n > 1 && text.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The value of a text for which {@link #isDigest} holds. */
  static long parse(String digest) {
    return Long.parseUnsignedLong(digest, 16);
  }

  /** Spreads a value over an int, for a table slot (murmur3's 64-bit finaliser, upper half). */
  static int spread(long bits) {
    long h = bits;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }

  /** The home slot of a spread hash in a table of {@code capacity} slots (any capacity, not only powers of two). */
  static int home(int spread, int capacity) {
    return (int) (((spread & 0xffffffffL) * capacity) >>> 32);
  }

  /** The capacity after {@code capacity} is full: half as much again, at least 8. */
  static int grown(int capacity) {
    return Math.max(8, capacity + (capacity >> 1));
  }

  /**
   * Whether the entry at {@code j}, whose home slot is {@code home}, may move to the empty slot
   * {@code hole} of a linearly probed table: true when {@code hole} lies on its probe path, the
   * cyclic range from {@code home} to {@code j}. That is how removal closes the gap it leaves
   * (backward shift), so lookups stop at the first empty slot and no tombstones are needed.
   */
  static boolean canShift(int hole, int j, int home) {
    return j > hole ? home <= hole || home > j : home <= hole && home > j;
  }
}
