package io.clusterchecks.core.config;

import static io.clusterchecks.core.config.RefHashes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Murmur3Test {

  /**
   * Vectors from twmb/murmur3's murmur_test.go (the Go library the agent uses): h64_1 is what
   * New64/Sum64 return, h64_2 the second half of Sum128. Seed 0.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                           | 0000000000000000 | 0000000000000000",
      "hello                                        | cbd8a7b341bd9b02 | 5b1e906a48ae1d19",
      "'hello, world'                               | 342fac623a5ebc8e | 4cdcbc079642414d",
      "19 Jan 2038 at 3:14:07 AM                    | b89e5988b737affc | 664fc2950231b2cb",
      "The quick brown fox jumps over the lazy dog. | cd99481f9ee902c9 | 695da1a38987b6e7",
  })
  void twmbGoVectors(String input, String h1, String h2) {
    byte[] data = utf8(input);
    assertThat(Murmur3.hash64(data)).isEqualTo(Long.parseUnsignedLong(h1, 16));
    assertThat(Murmur3.hash128(data, 0, data.length, 0))
        .isEqualTo(new Murmur3.Hash128(Long.parseUnsignedLong(h1, 16), Long.parseUnsignedLong(h2, 16)));
    assertThat(RefHashes.murmur128(data, 0)).containsExactly(
        Long.parseUnsignedLong(h1, 16), Long.parseUnsignedLong(h2, 16));
  }

  /**
   * Vectors from Guava's Murmur3Hash128Test (as reproduced in Apache Spark's Murmur3_128Suite and
   * Elasticsearch's MurmurHash3Tests), with seeds; lengths 4..9 and 43 cover tails < 8 and > 8.
   */
  @ParameterizedTest
  @CsvSource({
      "0, 629942693e10f867, 92db0b82baeb5347, hell",
      "1, a78ddff5adae8d10, 128900ef20900135, hello",
      "2, 8a486b23f422e826, f962a2c58947765f, 'hello '",
      "3, 2ea59f466f6bed8c, c610990acc428a17, hello w",
      "4, 79f6305a386c572c, 46305aed3483b94e, hello wo",
      "5, c2219d213ec1f1b5, a1d8e2e0a52785bd, hello wor",
      "0, e34bbc7bbc071b6c, 7a433ca9c49a9347, The quick brown fox jumps over the lazy dog",
      "0, 658ca970ff85269a, 43fee3eaa68e5c3e, The quick brown fox jumps over the lazy cog",
  })
  void guavaVectors(long seed, String h1, String h2, String input) {
    byte[] data = utf8(input);
    Murmur3.Hash128 expected =
        new Murmur3.Hash128(Long.parseUnsignedLong(h1, 16), Long.parseUnsignedLong(h2, 16));
    assertThat(Murmur3.hash128(data, 0, data.length, seed)).isEqualTo(expected);
    assertThat(new Murmur3.Hasher(seed).update(data).finish128()).isEqualTo(expected);
    assertThat(RefHashes.murmur128(data, seed)).containsExactly(expected.h1(), expected.h2());
  }

  /**
   * SMHasher's VerificationTest (Appleby's reference harness, main.cpp lists 0x6384BA69 for
   * MurmurHash3_x64_128): key i = bytes 0..i-1, hashed with seed 256-i, for i in 0..255; the 256
   * digests (h1 then h2, little-endian) are hashed with seed 0 and the first 4 bytes read as a
   * little-endian uint32. Covers every tail length 0..15 and many block counts.
   */
  @Test
  void smhasherVerificationValue() {
    byte[] key = new byte[256];
    byte[] hashes = new byte[256 * 16];
    java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(hashes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 256; i++) {
      key[i] = (byte) i;
      Murmur3.Hash128 h = Murmur3.hash128(key, 0, i, 256 - i);
      out.putLong(h.h1()).putLong(h.h2());
    }
    Murmur3.Hash128 fin = Murmur3.hash128(hashes, 0, hashes.length, 0);
    assertThat((int) fin.h1()).isEqualTo(0x6384BA69);
  }

  @Test
  void everyTailLengthMatchesTheNaiveReference() {
    byte[] data = utf8("0123456789abcdefghijklmnopqrstuvwxyz!?");
    for (int len = 0; len <= 33; len++) {
      assertThat(Murmur3.hash64(data, 0, len)).as("len %d", len)
          .isEqualTo(RefHashes.murmur128(java.util.Arrays.copyOf(data, len), 0)[0]);
    }
  }

  @Test
  void streamingIsConcatenationAndFinishIsNonDestructive() {
    byte[] all = utf8("The quick brown fox jumps over the lazy dog.");
    Murmur3.Hasher h = Murmur3.newHasher();
    h.update(utf8("The q")).update(utf8("uick brown fox ")).update((byte) 'j');
    long partial = h.finish();
    assertThat(partial).isEqualTo(Murmur3.hash64(utf8("The quick brown fox j")));
    h.update(utf8("umps over the lazy dog."));
    assertThat(h.finish()).isEqualTo(0xcd99481f9ee902c9L).isEqualTo(Murmur3.hash64(all));
    assertThat(h.reset().update(all).finish()).isEqualTo(0xcd99481f9ee902c9L);
  }

  @Property(tries = 300)
  void streamingOverAnySplitEqualsOneShot(@ForAll @Size(max = 100) byte[] data,
                                          @ForAll @Size(max = 6) List<Integer> cuts) {
    Murmur3.Hasher h = Murmur3.newHasher();
    int pos = 0;
    for (int cut : cuts) {
      int len = Math.floorMod(cut, data.length - pos + 1);
      h.update(data, pos, len);
      pos += len;
    }
    h.update(data, pos, data.length - pos);
    assertThat(h.finish()).isEqualTo(Murmur3.hash64(data)).isEqualTo(RefHashes.murmur128(data, 0)[0]);
  }

  @Property(tries = 300)
  void stringUpdateEqualsUtf8Bytes(@ForAll("text") String s) {
    assertThat(Murmur3.newHasher().update(s).finish())
        .isEqualTo(Murmur3.hash64(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().ofMaxLength(40)
        .withChars("ab z\u00e9\u00df\u4e2d\uffff\ud83d\ude80")
        .withChars('\ud800', '\udc00'); // unpaired surrogates too
  }
}
