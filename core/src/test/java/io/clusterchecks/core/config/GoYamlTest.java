package io.clusterchecks.core.config;

import static io.clusterchecks.core.config.RefHashes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * yaml.v2 decode/encode rules the digest depends on. Expected texts follow yaml.v2 v2.4.0's
 * encoder (encode.go) and libyaml emitter (emitterc.go) rules, worked out by hand; the ones
 * marked "v2 encode_test" are cases from yaml.v2's own encode tests.
 */
class GoYamlTest {

  private static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String sorted(Object v) {
    return GoYamlEmitter.marshalToString(v, true);
  }

  private static Object decode(String yaml) throws GoYaml.YamlException {
    return GoYaml.decode(utf8(yaml));
  }

  @Test
  void blockLayout() {
    // v2 encode_test: "v:\n- A\n- B\n" and "a:\n  b: c\n"
    assertThat(sorted(map("v", List.of("A", "B")))).isEqualTo("v:\n- A\n- B\n");
    assertThat(sorted(map("a", map("b", "c")))).isEqualTo("a:\n  b: c\n");
    assertThat(sorted(map("v", List.of("A", List.of("B", "C"))))).isEqualTo("v:\n- A\n- - B\n  - C\n");
    assertThat(sorted(List.of(map("a", 1L, "b", 2L)))).isEqualTo("- a: 1\n  b: 2\n");
    assertThat(sorted(map("a", map("b", List.of(map("c", "d", "e", List.of("f")))))))
        .isEqualTo("a:\n  b:\n  - c: d\n    e:\n    - f\n");
    assertThat(sorted(map("a", map(), "b", List.of()))).isEqualTo("a: {}\nb: []\n");
    assertThat(sorted(map())).isEqualTo("{}\n");
  }

  @Test
  void keysAreSortedTheYamlV2Way() {
    Map<Object, Object> m = map("b", 1L, "a10", 1L, "a2", 1L, "a", 1L, 3L, 1L, true, 1L, 2.5, 1L);
    // numbers and booleans by value first (true = 1), then strings with digit runs compared as numbers
    assertThat(sorted(m)).isEqualTo("true: 1\n2.5: 1\n3: 1\na: 1\na2: 1\na10: 1\nb: 1\n");
    assertThat(GoYamlEmitter.marshalToString(map("b", 1L, "a", 2L), false)).isEqualTo("b: 1\na: 2\n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "plain          | hello world       | v: hello world",
      "bool word      | true              | v: \"true\"",
      "yaml11 bool    | yes               | v: \"yes\"",
      "yaml11 bool    | Off               | v: \"Off\"",
      "empty          | ``                | v: \"\"",
      "null word      | null              | v: \"null\"",
      "tilde          | ~                 | v: \"~\"",
      "int            | 123               | v: \"123\"",
      "hex int        | 0x1F              | v: \"0x1F\"",
      "float          | 1.5               | v: \"1.5\"",
      "dot float      | .5                | v: \".5\"",
      "base60 (v2 encode_test) | 1:1      | v: \"1:1\"",
      "timestamp      | 2001-12-14        | v: \"2001-12-14\"",
      "not a date     | 2001-13-14        | v: 2001-13-14",
      "dash (v2 encode_test) | -          | v: '-'",
      "dash word      | -foo              | v: -foo",
      "colon space    | a: b              | v: 'a: b'",
      "colon no space | a:b               | v: a:b",
      "trailing colon | a:                | v: 'a:'",
      "hash comment   | a #b              | v: 'a #b'",
      "hash inside    | a#b               | v: a#b",
      "leading hash   | #a                | v: '#a'",
      "leading space  | ` a`              | v: ' a'",
      "trailing space | `a `              | v: 'a '",
      "single quote   | it's              | v: it's",
      "leading quote  | 'q'               | v: '''q'''",
      "indicator      | *star             | v: '*star'",
      "flow chars     | a[b]{c},d         | v: a[b]{c},d",
      "doc marker     | ---x              | v: '---x'",
      "url            | http://10.0.0.1:80/x?y=1 | v: http://10.0.0.1:80/x?y=1",
      "unicode        | caf\u00e9          | v: caf\u00e9",
      "tab            | `a\tb`            | v: \"a\\tb\"",
      "emoji          | \ud83d\ude80       | v: \"\\U0001F680\"",
      "nbsp           | a\u00a0b           | v: a\u00a0b",
      "del            | a\u007fb           | v: \"a\\x7Fb\"",
      "backslash      | a\\b              | v: a\\b",
      "plus sign      | +                 | v: +",
  })
  void stringQuoting(String label, String value, String expectedLine) {
    assertThat(sorted(map("v", value))).as(label).isEqualTo(expectedLine + "\n");
  }

