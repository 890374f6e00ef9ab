package io.clusterchecks.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.core.JacksonException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlDocumentsTest {
  private static Object read(String yaml) throws Exception {
    return YamlDocuments.read(yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void scalarsListsAndMaps() throws Exception {
    assertThat(read("a: 1\nb: [x, 2.5, true, null]\nc: {d: e}\n")).isEqualTo(Map.of(
        "a", 1, "b", java.util.Arrays.asList("x", 2.5, true, null), "c", Map.of("d", "e")));
  }

  @Test
  void emptyAndCommentOnlyDocumentsAreNull() throws Exception {
    assertThat(read("")).isNull();
    assertThat(read("# just a comment\n")).isNull();
  }

  @Test
  void aliasesResolveToTheAnchoredValue() throws Exception {
    Object doc = read("""
        tags: &tags [env:prod, team:a]
        conn: &conn {port: 6379}
        instances:
          - &first
            host: a
            tags: *tags
            conn: *conn
          - *first
        """);
    Map<String, Object> first = Map.of("host", "a", "tags", List.of("env:prod", "team:a"), "conn", Map.of("port", 6379));
    assertThat(doc).isEqualTo(Map.of(
        "tags", List.of("env:prod", "team:a"),
        "conn", Map.of("port", 6379),
        "instances", List.of(first, first)));
  }

  @Test
  void mergeKeysApplyWithExplicitKeysWinning() throws Exception {
    Object doc = read("""
        defaults: &defaults
          timeout: 5
          tags: [x]
        other: &other
          timeout: 7
          method: GET
        instances:
          - <<: *defaults
            name: one
          - name: two
            timeout: 9
            <<: [*defaults, *other]
        """);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> instances = (List<Map<String, Object>>) ((Map<?, ?>) doc).get("instances");
    assertThat(instances.get(0)).isEqualTo(Map.of("name", "one", "timeout", 5, "tags", List.of("x")));
    assertThat(instances.get(1)).isEqualTo(Map.of("name", "two", "timeout", 9, "tags", List.of("x"), "method", "GET"));
  }

  @Test
  void unknownAliasAndBadMergeAreErrorsWithALine() {
    assertThatThrownBy(() -> read("a: 1\nb: *nope\n"))
        .isInstanceOf(JacksonException.class)
        .satisfies(e -> assertThat(YamlDocuments.describe((JacksonException) e))
            .startsWith("line 2, column").contains("unknown alias *nope"));
    assertThatThrownBy(() -> read("a: &s [text]\nb:\n  <<: *s\n"))
        .isInstanceOf(JacksonException.class).hasMessageContaining("merge key");
  }

  @Test
  void aliasesToSingleValuesAreReportedNotMisread() {
    assertThatThrownBy(() -> read("port: &p 6379\nother: *p\n"))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("unknown alias *p");
  }

  @Test
  void ourOwnExceptionMessagesCarryNoSourceExcerpt() {
    assertThatThrownBy(() -> read("token: hunter2-secret\nb: *nope\n"))
        .isInstanceOf(JacksonException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void aliasBombsAreRejected() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    assertThatThrownBy(() -> read(yaml.toString()))
        .isInstanceOf(JacksonException.class).hasMessageContaining("too large");
  }

  @Test
  void describeKeepsTheParserWordingButNotTheText() {
    assertThatThrownBy(() -> read("a:\n  secret: \"hunter2-password\" trailing\n"))
        .isInstanceOf(JacksonException.class)
        .satisfies(e -> assertThat(YamlDocuments.describe((JacksonException) e))
            .startsWith("line 2, column ")
            .contains("<block end>")
            .doesNotContain("hunter2"));
    assertThat(YamlDocuments.sanitize("Unrecognized token 'hunter2': was expecting")).isEqualTo(
        "Unrecognized token '…': was expecting");
  }
}
