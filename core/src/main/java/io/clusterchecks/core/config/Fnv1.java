package io.clusterchecks.core.config;

import java.util.Objects;

/**
 * 64-bit FNV-1 (not FNV-1a): multiply by the prime, then xor the byte. This is Go's
 * {@code hash/fnv.New64()}, which the agent uses for check IDs (docs/reference/wire-format.md section 4); FNV-1a would
 * produce different IDs and break the link between runner stats and configs.
 *
 * <p>The API is functional over a {@code long} state so that hashing several pieces as one
 * stream needs no object at all: start from {@link #OFFSET_BASIS} and thread the state through
 * the {@code update} calls.
 */
public final class Fnv1 {
  /** FNV-64 offset basis. */
  public static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  /** FNV-64 prime. */
  public static final long PRIME = 0x100000001b3L;

  private Fnv1() {}

  /** FNV-1 64 of {@code data}. */
  public static long hash64(byte[] data) {
    return update(OFFSET_BASIS, data, 0, data.length);
  }

  public static long update(long state, byte b) {
    return (state * PRIME) ^ (b & 0xFFL);
  }

  public static long update(long state, byte[] data) {
    return update(state, data, 0, data.length);
  }

  public static long update(long state, byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    long h = state;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h * PRIME) ^ (data[i] & 0xFFL);
    }
    return h;
  }

  /** Feeds the 8 bytes of {@code value} in big-endian order (Go's {@code binary.BigEndian.PutUint64}). */
  public static long updateLongBigEndian(long state, long value) {
    long h = state;
    for (int shift = 56; shift >= 0; shift -= 8) {
      h = (h * PRIME) ^ ((value >>> shift) & 0xFFL);
    }
    return h;
  }
}
