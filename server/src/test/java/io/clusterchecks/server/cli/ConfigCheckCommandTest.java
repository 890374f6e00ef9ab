package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.server.testing.LeaderAndFollower;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code configcheck} against a live leader: configs with source, runner and IDs, problems, settings. */
class ConfigCheckCommandTest {
  @TempDir
  Path tmp;

  private LeaderAndFollower replicas;
  private Path good;
  private Path broken;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("conf.d/postgres.d"));
    good = dir.resolve("a.yaml");
    Files.writeString(good, """
        cluster_check: true
        init_config:
        instances:
          - name: orders-db
            host: db.example
            password: hunter2-secret
        """);
    broken = dir.resolve("b.yaml");
    Files.writeString(broken, "cluster_check: true\ninstances:\n  - host: a\n   port: [1\n");
    replicas = new LeaderAndFollower(tmp.resolve("conf.d"));
    LeaderAndFollower.client(replicas.leader).postStatus("w1", new NodeStatus(0, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> replicas.leader.dispatcher().stats().activeConfigs() == 1);
  }

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  private CliRun configcheck(String... more) {
    String[] args = new String[more.length + 3];
    args[0] = "configcheck";
    args[1] = "--url=" + LeaderAndFollower.url(replicas.leader);
    args[2] = "--token=" + LeaderAndFollower.TOKEN;
    System.arraycopy(more, 0, args, 3, more.length);
    return CliRun.run(args);
  }

  @Test
  void listsEveryConfigWithItsSourceRunnerAndIdsAndEverySourceProblem() {
    CliRun r = configcheck();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("=== postgres check ===\nConfiguration provider: file\nConfiguration source: file:" + good)
        .contains("Runner: w1\nInstance ID: postgres:orders-db:")
        .contains("host: db.example")
        .contains("=== Configuration errors ===\nfile:" + broken + ": invalid YAML at line 4");
    assertThat(r.all()).doesNotContain("hunter2-secret").contains("password: '********'");
  }

  @Test
  void asJsonAndWithTheEffectiveSettingsWithoutSecrets() throws Exception {
    Path settings = tmp.resolve("datadog-cluster.yaml");
    Files.writeString(settings, "cluster_name: prod\ncluster_agent:\n  auth_token: " + LeaderAndFollower.TOKEN + "\n");
    CliRun r = configcheck("--json", "--settings", "-c", settings.toString());
    assertThat(r.exitCode()).isZero();
    JsonNode answer = ConfigCodec.JSON.readTree(r.out());
    JsonNode config = answer.get("configs").get(0);
    assertThat(config.get("runner").asString()).isEqualTo("w1");
    assertThat(config.get("check_ids").get(0).asString()).startsWith("postgres:orders-db:");
    assertThat(answer.get("config_errors").propertyNames()).containsExactly("file:" + broken);
    assertThat(answer.get("settings").findValuesAsString("key")).contains("cluster_name");
    assertThat(r.out()).contains("\"origin\" : \"file " + settings + "\"").doesNotContain(LeaderAndFollower.TOKEN)
        .doesNotContain("hunter2-secret");
  }
}
