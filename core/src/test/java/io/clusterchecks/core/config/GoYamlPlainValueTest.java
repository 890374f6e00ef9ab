package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts of {@link GoYaml#plainValue} and {@link GoYaml#resolvesToString} (the first char
 * settles most plain scalars) give what yaml.v2's full resolution gives: on every word of the
 * resolve table and its near misses, and on random short texts over the characters that start or
 * shape the other types.
 */
class GoYamlPlainValueTest {

  /** The full resolution of an untagged plain scalar, as {@code scalarValue} read it before. */
  private static Object resolved(String s) throws GoYaml.YamlException {
    Object[] r = GoYaml.resolve("", s);
    if (GoYaml.NULL.equals(r[0])) {
      return null;
    }
    return GoYaml.TIMESTAMP.equals(r[0]) ? s : r[1];
  }

  private static void assertSame(String s) throws GoYaml.YamlException {
    assertThat(GoYaml.plainValue(s)).as("'%s'", s).isEqualTo(resolved(s));
    assertThat(GoYaml.resolvesToString(s)).as("'%s'", s)
        .isEqualTo(GoYaml.STR.equals(GoYaml.resolve("", s)[0]));
  }

  @Test
  void tableWordsAndNearMisses() throws Exception {
    List<String> words = new ArrayList<>(List.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On",
        "ON", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", "tags", "name", "timeout",
        "team:bench", "yess", "tRUE", "nULL", "oN", "o", "t", "f", "~~", "falsey", "No ", "0", "00", "07", "08", "9",
        "123456789012345678", "1234567890123456789", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "0x1F", "0b101", "0o17", "1_000", "1e3", "1.5", "2026-01-01", "1:20", "-1", "+1"));
    for (String w : words) {
      assertSame(w);
    }
  }

  @Test
  void randomShortTexts() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("GoYamlPlainValueTest seed " + seed);
    Random r = new Random(seed);
    String alphabet = "yYnNtTfFoO~uelsrRUEASL0123456789.+-_:xXeEbBa ";
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(8);
      for (int c = 0; c < n; c++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      assertSame(sb.toString());
    }
  }
}