  @Test
  void multilineStringsUseLiteralStyle() {
    assertThat(sorted(map("v", "a\nb"))).isEqualTo("v: |-\n  a\n  b\n");
    assertThat(sorted(map("v", "a\nb\n"))).isEqualTo("v: |\n  a\n  b\n");
    assertThat(sorted(map("v", "a\n\n"))).isEqualTo("v: |+\n  a\n\n");
    assertThat(sorted(map("v", " a\nb"))).isEqualTo("v: |2-\n   a\n  b\n");
    assertThat(sorted(map("v", "a \nb"))).isEqualTo("v: \"a \\nb\"\n"); // space before break: no block style
    assertThat(sorted(map("v", List.of("x\ny")))).isEqualTo("v:\n- |-\n  x\n  y\n");
    // a multi-line key is not a simple key, so it takes the explicit "? " form
    assertThat(sorted(map("a\nb", 1L))).isEqualTo("? |-\n  a\n  b\n: 1\n");
  }

  @Test
  void longScalarsAreFoldedPastColumn80() {
    String words = String.join(" ", java.util.Collections.nCopies(20, "word"));
    // "v: " + 16 words ends at column 82 > 80, so the next space becomes a line break + indent 2
    String first = String.join(" ", java.util.Collections.nCopies(16, "word"));
    String rest = String.join(" ", java.util.Collections.nCopies(4, "word"));
    assertThat(sorted(map("v", words))).isEqualTo("v: " + first + "\n  " + rest + "\n");
    // a single long token is never broken
    String token = "x".repeat(120);
    assertThat(sorted(map("v", token))).isEqualTo("v: " + token + "\n");
    // keys are never folded; keys over 128 bytes use the explicit "? " form
    String longKey = "k".repeat(129);
    assertThat(sorted(map(longKey, "v"))).isEqualTo("? " + longKey + "\n: v\n");
  }

  @Test
  void nonStringScalars() {
    assertThat(sorted(map("a", 10L, "b", -3L, "c", true, "d", null, "e", 0.1,
        "f", Double.POSITIVE_INFINITY, "g", Double.NEGATIVE_INFINITY, "h", Double.NaN,
        "i", new BigInteger("18446744073709551615"), "j", 1e6, "k", 1.0)))
        .isEqualTo("a: 10\nb: -3\nc: true\nd: null\ne: 0.1\nf: .inf\ng: -.inf\nh: .nan\n"
            + "i: 18446744073709551615\nj: 1e+06\nk: 1\n");
  }

  /** Go strconv.FormatFloat(x, 'g', -1, 64) outputs (also fmt %v). */
  @ParameterizedTest
  @CsvSource({
      "1000000, 1e+06", "123456, 123456", "1234567, 1.234567e+06", "0.0001, 0.0001",
      "0.00001, 1e-05", "1.5, 1.5", "1e21, 1e+21", "100, 100", "0.30000000000000004, 0.30000000000000004",
      "-2.5, -2.5", "5e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308",
  })
  void goFloatFormatting(double value, String expected) {
    assertThat(GoYaml.formatFloat(value)).isEqualTo(expected);
  }

