package io.clusterchecks.core.config;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * MurmurHash3 x64_128 (Austin Appleby's public-domain design), exposed the way the Datadog agent
 * uses it: the config digest is Go's {@code twmb/murmur3} {@code New64()}, which is the first half
 * ({@code h1}) of the 128-bit hash with seed 0 over the concatenation of every {@code Write}.
 *
 * <p>Why a hand-written implementation: the digest is part of the wire protocol (workers and the
 * dispatcher compare it), so it must be byte-exact with the Go agent, including how several
 * {@code Write} calls form one stream. {@link Hasher} reproduces exactly that: updates are
 * concatenated, block boundaries are independent of how the input was split.
 *
 * <p>Allocation-free hashing: {@link Hasher} keeps its state (including the up-to-15 pending tail
 * bytes) in primitive fields, so a short-lived hasher is a candidate for scalar replacement and
 * strings are encoded to UTF-8 on the fly rather than through {@code String.getBytes}.
 */
public final class Murmur3 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Murmur3() {}

  /** Both halves of a MurmurHash3 x64_128 result, in the reference's output order. */
  public record Hash128(long h1, long h2) {}

  /** {@code twmb/murmur3.Sum64}: h1 of the x64_128 hash with seed 0. */
  public static long hash64(byte[] data) {
    return hash64(data, 0, data.length);
  }

  /** {@code twmb/murmur3.Sum64} over {@code data[off, off+len)}. */
  public static long hash64(byte[] data, int off, int len) {
    return new Hasher(0).update(data, off, len).finish();
  }

  /** The full 128-bit hash; the seed initialises both halves, as in the reference and twmb. */
  public static Hash128 hash128(byte[] data, int off, int len, long seed) {
    return new Hasher(seed).update(data, off, len).finish128();
  }

  /** A streaming hasher with seed 0, i.e. {@code twmb/murmur3.New64()}. */
  public static Hasher newHasher() {
    return new Hasher(0);
  }

  /**
   * Streaming form with Go {@code hash.Hash64} write semantics: the result depends only on the
   * concatenation of all updates. {@link #finish()} does not change the state, so more data may
   * be added afterwards (as with Go's {@code Sum64}). Not thread-safe.
   */
  public static final class Hasher {
    private final long seed;
    private long h1;
    private long h2;
    /** Pending tail bytes 0..7 (little-endian packed) and 8..15. */
    private long tail0;
    private long tail1;
    private int pending;
    private long length;

    public Hasher(long seed) {
      this.seed = seed;
      reset();
    }

    /** Returns to the initial state so the object can be reused. */
    public Hasher reset() {
      h1 = seed;
      h2 = seed;
      tail0 = 0;
      tail1 = 0;
      pending = 0;
      length = 0;
      return this;
    }

    public Hasher update(byte b) {
      length++;
      push(b);
      return this;
    }

    public Hasher update(byte[] data) {
      return update(data, 0, data.length);
    }

    public Hasher update(byte[] data, int off, int len) {
      Objects.checkFromIndexSize(off, len, data.length);
      length += len;
      int end = off + len;
      while (pending != 0 && off < end) {
        push(data[off++]);
      }
      while (end - off >= 16) {
        mix((long) LE_LONG.get(data, off), (long) LE_LONG.get(data, off + 8));
        off += 16;
      }
      while (off < end) {
        push(data[off++]);
      }
      return this;
    }

    /**
     * Feeds the UTF-8 encoding of {@code s}, without allocating. Unpaired surrogates become
     * {@code '?'}, exactly as {@code s.getBytes(UTF_8)} would encode them.
     */
    public Hasher update(CharSequence s) {
      for (int i = 0, n = s.length(); i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          update((byte) c);
        } else if (c < 0x800) {
          update((byte) (0xC0 | (c >> 6)));
          update((byte) (0x80 | (c & 0x3F)));
        } else if (Character.isSurrogate(c)) {
          if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(++i));
            update((byte) (0xF0 | (cp >> 18)));
            update((byte) (0x80 | ((cp >> 12) & 0x3F)));
            update((byte) (0x80 | ((cp >> 6) & 0x3F)));
            update((byte) (0x80 | (cp & 0x3F)));
          } else {
            update((byte) '?');
          }
        } else {
          update((byte) (0xE0 | (c >> 12)));
          update((byte) (0x80 | ((c >> 6) & 0x3F)));
          update((byte) (0x80 | (c & 0x3F)));
        }
      }
      return this;
    }

    /** {@code Sum64()}: h1 of the hash of everything written so far. */
    public long finish() {
      long a = h1;
      long b = h2;
      if (pending > 8) {
        b ^= mixK2(tail1);
      }
      if (pending > 0) {
        a ^= mixK1(tail0);
      }
      a ^= length;
      b ^= length;
      a += b;
      b += a;
      a = fmix(a);
      b = fmix(b);
      a += b;
      return a;
    }

    /** Both halves of the hash of everything written so far. */
    public Hash128 finish128() {
      long a = h1;
      long b = h2;
      if (pending > 8) {
        b ^= mixK2(tail1);
      }
      if (pending > 0) {
        a ^= mixK1(tail0);
      }
      a ^= length;
      b ^= length;
      a += b;
      b += a;
      a = fmix(a);
      b = fmix(b);
      a += b;
      b += a;
      return new Hash128(a, b);
    }

    private void push(byte b) {
      long v = b & 0xFFL;
      if (pending < 8) {
        tail0 |= v << (pending << 3);
      } else {
        tail1 |= v << ((pending - 8) << 3);
      }
      if (++pending == 16) {
        mix(tail0, tail1);
        tail0 = 0;
        tail1 = 0;
        pending = 0;
      }
    }

    private void mix(long k1, long k2) {
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
  }

  private static long mixK1(long k1) {
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    return k1 * C2;
  }

  private static long mixK2(long k2) {
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    return k2 * C1;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
