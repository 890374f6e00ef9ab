package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases for the config path's YAML dialect ({@link YamlV2}), each worked out from what
 * yaml.v2's own test suite establishes (its decode and encode tests: which text decodes to which
 * value, which map key order it writes), restated here as expectations on our generic values.
 * Cases that only hold for typed Go targets, or for yaml.v3, are left out.
 */
class YamlV2GoldenTest {

  private static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static List<Arguments> decodes() {
    return List.of(
        // integers: Go literals in every base, underscores dropped, the int64 edges
        Arguments.of("v: 0b10", map("v", 2L)),
        Arguments.of("v: 0xA", map("v", 10L)),
        Arguments.of("v: 4294967296", map("v", 4294967296L)),
        Arguments.of("decimal: +685_230", map("decimal", 685230L)),
        Arguments.of("octal: 02472256", map("octal", 685230L)),
        Arguments.of("octal: -02472256", map("octal", -685230L)),
        Arguments.of("octal: 0o2472256", map("octal", 685230L)),
        Arguments.of("hexa: 0x_0A_74_AE", map("hexa", 685230L)),
        Arguments.of("bin: 0b1010_0111_0100_1010_1110", map("bin", 685230L)),
        Arguments.of("bin: -0b101010", map("bin", -42L)),
        Arguments.of("bin: -0b1" + "0".repeat(63), map("bin", Long.MIN_VALUE)),
        Arguments.of("v: 18446744073709551615", map("v", new BigInteger("18446744073709551615"))),
        // floats, from the YAML spec's examples
        Arguments.of("v: 0.1", map("v", 0.1)),
        Arguments.of("v: .1", map("v", 0.1)),
        Arguments.of("v: -.1", map("v", -0.1)),
        Arguments.of("v: .Inf", map("v", Double.POSITIVE_INFINITY)),
        Arguments.of("v: -.Inf", map("v", Double.NEGATIVE_INFINITY)),
        Arguments.of("canonical: 6.8523e+5", map("canonical", 685230.0)),
        Arguments.of("expo: 685.230_15e+03", map("expo", 685230.15)),
        Arguments.of("fixed: 685_230.15", map("fixed", 685230.15)),
        // booleans: YAML 1.1 words decode into generic values in yaml.v2
        Arguments.of("a: on\nb: y\nc: Off\nd: No\ne: TRUE", map("a", true, "b", true, "c", false, "d", false, "e", true)),
        Arguments.of("option: other", map("option", "other")),
        // nulls, the null key
        Arguments.of("empty:", map("empty", null)),
        Arguments.of("canonical: ~", map("canonical", null)),
        Arguments.of("english: null", map("english", null)),
        Arguments.of("~: null key", map(null, "null key")),
        // flow and block sequences, a trailing comma, an int among strings
        Arguments.of("seq: [A,B,C,]", map("seq", List.of("A", "B", "C"))),
        Arguments.of("seq: [A,1,C]", map("seq", List.of("A", 1L, "C"))),
        Arguments.of("seq:\n - A\n - 1\n - C", map("seq", List.of("A", 1L, "C"))),
        // block scalars: a literal keeps its breaks, a folded one joins its lines
        Arguments.of("scalar: | # Comment\n\n literal\n\n \ttext\n\n", map("scalar", "\nliteral\n\n\ttext\n")),
        Arguments.of("scalar: > # Comment\n\n folded\n line\n \n next\n line\n  * one\n  * two\n\n last\n line\n\n",
            map("scalar", "\nfolded line\nnext line\n * one\n * two\n\nlast line\n")),
        // a non-string key inside a flow map
        Arguments.of("a: {b: c, 1: d}", map("a", map("b", "c", 1L, "d"))),
        // quoted values: a quoted key is a string, a quoted multi-line value folds its break
        Arguments.of("'1': '\"2\"'", map("1", "\"2\"")),
        Arguments.of("v:\n- A\n- 'B\n\n  C'\n", map("v", List.of("A", "B\nC"))),
        // explicit tags
        Arguments.of("v: !!float '1.1'", map("v", 1.1)),
        Arguments.of("v: !!float 0", map("v", 0.0)),
        Arguments.of("v: !!float -1", map("v", -1.0)),
        Arguments.of("v: !!null ''", map("v", null)),
        Arguments.of("v: ! test", map("v", "test")),
        Arguments.of("a: !!str 2015-01-01", map("a", "2015-01-01")),
        // anchors and aliases
        Arguments.of("a: &x 1\nb: &y 2\nc: *x\nd: *y\n", map("a", 1L, "b", 2L, "c", 1L, "d", 2L)),
        Arguments.of("a: &a {c: 1}\nb: *a", map("a", map("c", 1L), "b", map("c", 1L))),
        // things that look numeric but are strings
        Arguments.of("a: -b_c", map("a", "-b_c")),
        Arguments.of("a: +b_c", map("a", "+b_c")),
        Arguments.of("a: 50cent_of_dollar", map("a", "50cent_of_dollar")),
        Arguments.of("a: 1:1\n", map("a", "1:1")),
        Arguments.of("a: 3s", map("a", "3s")),
        Arguments.of("a: <foo>", map("a", "<foo>")),
        Arguments.of("a: 1.2.3.4\n", map("a", "1.2.3.4")),
        // colons inside flow collections
        Arguments.of("a: {b: https://github.com/go-yaml/yaml}", map("a", map("b", "https://github.com/go-yaml/yaml"))),
        Arguments.of("a: [https://github.com/go-yaml/yaml]", map("a", List.of("https://github.com/go-yaml/yaml"))),
        // timestamps decode into generic values as the text they were (yaml.v2 keeps strings there)
        Arguments.of("a: 2015-01-01\n", map("a", "2015-01-01")),
        Arguments.of("a: 2015-02-24T18:19:39.12Z\n", map("a", "2015-02-24T18:19:39.12Z")),
        Arguments.of("a: 2015-02-24 18:19:39\n", map("a", "2015-02-24 18:19:39")),
        // merge keys are applied where they stand (yaml.v2, unlike v3): a merge overwrites a key
        // written before it, a key written after it wins; among merged maps the earlier wins
        Arguments.of("b: &b {x: 1, w: 2}\nc: &c {x: 3, z: 4}\nm:\n  x: 0\n  <<: [*b, *c]\n",
            map("b", map("x", 1L, "w", 2L), "c", map("x", 3L, "z", 4L), "m", map("x", 1L, "w", 2L, "z", 4L))),
        Arguments.of("b: &b {x: 1, w: 2}\nm:\n  <<: *b\n  x: 0\n",
            map("b", map("x", 1L, "w", 2L), "m", map("x", 0L, "w", 2L))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodes")
  void decodesAsYamlV2(String text, Object expected) throws Exception {
    assertThat(YamlV2.decode(text)).isEqualTo(expected);
  }

  /** yaml.v2's sorted-output case: the order it writes these keys in, whatever the map's order. */
  @Test
  void mapKeysComeOutInYamlV2NaturalOrder() {
    List<Object> order = List.of(false, true, 1L, 1.0, 1.1, 1.2, 2L, 2.0, 2.1, "", ".1", ".2", ".a", "1",
        "2", "a!10", "a/0001", "a/002", "a/3", "a/10", "a/11", "a/0012", "a/100", "a~10", "ab/1", "b/1",
        "b/01", "b/2", "b/02", "b/3", "b/03", "b1", "b01", "b3", "c2.10", "c10.2", "d1", "d7", "d7abc",
        "d12", "d12a", "e2b", "e4b", "e21a");
    List<Object> shuffled = new ArrayList<>(order);
    long seed = new Random().nextLong();
    Collections.shuffle(shuffled, new Random(seed));
    Map<Object, Object> m = new LinkedHashMap<>();
    shuffled.forEach(k -> m.put(k, 1L));

    String written = YamlV2.marshalToString(m);
    // as yaml.v2 writes each key: 1.0 prints as 1, strings that read as numbers are quoted
    List<String> expected = new ArrayList<>(List.of("false", "true", "1", "1", "1.1", "1.2", "2", "2", "2.1",
        "\"\"", "\".1\"", "\".2\"", ".a", "\"1\"", "\"2\""));
    order.subList(expected.size(), order.size()).forEach(k -> expected.add((String) k));
    List<String> keysWritten = written.lines().map(line -> line.substring(0, line.lastIndexOf(": 1"))).toList();
    assertThat(keysWritten).as("shuffle seed %d:\n%s", seed, written).isEqualTo(expected);
  }

  @Test
  void encodesAsYamlV2() {
    // strings that would read back as something else are quoted; others stay plain
    assertThat(YamlV2.marshalToString(map("v", "hi"))).isEqualTo("v: hi\n");
    assertThat(YamlV2.marshalToString(map("v", "true"))).isEqualTo("v: \"true\"\n");
    assertThat(YamlV2.marshalToString(map("v", "false"))).isEqualTo("v: \"false\"\n");
    assertThat(YamlV2.marshalToString(map("v", "1:1"))).isEqualTo("v: \"1:1\"\n");
    assertThat(YamlV2.marshalToString(map("v", "-"))).isEqualTo("v: '-'\n");
    assertThat(YamlV2.marshalToString(map("v", ""))).isEqualTo("v: \"\"\n");
    // numbers: Go's shortest float text, switching to exponent form from 1e+06
    assertThat(YamlV2.marshalToString(map("v", 0.1, "w", 1e6, "x", 1000.0, "y", -10L, "z", 4294967296L)))
        .isEqualTo("v: 0.1\nw: 1e+06\nx: 1000\n\"y\": -10\nz: 4294967296\n");
    // nested maps indent, sequences under a key do not
    assertThat(YamlV2.marshalToString(map("a", map("b", "c"), "v", List.of("A", "B"))))
        .isEqualTo("a:\n  b: c\nv:\n- A\n- B\n");
    assertThat(YamlV2.marshalToString(map("v", List.of(), "w", map(), "n", null)))
        .isEqualTo("\"n\": null\nv: []\nw: {}\n");
  }
}
