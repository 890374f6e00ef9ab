package io.clusterchecks.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {
  private static final String TOKEN = "s3cr3t-token-0123456789abcdef";

  @TempDir Path dir;

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("datadog-cluster.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private static AgentSettings env(Map<String, String> env) {
    return SettingsLoader.load(null, env);
  }

  @Test
  void defaults() {
    AgentSettings s = SettingsLoader.defaults();
    var cc = s.clusterChecks();
    assertThat(cc.enabled()).isTrue();
    assertThat(cc.nodeExpirationTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cc.warmupDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cc.unscheduledCheckThreshold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(cc.clusterTagName()).isEqualTo("cluster_name");
    assertThat(cc.extraTags()).isEmpty();
    assertThat(cc.excludeChecks()).isEmpty();
    assertThat(cc.excludeChecksFromDispatching()).isEmpty();
    assertThat(cc.advancedDispatchingEnabled()).isTrue();
    assertThat(cc.rebalanceWithUtilization()).isTrue();
    assertThat(cc.rebalanceMinPercentageImprovement()).isEqualTo(10);
    assertThat(cc.rebalancePeriod()).isEqualTo(Duration.ofMinutes(10));
    assertThat(cc.clcRunnersPort()).isEqualTo(5005);
    assertThat(s.clusterName()).isEmpty();
    assertThat(s.disableClusterNameTagKey()).isFalse();
    assertThat(s.confdPath()).isEqualTo(Path.of("/etc/datadog-agent/conf.d"));
    assertThat(s.confdPollInterval()).isEqualTo(Duration.ZERO);
    assertThat(s.logLevel()).isEqualTo("info");
    var ca = s.clusterAgent();
    assertThat(ca.cmdPort()).isEqualTo(5005);
    assertThat(ca.cmdHost()).isEqualTo("0.0.0.0");
    assertThat(ca.authToken()).isEmpty();
    assertThat(ca.hasAuthToken()).isFalse();
    assertThat(ca.allowLegacyTls()).isFalse();
    assertThat(ca.tlsEnabled()).isTrue();
    assertThat(ca.tlsCertFile()).isEmpty();
    assertThat(ca.tlsKeyFile()).isEmpty();
    assertThat(ca.maxLeaderConnections()).isEqualTo(100);
    assertThat(ca.url()).isEmpty();
    assertThat(ca.kubernetesServiceName()).isEqualTo("datadog-cluster-agent");
    assertThat(s.metricsPort()).isEqualTo(5000);
    var le = s.leaderElection();
    assertThat(le.enabled()).isFalse();
    assertThat(le.leaseName()).isEqualTo("datadog-leader-election");
    assertThat(le.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(le.releaseOnShutdown()).isTrue();
    assertThat(le.backend()).isEqualTo("kubernetes");
    assertThat(le.isZooKeeper()).isFalse();
    assertThat(le.zookeeperConnectString()).isEmpty();
    assertThat(le.zookeeperPath()).isEqualTo("/clusterchecks/leader");
    assertThat(le.zookeeperSessionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ca.advertiseHost()).isEmpty();
    assertThat(s.extraConfigProviders()).isEmpty();
    assertThat(s.extraListeners()).isEmpty();
    assertThat(s.kubernetesUseEndpointSlices()).isFalse();
    assertThat(s.warnings()).isEmpty();
    assertThat(s.origins()).isEmpty();
  }

  @Test
  void fileOnly() throws IOException {
    Path f = file("""
        cluster_name: prod-eu
        confd_path: /srv/conf.d
        log_level: DEBUG
        metrics_port: 9090
        leader_election: true
        leader_lease_duration: 15
        extra_config_providers: [kube_services, kube_endpoints]
        extra_listeners:
          - kube_services
        cluster_checks:
          enabled: false
          node_expiration_timeout: 45
          warmup_duration: 0
          unscheduled_check_threshold: 120
          extra_tags:
            - env:prod
            - team:sre
          exclude_checks: [kubernetes_state]
          rebalance_period: 1h30m
          rebalance_min_percentage_improvement: 25
          clc_runners_port: 5006
        cluster_agent:
          auth_token: %s
          cmd_port: 6005
          cmd_host: 127.0.0.1
          tls_enabled: false
          kubernetes_service_name: dca
        """.formatted(TOKEN));
    AgentSettings s = SettingsLoader.load(f, Map.of());
    assertThat(s.clusterName()).isEqualTo("prod-eu");
    assertThat(s.confdPath()).isEqualTo(Path.of("/srv/conf.d"));
    assertThat(s.logLevel()).isEqualTo("debug");
    assertThat(s.metricsPort()).isEqualTo(9090);
    assertThat(s.leaderElection().enabled()).isTrue();
    assertThat(s.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.extraConfigProviders()).containsExactly("kube_services", "kube_endpoints");
    assertThat(s.extraListeners()).containsExactly("kube_services");
    var cc = s.clusterChecks();
    assertThat(cc.enabled()).isFalse();
    assertThat(cc.nodeExpirationTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(cc.warmupDuration()).isZero();
    assertThat(cc.unscheduledCheckThreshold()).isEqualTo(Duration.ofSeconds(120));
    assertThat(cc.extraTags()).containsExactly("env:prod", "team:sre");
    assertThat(cc.excludeChecks()).containsExactly("kubernetes_state");
    assertThat(cc.rebalancePeriod()).isEqualTo(Duration.ofMinutes(90));
    assertThat(cc.rebalanceMinPercentageImprovement()).isEqualTo(25);
    assertThat(cc.clcRunnersPort()).isEqualTo(5006);
    var ca = s.clusterAgent();
    assertThat(ca.authToken()).isEqualTo(TOKEN);
    assertThat(ca.cmdPort()).isEqualTo(6005);
    assertThat(ca.cmdHost()).isEqualTo("127.0.0.1");
    assertThat(ca.tlsEnabled()).isFalse();
    assertThat(ca.kubernetesServiceName()).isEqualTo("dca");
    assertThat(s.origins()).containsEntry("cluster_agent.cmd_port", "file " + f)
        .doesNotContainKey("cluster_agent.url");
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void dottedTopLevelKeysInFileAreAccepted() throws IOException {
    AgentSettings s = SettingsLoader.load(file("cluster_agent.cmd_port: 7000\n"), Map.of());
    assertThat(s.clusterAgent().cmdPort()).isEqualTo(7000);
  }

  @Test
  void emptyFileAndKeysWithoutValueKeepDefaults() throws IOException {
    assertThat(SettingsLoader.load(file(""), Map.of())).isEqualTo(SettingsLoader.defaults());
    assertThat(SettingsLoader.load(file("# all commented out\n# cluster_name: x\n"), Map.of()))
        .isEqualTo(SettingsLoader.defaults());
    AgentSettings s = SettingsLoader.load(file("cluster_name:\ncluster_checks:\ncluster_agent:\n  cmd_port:\n"), Map.of());
    assertThat(s.clusterName()).isEmpty();
    assertThat(s.clusterAgent().cmdPort()).isEqualTo(5005);
  }

  @Test
  void envOnly() {
    AgentSettings s = env(Map.ofEntries(
        Map.entry("DD_CLUSTER_AGENT_AUTH_TOKEN", TOKEN),
        Map.entry("DD_CONFD_PATH", "/conf.d"),
        Map.entry("DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", "40"),
        Map.entry("DD_CLUSTER_CHECKS_ENABLED", "FALSE"),
        Map.entry("DD_CLUSTER_CHECKS_EXTRA_TAGS", "env:prod team:sre"),
        Map.entry("DD_CLUSTER_CHECKS_REBALANCE_PERIOD", "90s"),
        Map.entry("DD_CLUSTER_AGENT_CMD_PORT", " 6000 "),
        Map.entry("DD_CLUSTER_AGENT_TLS_ENABLED", "false"),
        Map.entry("DD_LEADER_ELECTION", "true"),
        Map.entry("DD_LEADER_LEASE_DURATION", "2m"),
        Map.entry("DD_KUBERNETES_USE_ENDPOINT_SLICES", "true"),
        Map.entry("DD_EXTRA_CONFIG_PROVIDERS", "[\"kube_services\", \"kube_endpoints\"]"),
        Map.entry("PATH", "/usr/bin"),
        Map.entry("DD_API_KEY", "not-ours")));
    assertThat(s.clusterAgent().authToken()).isEqualTo(TOKEN);
    assertThat(s.confdPath()).isEqualTo(Path.of("/conf.d"));
    assertThat(s.clusterChecks().nodeExpirationTimeout()).isEqualTo(Duration.ofSeconds(40));
    assertThat(s.clusterChecks().enabled()).isFalse();
    assertThat(s.clusterChecks().extraTags()).containsExactly("env:prod", "team:sre");
    assertThat(s.clusterChecks().rebalancePeriod()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.clusterAgent().cmdPort()).isEqualTo(6000);
    assertThat(s.clusterAgent().tlsEnabled()).isFalse();
    assertThat(s.leaderElection().enabled()).isTrue();
    assertThat(s.leaderElection().leaseDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.kubernetesUseEndpointSlices()).isTrue();
    assertThat(s.extraConfigProviders()).containsExactly("kube_services", "kube_endpoints");
    assertThat(s.origins()).containsEntry("confd_path", "env DD_CONFD_PATH");
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void envOverridesFile() throws IOException {
    Path f = file("""
        confd_path: /from/file
        cluster_name: file-cluster
        cluster_checks:
          node_expiration_timeout: 50
          extra_tags: [a, b]
        cluster_agent:
          auth_token: file-token
          cmd_port: 6001
        """);
    AgentSettings s = SettingsLoader.load(f, Map.of(
        "DD_CONFD_PATH", "/from/env",
        "DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", "20",
        "DD_CLUSTER_CHECKS_EXTRA_TAGS", "c",
        "DD_CLUSTER_AGENT_AUTH_TOKEN", "env-token"));
    assertThat(s.confdPath()).isEqualTo(Path.of("/from/env"));
    assertThat(s.clusterChecks().nodeExpirationTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.clusterChecks().extraTags()).containsExactly("c");
    assertThat(s.clusterAgent().authToken()).isEqualTo("env-token");
    // not overridden: still from the file
    assertThat(s.clusterName()).isEqualTo("file-cluster");
    assertThat(s.clusterAgent().cmdPort()).isEqualTo(6001);
    assertThat(s.origins())
        .containsEntry("confd_path", "env DD_CONFD_PATH")
        .containsEntry("cluster_name", "file " + f);
  }

  @Test
  void emptyEnvVarCountsAsUnset() throws IOException {
    AgentSettings s = SettingsLoader.load(file("cluster_name: from-file\n"),
        Map.of("DD_CLUSTER_NAME", "", "DD_CLUSTER_AGENT_CMD_PORT", "  "));
    assertThat(s.clusterName()).isEqualTo("from-file");
    assertThat(s.clusterAgent().cmdPort()).isEqualTo(5005);
  }

  @Test
  void envNamesFollowTheDatadogMapping() {
    assertThat(SettingsLoader.envNameOf("cluster_agent.auth_token")).isEqualTo("DD_CLUSTER_AGENT_AUTH_TOKEN");
    assertThat(SettingsLoader.envNameOf("confd_path")).isEqualTo("DD_CONFD_PATH");
    assertThat(SettingsLoader.envNameOf("cluster_checks.node_expiration_timeout"))
        .isEqualTo("DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT");
  }

  @Test
  void everyKnownKeyCanBeSetFromItsEnvVar() {
    // each key round-trips through its env var with a valid non-default value
    Map<String, Object> defaults = SettingsLoader.defaults().asMap();
    assertThat(defaults.keySet()).containsExactlyInAnyOrderElementsOf(SettingsLoader.knownKeys());
    for (String key : SettingsLoader.knownKeys()) {
      Object def = defaults.get(key);
      String value;
      if (def instanceof Boolean b) {
        value = String.valueOf(!b);
      } else if (def instanceof Integer i) {
        value = String.valueOf(i + 1);
      } else if (def instanceof Long l) {
        value = String.valueOf(l + 1);
      } else if (def instanceof List) {
        value = "x y";
      } else if (key.equals("log_level")) {
        value = "warn";
      } else if (key.equals("cluster_checks.rebalance_period")) {
        value = "5m";
      } else if (key.equals("leader_election_backend")) {
        value = "zookeeper";
      } else if (key.equals("cluster_agent.advertise_host")) {
        value = "10.0.0.7";
      } else {
        value = "/some-value";
      }
      Map<String, String> env = new java.util.HashMap<>(Map.of(SettingsLoader.envNameOf(key), value));
      if (key.startsWith("cluster_agent.tls_") && key.endsWith("_file")) {
        env.put("DD_CLUSTER_AGENT_TLS_CERT_FILE", value);
        env.put("DD_CLUSTER_AGENT_TLS_KEY_FILE", value);
      }
      AgentSettings s = env(env);
      assertThat(s.origins()).as(key).containsEntry(key, "env " + SettingsLoader.envNameOf(key));
      assertThat(s.asMap().get(key)).as(key).isNotEqualTo(def);
    }
  }

  @Nested
  class LeaderElectionKeys {
    @Test
    void zookeeperFromTheFileInNestedForm() throws IOException {
      Path f = file("""
          leader_election: true
          leader_election_backend: ZooKeeper
          leader_election_zookeeper:
            connect_string: zk-1:2181,zk-2:2181,zk-3:2181/prod
            path: /dca/leader
            session_timeout: 10
          cluster_agent:
            advertise_host: 10.1.2.3
          """);
      AgentSettings s = SettingsLoader.load(f, Map.of());
      var le = s.leaderElection();
      assertThat(le.enabled()).isTrue();
      assertThat(le.backend()).isEqualTo("zookeeper");
      assertThat(le.isZooKeeper()).isTrue();
      assertThat(le.zookeeperConnectString()).isEqualTo("zk-1:2181,zk-2:2181,zk-3:2181/prod");
      assertThat(le.zookeeperPath()).isEqualTo("/dca/leader");
      assertThat(le.zookeeperSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(s.clusterAgent().advertiseHost()).isEqualTo("10.1.2.3");
      assertThat(s.warnings()).isEmpty();
      assertThat(s.origins()).containsEntry("leader_election_zookeeper.path", "file " + f);
    }

    @Test
    void zookeeperFromTheEnvironment() {
      AgentSettings s = env(Map.of(
          "DD_LEADER_ELECTION", "true",
          "DD_LEADER_ELECTION_BACKEND", "zookeeper",
          "DD_LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING", "127.0.0.1:2181",
          "DD_LEADER_ELECTION_ZOOKEEPER_PATH", "/a/b",
          "DD_LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT", "15s",
          "DD_CLUSTER_AGENT_ADVERTISE_HOST", "dca-1.example.com"));
      var le = s.leaderElection();
      assertThat(le.zookeeperConnectString()).isEqualTo("127.0.0.1:2181");
      assertThat(le.zookeeperPath()).isEqualTo("/a/b");
      assertThat(le.zookeeperSessionTimeout()).isEqualTo(Duration.ofSeconds(15));
      assertThat(s.clusterAgent().advertiseHost()).isEqualTo("dca-1.example.com");
      assertThat(s.origins()).containsEntry("leader_election_backend", "env DD_LEADER_ELECTION_BACKEND");
      assertThat(s.warnings()).isEmpty();
    }

    @Test
    void zookeeperWithoutEnsembleIsRefusedOnlyWhenElectionIsOn() {
      assertThatThrownBy(() -> env(Map.of("DD_LEADER_ELECTION", "true", "DD_LEADER_ELECTION_BACKEND", "zookeeper")))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining("leader_election_zookeeper.connect_string")
          .hasMessageContaining("env DD_LEADER_ELECTION_BACKEND");
      assertThat(env(Map.of("DD_LEADER_ELECTION_BACKEND", "zookeeper")).leaderElection().isZooKeeper()).isTrue();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "DD_LEADER_ELECTION_BACKEND | etcd | leader_election_backend",
        "DD_LEADER_ELECTION_BACKEND | consul | leader_election_backend",
        "DD_LEADER_ELECTION_ZOOKEEPER_PATH | relative/path | leader_election_zookeeper.path",
        "DD_LEADER_ELECTION_ZOOKEEPER_PATH | /trailing/ | leader_election_zookeeper.path",
        "DD_LEADER_ELECTION_ZOOKEEPER_PATH | / | leader_election_zookeeper.path",
        "DD_LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT | 0 | leader_election_zookeeper.session_timeout",
        "DD_LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT | soon | leader_election_zookeeper.session_timeout",
        "DD_CLUSTER_AGENT_ADVERTISE_HOST | https://10.0.0.1 | cluster_agent.advertise_host",
        "DD_CLUSTER_AGENT_ADVERTISE_HOST | a b | cluster_agent.advertise_host",
    })
    void badValuesNameKeyAndSource(String var, String value, String key) {
      assertThatThrownBy(() -> env(Map.of(var, value)))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("environment variable " + var)
          .hasMessageContaining("\"" + value + "\"");
    }

    @Test
    void aMisspelledZooKeeperVariableIsAWarning() {
      AgentSettings s = env(Map.of("DD_LEADER_ELECTION_ZOOKEPER_PATH", "/x"));
      assertThat(s.warnings()).singleElement().asString()
          .contains("DD_LEADER_ELECTION_ZOOKEPER_PATH").contains("DD_LEADER_ELECTION_ZOOKEEPER_PATH");
    }
  }

  @Nested
  class Lists {
    @Test
    void spaceSeparatedFromEnv() {
      assertThat(env(Map.of("DD_CLUSTER_CHECKS_EXCLUDE_CHECKS", "  redisdb   postgres\tmysql ")).clusterChecks()
          .excludeChecks()).containsExactly("redisdb", "postgres", "mysql");
    }

    @Test
    void jsonArrayFromEnv() {
      assertThat(env(Map.of("DD_CLUSTER_CHECKS_EXTRA_TAGS", "[\"env:prod\", \"owner:team a\"]")).clusterChecks()
          .extraTags()).containsExactly("env:prod", "owner:team a");
      assertThat(env(Map.of("DD_CLUSTER_CHECKS_EXTRA_TAGS", "[]")).clusterChecks().extraTags()).isEmpty();
    }

    @Test
    void malformedJsonArrayFromEnv() {
      assertThatThrownBy(() -> env(Map.of("DD_CLUSTER_CHECKS_EXTRA_TAGS", "[\"env:prod\"")))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining("cluster_checks.extra_tags")
          .hasMessageContaining("DD_CLUSTER_CHECKS_EXTRA_TAGS")
          .hasMessageContaining("[\"env:prod\"")
          .hasMessageContaining("JSON array");
      assertThatThrownBy(() -> env(Map.of("DD_EXTRA_LISTENERS", "[[\"a\"]]")))
          .isInstanceOf(SettingsException.class).hasMessageContaining("extra_listeners");
    }

    @Test
    void yamlListAndYamlString() throws IOException {
      AgentSettings s = SettingsLoader.load(file("""
          cluster_checks:
            extra_tags: [env:prod, 42, true]
            exclude_checks: "redisdb postgres"
            exclude_checks_from_dispatching: []
          """), Map.of());
      assertThat(s.clusterChecks().extraTags()).containsExactly("env:prod", "42", "true");
      assertThat(s.clusterChecks().excludeChecks()).containsExactly("redisdb", "postgres");
      assertThat(s.clusterChecks().excludeChecksFromDispatching()).isEmpty();
    }

    @Test
    void nestedListItemsAreRejected() throws IOException {
      Path f = file("cluster_checks:\n  extra_tags:\n    - {a: b}\n");
      assertThatThrownBy(() -> SettingsLoader.load(f, Map.of()))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining("cluster_checks.extra_tags").hasMessageContaining(f.toString());
    }
  }

  @Nested
  class Durations {
    @ParameterizedTest
    @CsvSource({"10m, 600", "90s, 90", "1h30m, 5400", "600, 600", "1.5h, 5400"})
    void rebalancePeriod(String value, long seconds) {
      assertThat(env(Map.of("DD_CLUSTER_CHECKS_REBALANCE_PERIOD", value)).clusterChecks().rebalancePeriod())
          .isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void secondsKeysAcceptIntegersAndGoDurations() throws IOException {
      AgentSettings s = SettingsLoader.load(file("""
          cluster_checks:
            warmup_duration: "45"
            node_expiration_timeout: 1m
          leader_lease_duration: "60"
          """), Map.of());
      assertThat(s.clusterChecks().warmupDuration()).isEqualTo(Duration.ofSeconds(45));
      assertThat(s.clusterChecks().nodeExpirationTimeout()).isEqualTo(Duration.ofMinutes(1));
      assertThat(s.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void unscheduledThresholdIsRaisedToNodeExpiration() {
      AgentSettings s = env(Map.of(
          "DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", "90",
          "DD_CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD", "60"));
      assertThat(s.clusterChecks().unscheduledCheckThreshold()).isEqualTo(Duration.ofSeconds(90));
      assertThat(s.warnings()).singleElement().asString()
          .contains("cluster_checks.unscheduled_check_threshold", "60s", "90s");
    }
  }

  @Test
  void balancingBandsAndBudgetHaveDefaultsAndTheirOwnVariables() {
    AgentSettings d = env(Map.of());
    assertThat(d.clusterChecks().rebalanceTargetPercentage()).isEqualTo(2);
    assertThat(d.clusterChecks().rebalanceTriggerPercentage()).isEqualTo(4);
    assertThat(d.clusterChecks().rebalanceFillBelowPercentage()).isEqualTo(5);
    assertThat(d.clusterChecks().rebalanceMaxMoves()).isZero();
    AgentSettings s = env(Map.of("DD_CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE", "3",
        "DD_CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE", "8", "DD_CLUSTER_CHECKS_REBALANCE_MAX_MOVES", "50",
        "DD_CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE", "10"));
    assertThat(s.clusterChecks().rebalanceTargetPercentage()).isEqualTo(3);
    assertThat(s.clusterChecks().rebalanceTriggerPercentage()).isEqualTo(8);
    assertThat(s.clusterChecks().rebalanceFillBelowPercentage()).isEqualTo(10);
    assertThat(s.clusterChecks().rebalanceMaxMoves()).isEqualTo(50);
  }

  @Test
  void aTriggerTighterThanTheTargetIsRefused() {
    assertThatThrownBy(() -> env(Map.of("DD_CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE", "5",
        "DD_CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE", "2")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("cluster_checks.rebalance_trigger_percentage");
    assertThatThrownBy(() -> env(Map.of("DD_CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE", "5",
        "DD_CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE", "6", "DD_CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE", "3")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("cluster_checks.rebalance_fill_below_percentage (3) must be at least");
  }

  @Test
  void listenPortsAcceptZeroForAnyFreePort() {
    AgentSettings s = env(Map.of("DD_CLUSTER_AGENT_CMD_PORT", "0", "DD_METRICS_PORT", "0"));
    assertThat(s.clusterAgent().cmdPort()).isZero();
    assertThat(s.metricsPort()).isZero();
  }

  @Nested
  class BadValues {
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "DD_CLUSTER_AGENT_CMD_PORT | abc | cluster_agent.cmd_port",
        "DD_CLUSTER_AGENT_CMD_PORT | -1 | cluster_agent.cmd_port",
        "DD_CLUSTER_CHECKS_CLC_RUNNERS_PORT | 0 | cluster_checks.clc_runners_port",
        "DD_CLUSTER_AGENT_CMD_PORT | 65536 | cluster_agent.cmd_port",
        "DD_CLUSTER_AGENT_CMD_PORT | 99999999999999999999 | cluster_agent.cmd_port",
        "DD_CLUSTER_AGENT_CMD_PORT | 5005.0 | cluster_agent.cmd_port",
        "DD_METRICS_PORT | -1 | metrics_port",
        "DD_CLUSTER_CHECKS_CLC_RUNNERS_PORT | 70000 | cluster_checks.clc_runners_port",
        "DD_CLUSTER_AGENT_MAX_LEADER_CONNECTIONS | 0 | cluster_agent.max_leader_connections",
        "DD_CLUSTER_CHECKS_REBALANCE_MIN_PERCENTAGE_IMPROVEMENT | -5 | cluster_checks.rebalance_min_percentage_improvement",
        "DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT | -30 | cluster_checks.node_expiration_timeout",
        "DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT | 0 | cluster_checks.node_expiration_timeout",
        "DD_CLUSTER_CHECKS_WARMUP_DURATION | -1s | cluster_checks.warmup_duration",
        "DD_CLUSTER_CHECKS_WARMUP_DURATION | soon | cluster_checks.warmup_duration",
        "DD_CLUSTER_CHECKS_REBALANCE_PERIOD | 10 minutes | cluster_checks.rebalance_period",
        "DD_CLUSTER_CHECKS_REBALANCE_PERIOD | 10x | cluster_checks.rebalance_period",
        "DD_CLUSTER_CHECKS_REBALANCE_PERIOD | 0 | cluster_checks.rebalance_period",
        "DD_LEADER_LEASE_DURATION | 1.5 | leader_lease_duration",
        "DD_CLUSTER_CHECKS_ENABLED | yes | cluster_checks.enabled",
        "DD_CLUSTER_CHECKS_ENABLED | 1 | cluster_checks.enabled",
        "DD_CLUSTER_AGENT_TLS_ENABLED | ture | cluster_agent.tls_enabled",
        "DD_LOG_LEVEL | verbose | log_level",
    })
    void fromEnvNameKeySourceAndValue(String var, String value, String key) {
      assertThatThrownBy(() -> env(Map.of(var, value)))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("environment variable " + var)
          .hasMessageContaining("\"" + value.trim() + "\"");
    }

    @Test
    void fromFileNameKeyFileAndValue() throws IOException {
      record Case(String yaml, String key, String value) {}
      List<Case> cases = List.of(
          new Case("cluster_agent:\n  cmd_port: abc\n", "cluster_agent.cmd_port", "abc"),
          new Case("cluster_agent:\n  cmd_port: 70000\n", "cluster_agent.cmd_port", "70000"),
          new Case("cluster_agent:\n  cmd_port: 5005.5\n", "cluster_agent.cmd_port", "5005.5"),
          new Case("cluster_agent:\n  cmd_port: true\n", "cluster_agent.cmd_port", "true"),
          new Case("metrics_port: [1]\n", "metrics_port", "[1]"),
          new Case("cluster_checks:\n  enabled: maybe\n", "cluster_checks.enabled", "maybe"),
          new Case("cluster_checks:\n  enabled: 1\n", "cluster_checks.enabled", "1"),
          new Case("cluster_checks:\n  node_expiration_timeout: -5\n", "cluster_checks.node_expiration_timeout", "-5"),
          new Case("cluster_checks:\n  warmup_duration: 1.5\n", "cluster_checks.warmup_duration", "1.5"),
          new Case("cluster_checks:\n  rebalance_period: 5 mins\n", "cluster_checks.rebalance_period", "5 mins"),
          new Case("cluster_checks:\n  extra_tags: {a: b}\n", "cluster_checks.extra_tags", "{a=b}"),
          new Case("cluster_name: [a, b]\n", "cluster_name", "[a, b]"),
          new Case("confd_path: ''\n", "confd_path", "\"\""),
          new Case("log_level: loud\n", "log_level", "loud"),
          new Case("cluster_agent:\n  cmd_host: ' '\n", "cluster_agent.cmd_host", "\" \""),
          new Case("cluster_checks: true\n", "cluster_checks", "mapping"));
      for (Case c : cases) {
        Path f = file(c.yaml());
        assertThatThrownBy(() -> SettingsLoader.load(f, Map.of()))
            .as(c.yaml())
            .isInstanceOf(SettingsException.class)
            .hasMessageContaining(c.key())
            .hasMessageContaining(f.toString())
            .hasMessageContaining(c.value());
      }
    }

    @Test
    void missingFile() {
      Path missing = dir.resolve("nope.yaml");
      assertThatThrownBy(() -> SettingsLoader.load(missing, Map.of()))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining(missing.toString())
          .hasMessageContaining("does not exist");
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
      Path f = file("cluster_name: a\ncluster_agent:\n  cmd_port: [5005\n  auth_token: x\n");
      assertThatThrownBy(() -> SettingsLoader.load(f, Map.of()))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining(f.toString())
          .hasMessageMatching("(?s).*line \\d+, column \\d+.*");
    }

    @Test
    void fileThatIsNotAMapping() throws IOException {
      Path f = file("- a\n- b\n");
      assertThatThrownBy(() -> SettingsLoader.load(f, Map.of()))
          .isInstanceOf(SettingsException.class).hasMessageContaining(f.toString()).hasMessageContaining("list");
    }

    @Test
    void halfConfiguredTlsPair() {
      assertThatThrownBy(() -> env(Map.of("DD_CLUSTER_AGENT_TLS_CERT_FILE", "/tls/cert.pem")))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining("cluster_agent.tls_key_file")
          .hasMessageContaining("env DD_CLUSTER_AGENT_TLS_CERT_FILE");
      // irrelevant when TLS is off
      assertThat(env(Map.of("DD_CLUSTER_AGENT_TLS_CERT_FILE", "/tls/cert.pem",
          "DD_CLUSTER_AGENT_TLS_ENABLED", "false")).clusterAgent().tlsCertFile()).isEqualTo("/tls/cert.pem");
      var both = env(Map.of("DD_CLUSTER_AGENT_TLS_CERT_FILE", "/c.pem", "DD_CLUSTER_AGENT_TLS_KEY_FILE", "/k.pem"));
      assertThat(both.clusterAgent().tlsKeyFile()).isEqualTo("/k.pem");
    }
  }

  @Nested
  class UnknownKeys {
    @Test
    void unknownFileKeysAreWarnings() throws IOException {
      Path f = file("""
          api_key: abc
          logs_config:
            container_collect_all: true
          cluster_checks:
            enabled: true
            ksm_sharding_enabled: true
          cluster_agent:
            token_name: foo
          """);
      AgentSettings s = SettingsLoader.load(f, Map.of());
      assertThat(s.warnings()).containsExactlyInAnyOrder(
          "unknown key api_key in " + f + " (ignored)",
          "unknown key logs_config in " + f + " (ignored)",
          "unknown key cluster_checks.ksm_sharding_enabled in " + f + " (ignored)",
          "unknown key cluster_agent.token_name in " + f + " (ignored)");
      assertThat(s.clusterChecks().enabled()).isTrue();
    }

    @Test
    void unknownEnvVarsThatLookLikeOursAreWarnings() {
      AgentSettings s = env(Map.of(
          "DD_CLUSTER_CHECKS_ENABLD", "true",
          "DD_CLUSTER_AGENT_FOO", "x",
          "DD_LEADER_ELECTON", "true",
          "DD_CONFD_PTH", "/x",
          "DD_API_KEY", "k",
          "DD_SITE", "datadoghq.eu",
          "DD_KUBERNETES_KUBELET_HOST", "h",
          "CONFD_PATH", "/not-ours"));
      assertThat(s.warnings()).containsExactlyInAnyOrder(
          "unknown environment variable DD_CLUSTER_AGENT_FOO (ignored)",
          "unknown environment variable DD_CLUSTER_CHECKS_ENABLD (ignored); did you mean DD_CLUSTER_CHECKS_ENABLED?",
          "unknown environment variable DD_CONFD_PTH (ignored); did you mean DD_CONFD_PATH?",
          "unknown environment variable DD_LEADER_ELECTON (ignored); did you mean DD_LEADER_ELECTION?");
      assertThat(s.confdPath()).isEqualTo(Path.of("/etc/datadog-agent/conf.d"));
    }
  }

  @Nested
  class Secrets {
    @Test
    void tokenNeverPrinted() throws IOException {
      Path f = file("cluster_agent:\n  auth_token: " + TOKEN + "\n");
      AgentSettings s = SettingsLoader.load(f, Map.of());
      assertThat(s.clusterAgent().authToken()).isEqualTo(TOKEN);
      assertThat(s.toString()).doesNotContain(TOKEN).contains(AgentSettings.REDACTED);
      assertThat(s.clusterAgent().toString()).doesNotContain(TOKEN).contains(AgentSettings.REDACTED);
      assertThat(s.render()).doesNotContain(TOKEN)
          .contains("cluster_agent.auth_token: " + AgentSettings.REDACTED + "  (file " + f + ")");
      assertThat(s.asMap().get("cluster_agent.auth_token")).isEqualTo(AgentSettings.REDACTED);
    }

    @Test
    void badTokenValueIsNotInTheMessage() throws IOException {
      Path f = file("cluster_agent:\n  auth_token: [" + TOKEN + "]\n");
      assertThatThrownBy(() -> SettingsLoader.load(f, Map.of()))
          .isInstanceOf(SettingsException.class)
          .hasMessageContaining("cluster_agent.auth_token")
          .hasMessageContaining(f.toString())
          .hasMessageNotContaining(TOKEN);
    }

    @Test
    void yamlSyntaxErrorNearTheTokenDoesNotQuoteIt() throws IOException {
      Path f = file("cluster_agent:\n  auth_token: \"" + TOKEN + "\" trailing\n  cmd_port: 5005\n");
      assertThatThrownBy(() -> SettingsLoader.load(f, Map.of()))
          .isInstanceOf(SettingsException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN))
          .hasMessageContaining(f.toString());
    }

    @Test
    void emptyTokenRendersAsEmpty() {
      assertThat(SettingsLoader.defaults().render()).contains("cluster_agent.auth_token: \"\"");
    }
  }

  @Test
  void renderListsEveryKeyWithItsOrigin() {
    AgentSettings s = env(Map.of("DD_CLUSTER_CHECKS_EXTRA_TAGS", "a b", "DD_CLUSTER_CHECKS_REBALANCE_PERIOD", "90s"));
    String out = s.render();
    for (String key : SettingsLoader.knownKeys()) {
      assertThat(out).contains("\n  " + key + ": ");
    }
    assertThat(out)
        .contains("cluster_checks.extra_tags: [a, b]  (env DD_CLUSTER_CHECKS_EXTRA_TAGS)")
        .contains("cluster_checks.rebalance_period: 1m30s  (env DD_CLUSTER_CHECKS_REBALANCE_PERIOD)")
        .contains("cluster_checks.node_expiration_timeout: 30\n");
  }

  @Test
  void kubernetesAutodiscoveryKeys() throws IOException {
    AgentSettings d = SettingsLoader.defaults();
    assertThat(d.kubernetes().kubeconfigPath()).isEmpty();
    assertThat(d.kubernetes().endpointSlicesIgnoreReadiness()).isFalse();
    assertThat(d.kubernetes().allowedEnvVars()).isEmpty();
    assertThat(d.kubernetes().supportHybridIgnoreAdTags()).isFalse();
    assertThat(d.kubernetes().informersResyncPeriod()).isEqualTo(Duration.ofMinutes(5));

    Path f = file("""
        extra_config_providers: [kube_services, kube_endpoints]
        extra_listeners: [kube_services, kube_endpoints]
        kubernetes_kubeconfig_path: /from/file
        ad_allowed_env_vars: [REGION]
        cluster_checks:
          support_hybrid_ignore_ad_tags: true
        """);
    AgentSettings s = SettingsLoader.load(f, Map.of(
        "DD_KUBERNETES_KUBECONFIG_PATH", "/root/.kube/config",
        "DD_KUBERNETES_ENDPOINT_SLICES_IGNORE_READINESS", "true",
        "DD_KUBERNETES_INFORMERS_RESYNC_PERIOD", "0",
        "DD_AD_ALLOWED_ENV_VARS", "REGION ZONE"));
    assertThat(s.extraListeners()).containsExactly("kube_services", "kube_endpoints");
    assertThat(s.kubernetes().kubeconfigPath()).isEqualTo("/root/.kube/config");
    assertThat(s.kubernetes().endpointSlicesIgnoreReadiness()).isTrue();
    assertThat(s.kubernetes().informersResyncPeriod()).isZero();
    assertThat(s.kubernetes().allowedEnvVars()).containsExactly("REGION", "ZONE");
    assertThat(s.kubernetes().supportHybridIgnoreAdTags()).isTrue();
    assertThat(s.warnings()).singleElement().asString().contains("support_hybrid_ignore_ad_tags is deprecated");
    assertThat(s.asMap()).containsEntry("kubernetes_kubeconfig_path", "/root/.kube/config")
        .containsEntry("ad_allowed_env_vars", List.of("REGION", "ZONE"));
  }
}
