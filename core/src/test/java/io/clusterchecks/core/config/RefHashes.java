package io.clusterchecks.core.config;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Deliberately naive second implementations used to compute expected values independently of the
 * production code: a one-shot MurmurHash3 x64_128 written straight from the algorithm description
 * (ByteBuffer, no streaming), and FNV-1 64 done with BigInteger arithmetic mod 2^64. Both are
 * themselves checked against published vectors in {@link Murmur3Test} and {@link Fnv1Test}.
 */
final class RefHashes {
  private static final BigInteger MOD64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger FNV_PRIME = new BigInteger("100000001b3", 16);
  private static final BigInteger FNV_BASIS = new BigInteger("cbf29ce484222325", 16);

  private RefHashes() {}

  static long[] murmur128(byte[] data, long seed) {
    final long c1 = 0x87c37b91114253d5L;
    final long c2 = 0x4cf5ad432745937fL;
    long h1 = seed;
    long h2 = seed;
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int blocks = data.length / 16;
    for (int i = 0; i < blocks; i++) {
      long k1 = buf.getLong(i * 16);
      long k2 = buf.getLong(i * 16 + 8);
      k1 *= c1; k1 = Long.rotateLeft(k1, 31); k1 *= c2; h1 ^= k1;
      h1 = Long.rotateLeft(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
      k2 *= c2; k2 = Long.rotateLeft(k2, 33); k2 *= c1; h2 ^= k2;
      h2 = Long.rotateLeft(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int tail = blocks * 16;
    int rem = data.length & 15;
    for (int i = rem - 1; i >= 8; i--) {
      k2 = (k2 << 8) | (data[tail + i] & 0xFF);
    }
    for (int i = Math.min(rem, 8) - 1; i >= 0; i--) {
      k1 = (k1 << 8) | (data[tail + i] & 0xFF);
    }
    if (rem > 8) {
      k2 *= c2; k2 = Long.rotateLeft(k2, 33); k2 *= c1; h2 ^= k2;
    }
    if (rem > 0) {
      k1 *= c1; k1 = Long.rotateLeft(k1, 31); k1 *= c2; h1 ^= k1;
    }
    h1 ^= data.length;
    h2 ^= data.length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    return new long[] {h1, h2};
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** murmur3-64 (h1, seed 0) of the UTF-8 concatenation of the pieces. */
  static long murmur64(Object... pieces) {
    return murmur128(concat(pieces), 0)[0];
  }

  static long fnv1(byte[] data) {
    BigInteger h = FNV_BASIS;
    for (byte b : data) {
      h = h.multiply(FNV_PRIME).mod(MOD64).xor(BigInteger.valueOf(b & 0xFF));
    }
    return h.longValue();
  }

  static byte[] concat(Object... pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : pieces) {
      byte[] b = p instanceof byte[] bytes ? bytes : p.toString().getBytes(StandardCharsets.UTF_8);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  static byte[] bigEndian(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(v).array();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
