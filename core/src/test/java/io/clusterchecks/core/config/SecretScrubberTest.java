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
}
