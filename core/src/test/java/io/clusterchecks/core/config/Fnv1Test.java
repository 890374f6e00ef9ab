package io.clusterchecks.core.config;

import static io.clusterchecks.core.config.RefHashes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fnv1Test {

  /**
   * "", "a", "ab", "abc": Go's hash/fnv fnv_test.go golden64 (New64, i.e. FNV-1).
   * "foobar": Landon Curt Noll's published FNV test vectors (test_fnv.c, FNV-1 64).
   */
  @ParameterizedTest
  @CsvSource({
      "'', cbf29ce484222325",
      "a, af63bd4c8601b7be",
      "ab, 08326707b4eb37b8",
      "abc, d8dcca186bafadcb",
      "foobar, 340d8765a4dda9c2",
  })
  void publishedFnv1Vectors(String input, String hex) {
    long expected = Long.parseUnsignedLong(hex, 16);
    assertThat(Fnv1.hash64(utf8(input))).isEqualTo(expected);
    assertThat(RefHashes.fnv1(utf8(input))).isEqualTo(expected);
  }

  /** Same sources (golden64a / Noll's FNV-1a vectors): FNV-1a gives different values. */
  @ParameterizedTest
  @CsvSource({
      "a, af63dc4c8601ec8c",
      "ab, 089c4407b545986a",
      "abc, e71fa2190541574b",
      "foobar, 85944171f73967e8",
  })
  void fnv1aIsADifferentFunction(String input, String fnv1aHex) {
    long fnv1a = Fnv1.OFFSET_BASIS;
    for (byte b : utf8(input)) {
      fnv1a = (fnv1a ^ (b & 0xFF)) * Fnv1.PRIME; // xor then multiply
    }
    assertThat(fnv1a).isEqualTo(Long.parseUnsignedLong(fnv1aHex, 16));
    assertThat(Fnv1.hash64(utf8(input))).isNotEqualTo(fnv1a);
  }

  @Test
  void bigEndianLongIsEightBytesMostSignificantFirst() {
    long v = 0x0102030405060708L;
    assertThat(Fnv1.updateLongBigEndian(Fnv1.OFFSET_BASIS, v))
        .isEqualTo(Fnv1.hash64(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isNotEqualTo(Fnv1.hash64(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}));
  }

  @Property(tries = 200)
  void piecewiseEqualsOneShot(@ForAll byte[] a, @ForAll byte[] b, @ForAll long v) {
    long piecewise = Fnv1.update(Fnv1.updateLongBigEndian(Fnv1.update(Fnv1.OFFSET_BASIS, a), v), b);
    assertThat(piecewise).isEqualTo(RefHashes.fnv1(RefHashes.concat(a, RefHashes.bigEndian(v), b)));
  }
}
