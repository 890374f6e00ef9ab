package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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

  @Property
  void printableNeverCarriesControlOrNonAsciiCharacters(@ForAll String s) {
    String p = NodeIdentifiers.printable(s);
    assertThat(p.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(p.length()).isLessThanOrEqualTo(64 * 6 + 20);
  }
}
