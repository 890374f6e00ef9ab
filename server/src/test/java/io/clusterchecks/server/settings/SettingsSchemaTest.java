package io.clusterchecks.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the schema guarantees for every key, checked key by key over {@link Keys#ALL}, so a key
 * added later is covered without a line here: it loads, shows, overrides and refuses as its type
 * says, and every refusal names it.
 */
class SettingsSchemaTest {
  @TempDir Path dir;

  static Stream<Setting<?>> settings() {
    return Keys.ALL.stream();
  }

  @Test
  void everyDeclaredKeyIsKnownShownAndPrintedInDeclarationOrder() {
    AgentSettings d = SettingsLoader.defaults();
    List<String> declared = Keys.ALL.stream().map(Setting::key).toList();
    assertThat(SettingsLoader.knownKeys()).containsExactlyElementsOf(declared);
    assertThat(d.asMap().keySet()).containsExactlyElementsOf(declared);
    for (String key : declared) {
      assertThat(d.render()).contains("\n  " + key + ": ");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  <T> void theDefaultIsTheDeclaredOneAndItsVariableFollowsFromTheKey(Setting<T> s) {
    AgentSettings d = SettingsLoader.defaults();
    assertThat(d.get(s)).isEqualTo(s.defaultValue());
    assertThat(d.asMap().get(s.key())).isEqualTo(s.shown(s.defaultValue()));
    assertThat(s.envName()).isEqualTo("DD_" + s.key().toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
    assertThat(Keys.byEnvName(s.envName())).isSameAs(s);
    assertThat(Keys.byKey(s.key())).isSameAs(s);
  }

  /** Every type refuses a YAML mapping, so every key can be given one: the message names the key. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void aMappingFromTheFileIsRefusedNamingTheKeyAndTheFile(Setting<?> s) throws IOException {
    Path f = Files.writeString(dir.resolve("datadog-cluster.yaml"), s.key() + ": {not: usable}\n");
    assertThatThrownBy(() -> SettingsLoader.load(f, Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("invalid value for " + s.key() + " from " + f + ": ")
        .hasMessageContaining(s.secret() ? "(value hidden)" : "{not=usable}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void anUnusableVariableIsRefusedNamingTheKeyAndTheVariable(Setting<?> s) {
    Optional<String> bad = unusable(s);
    if (bad.isEmpty()) {
      // a plain string takes any text from the environment
      assertThat(s.type()).isInstanceOf(SettingType.Str.class);
      assertThat(s.type().parse("any text")).isEqualTo("any text");
      return;
    }
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of(s.envName(), bad.get())))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("invalid value for " + s.key() + " from environment variable " + s.envName() + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(s.secret() ? bad.get() : "\u0000"));
  }

  /** A value of the key's type that the type refuses, or empty when it takes any text. */
  private static Optional<String> unusable(Setting<?> s) {
    SettingType<?> type = s.type();
    for (String candidate : List.of("maybe", "[1", "-5", "a b", "//", "x".repeat(3) + " /")) {
      try {
        type.parse(candidate);
      } catch (SettingType.Invalid e) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Test
  void aVariableOverridesTheFileForEachTypeAndIsReadTyped() throws IOException {
    Path f = Files.writeString(dir.resolve("datadog-cluster.yaml"), """
        cluster_checks:
          enabled: true
          rebalance_max_moves: 3
          node_expiration_timeout: 20
          rebalance_period: 5m
          extra_tags: [from:file]
        cluster_name: from-file
        """);
    AgentSettings s = SettingsLoader.load(f, Map.of(
        "DD_CLUSTER_CHECKS_ENABLED", "FALSE",
        "DD_CLUSTER_CHECKS_REBALANCE_MAX_MOVES", " 7 ",
        "DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", "1m30s",
        "DD_CLUSTER_CHECKS_REBALANCE_PERIOD", "120",
        "DD_CLUSTER_CHECKS_EXTRA_TAGS", "[\"a:1\",\"b:2\"]",
        "DD_CLUSTER_NAME", "from-env"));
    boolean enabled = s.get(Keys.CLUSTER_CHECKS_ENABLED);
    int moves = s.get(Keys.CLUSTER_CHECKS_REBALANCE_MAX_MOVES);
    Duration expiration = s.get(Keys.CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT);
    Duration period = s.get(Keys.CLUSTER_CHECKS_REBALANCE_PERIOD);
    List<String> tags = s.get(Keys.CLUSTER_CHECKS_EXTRA_TAGS);
    String name = s.get(Keys.CLUSTER_NAME);
    assertThat(enabled).isFalse();
    assertThat(moves).isEqualTo(7);
    assertThat(expiration).isEqualTo(Duration.ofSeconds(90));
    assertThat(period).isEqualTo(Duration.ofMinutes(2));
    assertThat(tags).containsExactly("a:1", "b:2");
    assertThat(name).isEqualTo("from-env");
    assertThat(s.asMap()).containsEntry("cluster_checks.node_expiration_timeout", 90L)
        .containsEntry("cluster_checks.rebalance_period", "2m0s");
    for (Setting<?> k : List.of(Keys.CLUSTER_CHECKS_ENABLED, Keys.CLUSTER_CHECKS_REBALANCE_MAX_MOVES,
        Keys.CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT, Keys.CLUSTER_CHECKS_REBALANCE_PERIOD,
        Keys.CLUSTER_CHECKS_EXTRA_TAGS, Keys.CLUSTER_NAME)) {
      assertThat(s.origins()).containsEntry(k.key(), "env " + k.envName());
    }
  }

  @Test
  void theGroupedViewsReadTheSameValuesAsTypedAccess() {
    AgentSettings s = SettingsLoader.load(null, Map.of("DD_CLUSTER_AGENT_CMD_PORT", "6001",
        "DD_LEADER_LEASE_DURATION", "15", "DD_AD_ALLOWED_ENV_VARS", "REGION", "DD_CONFD_PATH", "/srv/conf.d"));
    assertThat(s.clusterAgent().cmdPort()).isEqualTo(s.get(Keys.CLUSTER_AGENT_CMD_PORT)).isEqualTo(6001);
    assertThat(s.leaderElection().leaseDuration()).isEqualTo(s.get(Keys.LEADER_LEASE_DURATION));
    assertThat(s.kubernetes().allowedEnvVars()).isEqualTo(s.get(Keys.AD_ALLOWED_ENV_VARS));
    assertThat(s.confdPath()).isEqualTo(Path.of(s.get(Keys.CONFD_PATH)));
  }

  @Test
  void everyEnvironmentReadComesFromTheLoadersEnvironment() {
    // the test process has PATH; settings loaded from an empty environment do not see it
    assertThat(System.getenv("PATH")).isNotNull();
    assertThat(SettingsLoader.load(null, Map.of()).env("PATH")).isNull();
    AgentSettings s = SettingsLoader.load(null, Map.of("POD_IP", "10.1.2.3", "DD_CLUSTER_NAME", "c"));
    assertThat(s.env("POD_IP")).isEqualTo("10.1.2.3");
    assertThat(s.toString()).doesNotContain("10.1.2.3");
  }
}
