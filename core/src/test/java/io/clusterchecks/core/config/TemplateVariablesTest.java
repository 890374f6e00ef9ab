package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateVariablesTest {
  private static final TemplateVariables.Variables ENV = TemplateVariables.envOnly(
      Map.of("PORT", "8080", "HEX", "0x10", "FLAG", "true", "HOST", "db.example", "UNDERSCORED", "1_000",
          "BAD_UNDERSCORE", "1__0")::get);

  private static Config config(String init, String logs, String... instances) {
    return Config.builder("c").initConfigYaml(init).logsYaml(logs).instanceYaml(instances).build();
  }

  private static TemplateVariables.Resolved resolve(Config c) {
    return TemplateVariables.resolve(c, ENV);
  }

  @Test
  void aWholeValueVariableTakesTheTypeItsValueReadsAs() {
    Config out = resolve(config(null, null,
        "port: '%%env_PORT%%'\nhex: '%%env_HEX%%'\nflag: '%%env_FLAG%%'\nhost: '%%env_HOST%%'\n"
            + "url: http://%%env_HOST%%:%%env_PORT%%/x\nseparated: '%%env_UNDERSCORED%%'\nodd: '%%env_BAD_UNDERSCORE%%'\n"))
        .config();
    // Go integer literals (0x10 is 16, 1_000 is 1000; 1__0 is not one, so it stays a string, quoted because
    // yaml.v2 would read it plain as 10), Go booleans; text in context stays text
    assertThat(out.instances().get(0).text()).isEqualTo(
        "flag: true\nhex: 16\nhost: db.example\nodd: \"1__0\"\nport: 8080\nseparated: 1000\nurl: http://db.example:8080/x\n");
  }

  @Test
  void thePartIsReadBackAndMarshalledEvenWithoutVariables() {
    // a file-order text comes out sorted: the walk re-marshals
    Config out = resolve(config("b: 1\na: 2\n", null, "z: 1\ny_key: 2\n")).config();
    assertThat(out.initConfig().text()).isEqualTo("a: 2\nb: 1\n");
    assertThat(out.instances().get(0).text()).isEqualTo("y_key: 2\nz: 1\n");
  }

  @Test
  void percentsInKeysBecomePermilleWhileValuesGetThemBack() {
    Config out = resolve(config(null, null, "'%%key': '100%% sure'\n")).config();
    assertThat(out.instances().get(0).text()).isEqualTo("\u2030key: 100%% sure\n");
  }

  @Test
  void anUnsetOrUnknownVariableLeavesThatPartAndTheRestAsWritten() {
    Config in = config("t: '%%env_PORT%%'\n", "logs:\n- path: '%%env_HOST%%'\n",
        "a: '%%env_PORT%%'\n", "b: '%%env_NOPE%%'\n", "c: '%%env_PORT%%'\n");
    TemplateVariables.Resolved r = resolve(in);
    assertThat(r.error()).contains("NOPE");
    assertThat(r.config().initConfig().text()).isEqualTo("t: 8080\n");
    assertThat(r.config().instances().get(0).text()).isEqualTo("a: 8080\n");
    assertThat(r.config().instances().get(1)).isEqualTo(in.instances().get(1));
    assertThat(r.config().instances().get(2)).isEqualTo(in.instances().get(2));
    assertThat(r.config().logs()).isEqualTo(in.logs());

    TemplateVariables.Resolved unknown = resolve(config(null, null, "h: '%%host%%'\n"));
    assertThat(unknown.error()).contains("host");
    assertThat(unknown.config().instances().get(0).text()).isEqualTo("h: '%%host%%'\n");
  }

  @Test
  void absentAndEmptyPartsStayAsTheyAre() {
    TemplateVariables.Resolved r = resolve(config(null, null, ""));
    assertThat(r.error()).isNull();
    assertThat(r.config().initConfig()).isNull();
    assertThat(r.config().logs()).isNull();
    assertThat(r.config().instances().get(0).length()).isZero();
  }

  @Test
  void aStringMergeKeyWrittenByTheFileStepIsReadAsAMergeKey() throws Exception {
    // the file step writes the quoted key "<<" unquoted; the walk's read takes it as a merge
    Map<Object, Object> instance = new LinkedHashMap<>();
    instance.put("<<", Map.of("merged", 1L));
    instance.put("own", 2L);
    byte[] written = YamlV2.marshal(instance);
    assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo("<<:\n  merged: 1\nown: 2\n");
    assertThat(new String(TemplateVariables.resolve(written, instance, ENV), StandardCharsets.UTF_8))
        .isEqualTo("merged: 1\nown: 2\n");
  }

  // The walk's hooks: the post-processor, the tag adder and per-string resolution.

  private static final TemplateVariables.Variables ENV_X = TemplateVariables.envOnly(Map.of("X", "7")::get);

  private static String resolve(String yaml, TemplateVariables.Variables v, TemplateVariables.PostProcessor p)
      throws Exception {
    return new String(TemplateVariables.resolve(yaml.getBytes(StandardCharsets.UTF_8), v, p), StandardCharsets.UTF_8);
  }

  @Test
  void tagAdderKeepsStringTagsDropsOthersAndSortsBytewise() throws Exception {
    TemplateVariables.PostProcessor add = TemplateVariables.addTags(List.of("b:1", "\uD83D\uDE00", "\uFF21", "a:1"));
    // a supplementary character sorts after U+FF21 in UTF-8 (it does not in UTF-16)
    assertThat(resolve("tags: [a:1, 3, ~, z]\nx: 1\n", ENV_X, add))
        .isEqualTo("tags:\n- a:1\n- b:1\n- z\n- \uFF21\n- \"\\U0001F600\"\nx: 1\n");
    assertThat(resolve("tags: not-a-list\n", ENV_X, add)).startsWith("tags:\n- a:1\n- b:1\n");
    assertThat(resolve("tags: [z]\n", ENV_X, TemplateVariables.addTags(List.of()))).isEqualTo("tags:\n- z\n");
    assertThat(resolve("- a\n", ENV_X, add)).isEqualTo("- a\n"); // not a map: left alone
  }

  @Test
  void postProcessorSeesTheWalkedValueAndItsFailureStopsThePart() throws Exception {
    assertThat(resolve("v: '%%env_X%%'\n", ENV_X, value -> assertThat(value).isEqualTo(Map.of("v", 7L))))
        .isEqualTo("v: 7\n");
    assertThatThrownBy(() -> resolve("v: 1\n", ENV_X, value -> {
      throw new TemplateVariables.Unresolved("no");
    })).isInstanceOf(TemplateVariables.Unresolved.class);
    assertThat(resolve("", ENV_X, value -> {
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
