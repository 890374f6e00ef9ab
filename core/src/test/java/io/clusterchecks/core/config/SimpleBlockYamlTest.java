package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The fast reader of plain block YAML builds exactly SnakeYAML's tree, or gives up: compared on
 * texts generated near the edge of what it accepts (and past it, by mutation).
 */
class SimpleBlockYamlTest {
  private static final String[] SCALARS = {
      "a", "name", "svc-1", "http://10.0.0.1:8080/health", "5", "0x1F", "1.5", "true", "yes", "off", "~", "null",
      "team:bench", "a b", "a  b", "a:b", "x- y", "1e3", "2026-01-01", "=", "$HOME", "(x)", "a;b", "+1", "_u", "Zed",
      // past the edge: each of these must make the reader give up or agree
      "-1", "-", ".5", "...", "---", ":x", "x:", "a: b", "#c", "a #c", "'q'", "\"q\"", "[a]", "{a: b}", "&a", "*a",
      "!t", "|", ">", "%x", "@x", "`x", "?", "a,b", "\\", "<<", " a", "a ", "é", "a\tb",
  };

  private static String scalar(Random r) {
    // mostly simple ones, so that whole documents often pass
    return r.nextInt(4) == 0 ? SCALARS[r.nextInt(SCALARS.length)] : SCALARS[r.nextInt(26)];
  }

  private static void mapping(Random r, StringBuilder out, int indent, int depth, boolean firstInline) {
    int keys = 1 + r.nextInt(4);
    for (int k = 0; k < keys; k++) {
      if (k > 0 || !firstInline) {
        out.append(" ".repeat(indent));
      }
      out.append(scalar(r)).append(':');
      int kind = depth > 3 ? 0 : r.nextInt(5);
      switch (kind) {
        case 0, 1 -> out.append(' ').append(scalar(r)).append('\n');
        case 2 -> {
          out.append('\n');
          mapping(r, out, indent + 1 + r.nextInt(3), depth + 1, false);
        }
        case 3 -> {
          out.append('\n');
          sequence(r, out, indent + (r.nextBoolean() ? 0 : 2), depth + 1);
        }
        default -> out.append('\n'); // empty value
      }
    }
  }

  private static void sequence(Random r, StringBuilder out, int indent, int depth) {
    int items = 1 + r.nextInt(3);
    for (int i = 0; i < items; i++) {
      out.append(" ".repeat(indent)).append("- ");
      if (depth < 3 && r.nextInt(3) == 0) {
        mapping(r, out, indent + 2, depth + 1, true);
      } else {
        out.append(scalar(r)).append('\n');
      }
    }
  }

  /** A document, sometimes mutated by a character inserted, deleted or an indent changed. */
  static String document(Random r) {
    StringBuilder out = new StringBuilder();
    mapping(r, out, 0, 0, false);
    int mutations = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
    for (int m = 0; m < mutations && out.length() > 1; m++) {
      int at = r.nextInt(out.length());
      switch (r.nextInt(3)) {
        case 0 -> out.insert(at, " :-\n#'".charAt(r.nextInt(6)));
        case 1 -> out.deleteCharAt(at);
        default -> out.insert(at, "  ");
      }
    }
    return out.toString();
  }

  @Property(tries = 3000)
  void theTreeIsSnakeYamlsWheneverTheTextIsAccepted(@ForAll long seed) {
    String text = document(new Random(seed));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    GoYaml.Node fast = SimpleBlockYaml.parse(bytes);
    Statistics.collect(fast == null ? "given up" : "read");
    if (fast == null) {
      return;
    }
    GoYaml.Node snake;
    try {
      snake = GoYaml.parseWithSnakeYaml(bytes);
    } catch (GoYaml.YamlException e) {
      throw new AssertionError("accepted what SnakeYAML refuses (seed " + seed + "):\n" + text, e);
    }
    assertThat(fast).as("seed %d:\n%s", seed, text).isEqualTo(snake);
  }

