package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretScrubberTest {
  @Test
  void secretLookingValuesAreHiddenAtEveryDepthAndTheRestKept() {
    ConfigData instance = ConfigData.ofText("""
        host: db.example
        password: hunter2
        options:
          api_key: abc
          apiKey: def
          nested: [{token: t1, user: bob}]
        DB_PASSWORD: x
        auth_token: y
        port: 5432
        passwordless: ~
        """);
    String shown = SecretScrubber.scrub(instance);
    assertThat(shown).doesNotContain("hunter2", "abc", "def", "t1", "DB_PASSWORD: x", "auth_token: y")
        .contains("host: db.example", "user: bob", "port: 5432", "password: '********'")
        // a null is not a secret: nothing to hide, and showing it says the field is empty
        .contains("passwordless: null");
  }

  @Test
  void textThatIsNotYamlIsNotShown() {
    assertThat(SecretScrubber.scrub(ConfigData.ofText("password: [hunter2"))).doesNotContain("hunter2");
    assertThat(SecretScrubber.scrub(null)).isNull();
  }

  @Test
  void aConfigPartWithNothingToHideKeepsItsBytesAndOneWithASecretIsScrubbed() {
    ConfigData clean = ConfigData.ofText("host:   \"db.example\"   # spacing and quotes kept\nport: 5432\n");
    assertThat(SecretScrubber.scrubData(clean)).isSameAs(clean);
    ConfigData secret = ConfigData.ofText("host: db.example\npassword: hunter2\n");
    assertThat(SecretScrubber.scrubData(secret).text()).doesNotContain("hunter2").contains("password: '********'");
    assertThat(SecretScrubber.scrubData(ConfigData.ofText("password: [hunter2")).text()).doesNotContain("hunter2");
    assertThat(SecretScrubber.scrubData(null)).isNull();

    Config config = Config.builder("postgres").instanceYaml("password: hunter2\n", "host: a\n")
        .initConfigYaml("token: t0ken\n").logsYaml("- type: file\n  path: /x\n").build();
    Config shown = SecretScrubber.scrubConfig(config);
    assertThat(shown.instances().get(0).text()).doesNotContain("hunter2");
    assertThat(shown.instances().get(1)).isSameAs(config.instances().get(1));
    assertThat(shown.initConfig().text()).doesNotContain("t0ken");
    assertThat(shown.logs()).isSameAs(config.logs());
    assertThat(shown.checkName()).isEqualTo("postgres");
  }
}
