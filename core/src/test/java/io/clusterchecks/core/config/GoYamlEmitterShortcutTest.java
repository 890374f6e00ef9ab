package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The emitter's shortcuts (printable-ASCII scalars analysed and written without code points, map
 * keys compared on chars) write what the general code wrote, byte for byte, at their edges: ASCII
 * text that still needs quoting (it reads back as another type, holds an indicator, a leading or
 * trailing space, a non-printable char), long lines that fold, and keys with surrogate pairs
 * (digits and letters beyond the BMP sort by code point).
 *
 * <p>Every expected text below was written by the emitter of {@code 642c5b5}, before the
 * shortcuts.
 */
class GoYamlEmitterShortcutTest {

  private record Row(String value, String expected) {}

  private static Row row(String value, String expected) {
    return new Row(value, expected);
  }

  /** Each value marshalled as {@code {value: [value]}}: once as a key, once as a list item. */
  private static final List<Row> ROWS = List.of(
        row("yes", "\"yes\":\n- \"yes\"\n"),
        row("Yes", "\"Yes\":\n- \"Yes\"\n"),
        row("y", "\"y\":\n- \"y\"\n"),
        row("No", "\"No\":\n- \"No\"\n"),
        row("off", "\"off\":\n- \"off\"\n"),
        row("On", "\"On\":\n- \"On\"\n"),
        row("~", "\"~\":\n- \"~\"\n"),
        row("null", "\"null\":\n- \"null\"\n"),
        row("TRUE", "\"TRUE\":\n- \"TRUE\"\n"),
        row("1e3", "\"1e3\":\n- \"1e3\"\n"),
        row("1.5", "\"1.5\":\n- \"1.5\"\n"),
        row(".5", "\".5\":\n- \".5\"\n"),
        row("0x1F", "\"0x1F\":\n- \"0x1F\"\n"),
        row("017", "\"017\":\n- \"017\"\n"),
        row("08", "\"08\":\n- \"08\"\n"),
        row("+1", "\"+1\":\n- \"+1\"\n"),
        row("-1", "\"-1\":\n- \"-1\"\n"),
        row("-", "'-':\n- '-'\n"),
        row("- a", "'- a':\n- '- a'\n"),
        row("-a", "-a:\n- -a\n"),
        row("---", "'---':\n- '---'\n"),
        row("---x", "'---x':\n- '---x'\n"),
        row("...", "'...':\n- '...'\n"),
        row("..x", "..x:\n- ..x\n"),
        row(":a", ":a:\n- :a\n"),
        row("a:", "'a:':\n- 'a:'\n"),
        row("a:b", "a:b:\n- a:b\n"),
        row("a: b", "'a: b':\n- 'a: b'\n"),
        row("? a", "'? a':\n- '? a'\n"),
        row("?a", "?a:\n- ?a\n"),
        row("#a", "'#a':\n- '#a'\n"),
        row("a#b", "a#b:\n- a#b\n"),
        row("a #b", "'a #b':\n- 'a #b'\n"),
        row(" a", "' a':\n- ' a'\n"),
        row("a ", "'a ':\n- 'a '\n"),
        row("a  b", "a  b:\n- a  b\n"),
        row("", "\"\":\n- \"\"\n"),
        row("\u0001", "\"\\x01\":\n- \"\\x01\"\n"),
        row("a\u007Fb", "\"a\\x7Fb\":\n- \"a\\x7Fb\"\n"),
        row("a\u0009b", "\"a\\tb\":\n- \"a\\tb\"\n"),
        row("2026-01-01", "\"2026-01-01\":\n- \"2026-01-01\"\n"),
        row("1:20", "\"1:20\":\n- \"1:20\"\n"),
        row("190:20:30.15", "\"190:20:30.15\":\n- \"190:20:30.15\"\n"),
        row(".inf", "\".inf\":\n- \".inf\"\n"),
        row("<<", "<<:\n- <<\n"),
        row("'a", "'''a':\n- '''a'\n"),
        row("a'b", "a'b:\n- a'b\n"),
        row("\"a", "'\"a':\n- '\"a'\n"),
        row("a\\b", "a\\b:\n- a\\b\n"),
        row("%a", "'%a':\n- '%a'\n"),
        row("a,b", "a,b:\n- a,b\n"),
        row("[a", "'[a':\n- '[a'\n"),
        row("|", "'|':\n- '|'\n"),
        row(">", "'>':\n- '>'\n"),
        row("!a", "'!a':\n- '!a'\n"),
        row("&a", "'&a':\n- '&a'\n"),
        row("*a", "'*a':\n- '*a'\n"),
        row("team:bench", "team:bench:\n- team:bench\n"),
        row("tags", "tags:\n- tags\n"),
        row("name", "name:\n- name\n"),
        row("timeout", "timeout:\n- timeout\n"),
        row("yesterday", "yesterday:\n- yesterday\n"),
        row("NULLS", "NULLS:\n- NULLS\n"),
        row("~a", "~a:\n- ~a\n"),
        row("word word word word word word word word word word word word word word word word word word word word", "word word word word word word word word word word word word word word word word word word word word:\n- word word word word word word word word word word word word word word word word\n  word word word word\n"),
        row("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx yyyyyyyyyy  z wwwww", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx yyyyyyyyyy  z wwwww:\n- xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n  yyyyyyyyyy  z wwwww\n")
  );

  @Test
  void asciiScalarsAreWrittenAsBefore() {
    for (Row r : ROWS) {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(r.value(), List.of(r.value()));
      assertThat(YamlV2.marshalToString(m)).as("value %s", r.value()).isEqualTo(r.expected());
    }
  }

  @Test
  void keysWithSurrogatePairsSortAsBefore() {
    List<String> keys = List.of("a\uD83D\uDE00", "a1", "a\uD835\uDFCF", "a\uD835\uDFCF1", "a2", "ab",
        "a\uD83D\uDE00b", "a", "a10", "a9\uD835\uDFCF", "a9", "a91", "\uD83D\uDE00", "z", "A", "a\uD800",
        "a\uDC00x", "_u", "Zed", "a01", "a001", "a0\uD835\uDFCF", "a1\uD835\uDFCF", "a3\uD835\uDFCF");
    Map<Object, Object> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(k, 1L));
    List<String> order = new ArrayList<>();
    for (String line : YamlV2.marshalToString(m).split("\n")) {
      order.add(line.substring(0, line.length() - ": 1".length()));
    }
    // U+1D7CF is a digit: it goes on the digit run of "a1" or "a9", which then sort after "a91"
    // (the chars alone would stop the run at the surrogate and put "a1" + U+1D7CF before "a2")
    assertThat(order).containsExactly("_u", "\"\\U0001F600\"", "A", "Zed", "a", "\"a\\uD800\"", "\"a\\uDC00x\"",
        "\"a\\U0001F600\"", "\"a\\U0001F600b\"", "a1", "a01", "a001", "a2", "a9", "a10", "a91", "\"a\\U0001D7CF\"",
        "\"a0\\U0001D7CF\"", "\"a1\\U0001D7CF\"", "\"a3\\U0001D7CF\"", "\"a9\\U0001D7CF\"", "\"a\\U0001D7CF1\"",
        "ab", "z");
  }