  @Test
  void decodesWithYaml11Resolution() throws Exception {
    Object v = decode("a: yes\nb: 0x1F\nc: 017\nd: 08\ne: 1_000\nf: 2001-12-14\ng: '123'\nh: ~\n"
        + "i: 18446744073709551615\nj: 1e3\nk: .5\nl: !!str 12\nm: on\no: 0o17\np:\n"
        + "q: -.inf\nr: 9223372036854775807\ns: +12\nn: x\ny: z\n");
    assertThat(v).isEqualTo(map("a", true, "b", 31L, "c", 15L, "d", 8.0, "e", 1000L,
        "f", "2001-12-14", "g", "123", "h", null, "i", new BigInteger("18446744073709551615"),
        "j", 1000.0, "k", 0.5, "l", "12", "m", true, "o", 15L, "p", null,
        "q", Double.NEGATIVE_INFINITY, "r", Long.MAX_VALUE, "s", 12L,
        false, "x", true, "z")); // YAML 1.1: the keys n and y are booleans in yaml.v2
  }

  @Test
  void anchorsAliasesAndMergeKeys() throws Exception {
    Object v = decode("base: &b {x: 1, w: 2}\nother:\n  <<: *b\n  w: 3\nlist: [*b]\n");
    assertThat(v).isEqualTo(map("base", map("x", 1L, "w", 2L),
        "other", map("x", 1L, "w", 3L), "list", List.of(map("x", 1L, "w", 2L))));
  }

  @Test
  void onlyTheFirstDocumentCountsAndEmptyIsNull() throws Exception {
    assertThat(decode("a: 1\n---\nb: 2\n")).isEqualTo(map("a", 1L));
    assertThat(decode("")).isNull();
    assertThat(decode("# just a comment\n")).isNull();
    assertThat(decode("~")).isNull();
  }

  @Test
  void rejectsWhatYamlV2Rejects() {
    assertThatThrownBy(() -> decode("a: [unclosed\n")).isInstanceOf(GoYaml.YamlException.class);
    assertThatThrownBy(() -> decode("? [a, b]\n: c\n")).isInstanceOf(GoYaml.YamlException.class);
    assertThatThrownBy(() -> decode("a: !!int abc\n")).isInstanceOf(GoYaml.YamlException.class);
    assertThatThrownBy(() -> decode("a: *nope\n")).isInstanceOf(GoYaml.YamlException.class);
    StringBuilder laughs = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      laughs.append("l").append(i).append(": &l").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1)))).append("]\n");
    }
    assertThatThrownBy(() -> decode(laughs.toString())).isInstanceOf(GoYaml.YamlException.class)
        .hasMessageContaining("aliasing");
    assertThatThrownBy(() -> GoYaml.decode(new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28}))
        .isInstanceOf(GoYaml.YamlException.class);
  }

  /** Whatever we emit must read back (with yaml.v2 resolution) as the very same string. */
  @Property(tries = 400)
  void emittedStringsReadBackUnchanged(@ForAll("yamlText") String s) throws Exception {
    assertThat(decode(sorted(map("v", s)))).isEqualTo(map("v", s));
    assertThat(decode(sorted(List.of(s, map("k", s))))).isEqualTo(List.of(s, map("k", s)));
    Assume.that(!s.equals("<<"));
    assertThat(decode(sorted(map(s, "v")))).isEqualTo(map(s, "v"));
  }

  @Provide
  Arbitrary<String> yamlText() {
    Arbitrary<String> chars = Arbitraries.strings().ofMaxLength(180)
        .withChars("abcxyz019 ")
        .withChars(" :#-?'\"!&*|>%@`[]{},.~+_\\\n\t\r\u00e9\u00a0\u0000\u007f\ufeff")
        .withChars("\ud83d\ude80".toCharArray());
    Arbitrary<String> words = Arbitraries.of("yes", "no", "null", "true", "1.5", "0x1F", "2001-12-14",
        "1:20", "---", "...", "- x", "a: b", " ", "", "\n", "07", ".inf", "~", "1e3", "+1", "-");
    return Arbitraries.oneOf(chars, words, Arbitraries.strings().withChars("wo rd").ofMinLength(60).ofMaxLength(300));
  }
}
