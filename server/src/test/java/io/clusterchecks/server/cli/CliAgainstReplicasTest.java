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

/** {@code status} and {@code clusterchecks} against a real leader and a real follower. */
class CliAgainstReplicasTest {
  @TempDir
  Path tmp;

  private LeaderAndFollower replicas;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("conf.d/http_check.d"));
    Files.writeString(dir.resolve("a.yaml"), "cluster_check: true\ninit_config:\ninstances:\n  - name: a\n    url: http://a/\n");
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

  private static CliRun cli(String command, String url, String... more) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        command, "--url=" + url, "--token=" + LeaderAndFollower.TOKEN));
    args.addAll(java.util.List.of(more));
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void statusOnTheFollowerNamesTheLeader() {
    CliRun r = cli("status", LeaderAndFollower.url(replicas.follower));
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("  Status: Follower, redirecting to leader at 127.0.0.1\n");
  }

  @Test
  void statusAsJsonOnBothReplicas() throws Exception {
    JsonNode leader = ConfigCodec.JSON.readTree(cli("status", LeaderAndFollower.url(replicas.leader), "--json").out());
    assertThat(leader.get("status").asString()).isEqualTo("leader");
    assertThat(leader.get("active_agents").asInt()).isEqualTo(1);
    assertThat(leader.get("dispatched").asInt()).isEqualTo(1);
    assertThat(leader.get("unassigned").asInt()).isZero();
    JsonNode follower = ConfigCodec.JSON.readTree(cli("status", LeaderAndFollower.url(replicas.follower), "--json").out());
    assertThat(follower.get("status").asString()).isEqualTo("follower");
    assertThat(follower.get("leader_ip").asString()).isEqualTo("127.0.0.1");
  }

  @Test
  void clusterchecksAsTextAndJson() throws Exception {
    CliRun text = cli("clusterchecks", LeaderAndFollower.url(replicas.leader));
    assertThat(text.out()).contains("=== 1 agents reporting ===").contains("===== Checks on w1 =====")
        .contains("=== http_check check ===");
    JsonNode json = ConfigCodec.JSON.readTree(cli("clusterchecks", LeaderAndFollower.url(replicas.leader), "--json").out());
    assertThat(json.at("/state/nodes/0/name").asString()).isEqualTo("w1");
    assertThat(json.at("/state/nodes/0/configs/0/check_name").asString()).isEqualTo("http_check");
    assertThat(json.get("endpoints_configs")).isEmpty();

    JsonNode onFollower = ConfigCodec.JSON.readTree(
        cli("clusterchecks", LeaderAndFollower.url(replicas.follower), "--json").out());
    assertThat(onFollower.at("/state/not_running").asString()).isEqualTo("currently follower");
    assertThat(onFollower.at("/state/leader_ip").asString()).isEqualTo("127.0.0.1");
  }
}