  @Property(tries = 3000)
  void decodedValuesAreTheTreesAndKnowWhenTheyReadBack(@ForAll long seed) throws Exception {
    String text = document(new Random(seed));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    SimpleBlockYaml.Decoded decoded = SimpleBlockYaml.decode(bytes);
    GoYaml.Node tree = SimpleBlockYaml.parse(bytes);
    assertThat(decoded == null).as("seed %d: accepted alike:\n%s", seed, text).isEqualTo(tree == null);
    if (decoded == null) {
      return;
    }
    Object value = GoYaml.toGeneric(tree);
    Statistics.collect(decoded.readsBack() ? "reads back" : "not known");
    // equal maps may differ in order: the unsorted text shows order and types
    assertThat(decoded.value()).as("seed %d:\n%s", seed, text).isEqualTo(value);
    assertThat(GoYamlEmitter.marshal(decoded.value(), false)).as("seed %d:\n%s", seed, text)
        .isEqualTo(GoYamlEmitter.marshal(value, false));
    // false is "not known": a repeated key can drop the value that made it so
    if (decoded.readsBack()) {
      assertThat(RoundTrip.isIdentity(value)).as("seed %d:\n%s", seed, text).isTrue();
    }
  }

  @Test
  void readsBackOnlyWhereRoundTripIsCertain() {
    Map<String, Boolean> cases = new LinkedHashMap<>();
    cases.put("a: 1.5\nb: x\n", true);
    cases.put("a: 1.0\n", false); // written "1", read back as an int
    cases.put("a: 1e3\n", false);
    cases.put("a: 18446744073709551615\n", false); // a uint64
    cases.put("a: 9223372036854775807\nb: 0\nc: ~\nd: yes\ne:\n", true);
    cases.put("1: a\n", false); // a key that is not a string
    cases.put("true: a\n", false);
    cases.put("k".repeat(128) + ": a\n", true);
    cases.put("k".repeat(129) + ": a\n", false); // written in the "? key" form
    cases.put("a:\n- b: 1.0\n", false);
    cases.put("a:\n- b: 2\n  c:\n    d: 0.25\n", true);
    cases.forEach((text, readsBack) -> {
      SimpleBlockYaml.Decoded d = SimpleBlockYaml.decode(text.getBytes(StandardCharsets.UTF_8));
      assertThat(d).as(text).isNotNull();
      assertThat(d.readsBack()).as(text).isEqualTo(readsBack).isEqualTo(RoundTrip.isIdentity(d.value()));
    });
  }

  @Test
  void acceptsWhatTheEmitterWritesForPlainValues() {
    Map<Object, Object> instance = new LinkedHashMap<>();
    instance.put("name", "svc-1");
    instance.put("url", "http://10.0.0.1:8080/health");
    instance.put("timeout", 5L);
    instance.put("empty_default_hostname", true);
    instance.put("tags", List.of("cluster_name:bench", "service:svc-1"));
    Map<Object, Object> nested = new LinkedHashMap<>();
    nested.put("b", List.of(Map.of("x", 1L), Map.of("w", "z")));
    nested.put("c", null);
    instance.put("nested", nested);
    byte[] text = YamlV2.marshal(instance);
    assertThat(SimpleBlockYaml.parse(text)).isNotNull().isEqualTo(parseWithSnakeYaml(text));

    String file = "cluster_check: true\ninit_config:\ninstances:\n  - name: a\n    url: http://a\n    tags:\n"
        + "      - x:y\n";
    byte[] fileBytes = file.getBytes(StandardCharsets.UTF_8);
    assertThat(SimpleBlockYaml.parse(fileBytes)).isNotNull().isEqualTo(parseWithSnakeYaml(fileBytes));
  }

  @Test
  void givesUpOnWhatItDoesNotRead() {
    for (String text : List.of("", "# comment\na: 1\n", "a: 1\n\nb: 2\n", "a: 'x'\n", "- a\n", "a\n", "a: [1]\n",
        "a: |\n  x\n", "a: b\n  c\n", "  a: 1\n", "a: 1 \n", "a: é\n", "a:\tb\n", "a: 1\r\n", "---\na: 1\n",
        "a: &x 1\nb: *x\n", "a: b: c\n", "? a\n: b\n")) {
      assertThat(SimpleBlockYaml.parse(text.getBytes(StandardCharsets.UTF_8))).as(text).isNull();
    }
  }

  private static GoYaml.Node parseWithSnakeYaml(byte[] text) {
    try {
      return GoYaml.parseWithSnakeYaml(text);
    } catch (GoYaml.YamlException e) {
      throw new AssertionError(e);
    }
  }
}
