package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class NodeIdentifiersTest {

  @Test
  void acceptsHostNamesPodNamesAndUuids() {
    for (String id : List.of("a", "runner-0", "ip-10-0-0-1.eu-west-1.compute.internal",
        "dca-clc-runner-6c9f7b5d4-abcde", "3f1c2b7e-8e44-4c1e-9b0a-0f6d2f1a9c3e", "Host_1",
        "node:5005", "x".repeat(253))) {
      assertThat(NodeIdentifiers.isValid(id)).as(id).isTrue();
    }
  }

  @Test
  void refusesPathTricksAndOddCharacters() {
    for (String id : List.of("", ".", "..", "a..b", "a/b", "a\\b", "a%2Fb", "a b", "a\nb", "a\u0000",
        "n\u00f6de", "x".repeat(254), "a?b", "a#b", "a;b")) {
      assertThat(NodeIdentifiers.isValid(id)).as(id).isFalse();
    }
    assertThat(NodeIdentifiers.isValid(null)).isFalse();
  }

  @Property
  void nothingWithASlashOrAPercentIsEverValid(@ForAll @StringLength(max = 20) String prefix,
      @ForAll @StringLength(max = 20) String suffix) {
    assertThat(NodeIdentifiers.isValid(prefix + "/" + suffix)).isFalse();
    assertThat(NodeIdentifiers.isValid(prefix + "%" + suffix)).isFalse();
  }

  /** The rule as the regex it was written as, and still documents: the loop must agree with it. */
  @Property
  void acceptsExactlyWhatTheCharacterClassAllows(
      @ForAll @StringLength(min = 1, max = 12) @CharRange(from = ' ', to = '~') @CharRange(from = '\u00e0', to = '\u00e9')
      String id) {
    boolean expected = Pattern.matches("[A-Za-z0-9._:-]+", id) && !id.contains("..") && !id.equals(".");
    assertThat(NodeIdentifiers.isValid(id)).as(id).isEqualTo(expected);
  }

  @Property
  void printableNeverCarriesControlOrNonAsciiCharacters(@ForAll String s) {
    String p = NodeIdentifiers.printable(s);
    assertThat(p.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(p.length()).isLessThanOrEqualTo(64 * 6 + 20);
  }
}
