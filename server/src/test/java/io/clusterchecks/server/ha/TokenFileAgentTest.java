package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.server.testing.LeaderAndFollower;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas reading their token from one file ({@code DD_CLUSTER_AGENT_AUTH_TOKEN_FILE}), as
 * from a mounted Secret: the file's token is the one accepted (not {@code auth_token}), and after
 * the file is rewritten both replicas accept the new token, directly and forwarded, while the old
 * one still works during the overlap. The agent polls every 5 s, hence the longer wait.
 */
class TokenFileAgentTest {
  private static final String A = "file-token-a-0123456789abcdef0123456789";
  private static final String B = "file-token-b-9876543210fedcba9876543210";

  @TempDir
  Path tmp;

  private LeaderAndFollower replicas;

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  private int statusVia(io.clusterchecks.server.Agent agent, String token) {
    ClusterAgentClient client = ClusterAgentClient.builder(LeaderAndFollower.url(agent)).token(token).build();
    try {
      client.postStatus("w1", new NodeStatus(0, 0));
      return 200;
    } catch (ClusterAgentException e) {
      return e.statusCode();
    }
  }

  @Test
  void bothReplicasRotateToTheFilesNewTokenAndKeepThePreviousOneForTheOverlap() throws Exception {
    Path file = Files.writeString(tmp.resolve("token"), A + "\n");
    replicas = new LeaderAndFollower(Files.createDirectories(tmp.resolve("conf.d")),
        Map.of("DD_CLUSTER_AGENT_AUTH_TOKEN_FILE", file.toString()));

    assertThat(statusVia(replicas.leader, A)).isEqualTo(200);
    assertThat(statusVia(replicas.follower, A)).as("forwarded to the leader").isEqualTo(200);
    assertThat(statusVia(replicas.leader, LeaderAndFollower.TOKEN)).as("auth_token is ignored").isEqualTo(403);

    Files.writeString(file, B + "\n");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> statusVia(replicas.leader, B) == 200 && statusVia(replicas.follower, B) == 200);
    assertThat(statusVia(replicas.leader, A)).as("the previous token during the overlap").isEqualTo(200);
    assertThat(statusVia(replicas.follower, A)).isEqualTo(200);
  }
}
