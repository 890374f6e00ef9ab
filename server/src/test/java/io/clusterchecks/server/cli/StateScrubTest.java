package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.testing.LeaderAndFollower;
import io.clusterchecks.worker.ClusterAgentClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/clusterchecks?scrub=true} and the CLI that asks with it, against a live
 * leader: one dispatched config and one dangling-free worker, with a password in the instance,
 * in {@code init_config} and in {@code logs}.
 */
class StateScrubTest {
  @TempDir
  Path tmp;

  private LeaderAndFollower replicas;
  private ClusterAgentClient client;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("conf.d/postgres.d"));
    Files.writeString(dir.resolve("a.yaml"), """
        cluster_check: true
        init_config:
          service_token: init-secret-value
        instances:
          - name: orders-db
            host: db.example
            password: hunter2
        logs:
          - type: file
            path: /var/log/pg.log
            api_key: logs-secret-value
        """);
    replicas = new LeaderAndFollower(tmp.resolve("conf.d"));
    client = LeaderAndFollower.client(replicas.leader);
    client.postStatus("w1", new NodeStatus(0, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> replicas.leader.dispatcher().stats().activeConfigs() == 1);
  }

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  private String rawState(String query) throws Exception {
    HttpResponse<String> r = HttpClient.newBuilder().sslContext(io.clusterchecks.worker.InsecureTls.trustAllContext()).build().send(
        HttpRequest.newBuilder(URI.create(LeaderAndFollower.url(replicas.leader) + "/api/v1/clusterchecks" + query))
            .header("Authorization", "Bearer " + LeaderAndFollower.TOKEN).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void theFlagHidesSecretsAndKeepsTheRealCheckIds() throws Exception {
    StateResponse real = client.getState();
    StateResponse scrubbed = client.getState(true);

    Config realConfig = real.nodes().get(0).configs().get(0);
    Config shown = scrubbed.nodes().get(0).configs().get(0);
    assertThat(realConfig.instances().get(0).text()).contains("hunter2");
    assertThat(realConfig.initConfig().text()).contains("init-secret-value");
    assertThat(realConfig.logs().text()).contains("logs-secret-value");
    String shownText = shown.instances().get(0).text() + shown.initConfig().text() + shown.logs().text();
    assertThat(shownText).doesNotContain("hunter2", "init-secret-value", "logs-secret-value")
        .contains("password: '********'", "host: db.example", "path: /var/log/pg.log");
    // The IDs hash the real bytes: the scrubbed answer carries them, the plain one has none.
    assertThat(scrubbed.nodes().get(0).checkIds()).containsExactly(CheckIds.checkIds(realConfig));
    assertThat(real.nodes().get(0).checkIds()).isEmpty();
  }

  @Test
  void withoutTheFlagTheAnswerIsUnchanged() throws Exception {
    String plain = rawState("");
    assertThat(rawState("?scrub=false")).isEqualTo(plain);
    assertThat(plain).doesNotContain("check_ids", "dangling_check_ids");
    // Configs travel as base64: the real instance bytes are in the plain answer.
    StateResponse decoded = io.clusterchecks.core.config.ConfigCodec.JSON.readValue(plain, StateResponse.class);
    assertThat(decoded.nodes().get(0).configs().get(0).instances().get(0).text()).contains("password: hunter2");
    assertThat(rawState("?scrub=true")).contains("\"check_ids\"");
  }

  @Test
  void theCliHidesSecretsByDefaultWithTheRealIdsAndShowsThemOnRequest() {
    List<String> ids = CheckIds.checkIds(replicas.leader.dispatcher().state().nodes().get(0).configs().get(0));
    String[] common = {"--url=" + LeaderAndFollower.url(replicas.leader), "--token=" + LeaderAndFollower.TOKEN};

    CliRun shown = CliRun.run("clusterchecks", common[0], common[1]);
    assertThat(shown.exitCode()).isZero();
    assertThat(shown.all()).doesNotContain("hunter2", "init-secret-value", "logs-secret-value");
    assertThat(shown.out()).contains("password: '********'", "Config for instance ID: " + ids.get(0));

    CliRun json = CliRun.run("clusterchecks", common[0], common[1], "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.all()).doesNotContain("hunter2").contains(ids.get(0));

    CliRun status = CliRun.run("status", common[0], common[1]);
    assertThat(status.exitCode()).isZero();
    assertThat(status.all()).doesNotContain("hunter2");

    CliRun unscrubbed = CliRun.run("clusterchecks", common[0], common[1], "--no-scrub");
    assertThat(unscrubbed.exitCode()).isZero();
    assertThat(unscrubbed.out()).contains("password: hunter2", "Config for instance ID: " + ids.get(0));
  }
}