  /**
   * Random maps of short strings over a tricky alphabet (indicators, spaces, the table words' first
   * letters, a tab, DEL, a non-ASCII letter, surrogate pairs, lone surrogates), each string a key
   * and its value: the hash of all the texts was taken with the emitter of {@code 642c5b5}.
   */
  @Test
  void randomTrickyStringsAreWrittenAsBefore() throws Exception {
    long seed = 20261203L;
    System.out.println("GoYamlEmitterShortcutTest seed " + seed);
    String alphabet = " :#-.?'\"a1yYnNotf~_\t\u007f\u00e9\uD83D\uDE00\uD835\uDFCF";
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Random r = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int k = 0; k < 4; k++) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(i % 10 == 0 ? 100 : 8);
        for (int c = 0; c < n; c++) {
          // mostly ASCII (the first 20), sometimes anything, a high surrogate with its pair
          int p = r.nextInt(r.nextInt(4) == 0 ? alphabet.length() : 20);
          char ch = alphabet.charAt(p);
          sb.append(ch);
          if (Character.isHighSurrogate(ch)) {
            sb.append(alphabet.charAt(p + 1));
          }
        }
        String s = sb.toString();
        m.put(s, s);
      }
      sha.update(YamlV2.marshal(m));
    }
    assertThat(HexFormat.of().formatHex(sha.digest()))
        .isEqualTo("d0d433af3f5fd4ac2fa1308441a9dff8f22dcea97731cc1ed0d3fa7289d10bc3");
  }
}
