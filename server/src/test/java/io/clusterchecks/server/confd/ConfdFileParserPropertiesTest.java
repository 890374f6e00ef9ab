package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Instance bytes must read back as the very values of the file, whatever the strings look like. */
class ConfdFileParserPropertiesTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Provide
  Arbitrary<String> trickyStrings() {
    Arbitrary<String> reserved = Arbitraries.of(
        "yes", "no", "on", "off", "y", "n", "true", "False", "null", "~", "NULL", "", " ", "0", "007",
        "0x1F", "1e3", "1.0", ".inf", "-.5", "+1", "1_000", "2024-01-01", "12:30", "a: b", "a #b",
        "#c", "- x", "[x]", "{x}", "*ref", "&anchor", "!tag", "%percent", "@at", "`tick", "|", ">",
        "'", "\"", "line1\nline2", "trailing ", " leading", "tab\there", "%%host%%", "héllo", "✓");
    Arbitrary<String> random = Arbitraries.strings()
        .withChars(" :#-[]{},&*!|>'\"%@`?~\n\tabcXYZ019.")
        .ofMaxLength(12);
    return Arbitraries.oneOf(reserved, random);
  }

  @Property(tries = 300)
  void instancesRoundTrip(@ForAll("trickyStrings") String key, @ForAll("trickyStrings") String value,
      @ForAll("trickyStrings") String tag) throws Exception {
    Map<String, Object> instance = Map.of(
        "k_" + key, value,
        "tags", List.of(tag, "env:" + value),
        "nested", Map.of("v", value));
    Object reparsed = YAML.readValue(ConfdFileParser.toYaml(instance).bytes(), Object.class);
    assertThat(reparsed).isEqualTo(instance);
    // and deterministic
    assertThat(ConfdFileParser.toYaml(instance)).isEqualTo(ConfdFileParser.toYaml(Map.copyOf(instance)));
  }
}
