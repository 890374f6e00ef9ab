package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template-variable walk's hooks: the post-processor, the tag adder and per-string resolution. */
class TemplateVariablesTest {
  private static final TemplateVariables.Variables ENV = TemplateVariables.envOnly(Map.of("X", "7")::get);

  private static String resolve(String yaml, TemplateVariables.Variables v, TemplateVariables.PostProcessor p)
      throws Exception {
    return new String(TemplateVariables.resolve(yaml.getBytes(StandardCharsets.UTF_8), v, p), StandardCharsets.UTF_8);
  }

  @Test
  void tagAdderKeepsStringTagsDropsOthersAndSortsBytewise() throws Exception {
    TemplateVariables.PostProcessor add = TemplateVariables.addTags(List.of("b:1", "\uD83D\uDE00", "\uFF21", "a:1"));
    // a supplementary character sorts after U+FF21 in UTF-8 (it does not in UTF-16)
    assertThat(resolve("tags: [a:1, 3, ~, z]\nx: 1\n", ENV, add))
        .isEqualTo("tags:\n- a:1\n- b:1\n- z\n- \uFF21\n- \"\\U0001F600\"\nx: 1\n");
    assertThat(resolve("tags: not-a-list\n", ENV, add)).startsWith("tags:\n- a:1\n- b:1\n");
    assertThat(resolve("tags: [z]\n", ENV, TemplateVariables.addTags(List.of()))).isEqualTo("tags:\n- z\n");
    assertThat(resolve("- a\n", ENV, add)).isEqualTo("- a\n"); // not a map: left alone
  }

  @Test
  void postProcessorSeesTheWalkedValueAndItsFailureStopsThePart() throws Exception {
    assertThat(resolve("v: '%%env_X%%'\n", ENV, value -> assertThat(value).isEqualTo(Map.of("v", 7L))))
        .isEqualTo("v: 7\n");
    assertThatThrownBy(() -> resolve("v: 1\n", ENV, value -> {
      throw new TemplateVariables.Unresolved("no");
    })).isInstanceOf(TemplateVariables.Unresolved.class);
    assertThat(resolve("", ENV, value -> {
      throw new AssertionError("an empty part is not walked");
    })).isEmpty();
  }

  @Test
  void aSourceMayResolveWholeStringsItself() throws Exception {
    TemplateVariables.Variables upper = new TemplateVariables.Variables() {
      @Override
      public String resolve(String name, String key) {
        return key;
      }

      @Override
      public Object resolveValue(String escaped) throws TemplateVariables.Unresolved {
        return String.valueOf(TemplateVariables.substitute(escaped, this)).toUpperCase(java.util.Locale.ROOT);
      }
    };
    assertThat(resolve("a: x %%v_y%%\n", upper, null)).isEqualTo("a: X Y\n");
  }
}
