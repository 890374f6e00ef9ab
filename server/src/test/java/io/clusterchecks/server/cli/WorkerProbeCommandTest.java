package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.testing.LeaderAndFollower;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker-probe}, which the image's class data sharing training run calls: it must reach
 * the worker routes (a status posted, configs read), or the archive misses their classes.
 */
class WorkerProbeCommandTest {
  @TempDir
  Path tmp;

  private LeaderAndFollower replicas;

  @BeforeEach
  void start() throws Exception {
    // No config: the answers are then fixed (version 0, nothing to run), as in the image's training run.
    Files.createDirectories(tmp.resolve("conf.d"));
    replicas = new LeaderAndFollower(tmp.resolve("conf.d"));
  }

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  void postsAStatusAsAWorkerAndReadsItsConfigs() throws Exception {
    CliRun r = CliRun.run("worker-probe", "--url=" + LeaderAndFollower.url(replicas.leader),
        "--token=" + LeaderAndFollower.TOKEN, "--node=training-node");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).isEqualTo("training-node: status answered (up to date: true), 0 configs\n");
    // The status route registered the probe as a worker: it went through the real worker path.
    StateResponse state = LeaderAndFollower.client(replicas.leader).getState();
    assertThat(state.nodes()).extracting(StateResponse.Node::name).containsExactly("training-node");
  }

  @Test
  void aWrongTokenFailsWithoutRegisteringTheNode() throws Exception {
    CliRun r = CliRun.run("worker-probe", "--url=" + LeaderAndFollower.url(replicas.leader),
        "--token=not-the-token-0123456789abcdef0123456789", "--node=training-node");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("Could not reach agent: ");
    assertThat(LeaderAndFollower.client(replicas.leader).getState().nodes()).isEmpty();
  }
}
