package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.server.ha.LeadershipHandler.Role;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.testkit.TcpRelay;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas in one JVM against a real ZooKeeper ensemble of three servers. Each replica
 * reaches each server through its own {@link TcpRelay}, so a test can cut one replica off.
 */
class ZooKeeperFailoverTest {
  private static final Duration SESSION = Duration.ofSeconds(2);
  private static final int CONFIGS = 30;

  @TempDir
  Path tmp;
  private TestingCluster zk;
  private final List<List<TcpRelay>> proxies = new ArrayList<>();
  private Replicas replicas;
  private Path confd;

  @BeforeEach
  void start() throws Exception {
    // Ports picked together, so no two are the same: curator-test picks each one alone, and a
    // client port equal to another server's election port fails the ensemble's start.
    int[] ports = distinctFreePorts(9);
    List<InstanceSpec> specs = IntStream.rangeClosed(1, 3)
        .mapToObj(i -> new InstanceSpec(null, ports[3 * i - 3], ports[3 * i - 2], ports[3 * i - 1], true, i, 250, -1))
        .toList();
    zk = new TestingCluster(specs);
    zk.start();
    confd = Files.createDirectories(tmp.resolve("conf.d"));
    for (int i = 0; i < 3; i++) {
      List<TcpRelay> mine = new ArrayList<>();
      for (InstanceSpec spec : specs) {
        mine.add(TcpRelay.to("zk-" + i + "-" + spec.getServerId(), spec.getPort()));
      }
      proxies.add(mine);
    }
    replicas = new Replicas(3, i -> {
      Map<String, String> env = Replicas.baseEnv(confd, "127.0.0.1");
      env.put("DD_CLUSTER_AGENT_CMD_PORT", "0"); // several replicas on one host: one port each
      env.put("DD_LEADER_ELECTION_BACKEND", "zookeeper");
      env.put("DD_LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING", proxies.get(i).stream()
          .map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(",")));
      env.put("DD_LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT", SESSION.toSeconds() + "s");
      return SettingsLoader.load(null, env);
    }, i -> (settings, self) -> new ZooKeeperLeaderElection(
        settings.leaderElection().zookeeperConnectString(), settings.leaderElection().zookeeperPath(),
        settings.leaderElection().zookeeperSessionTimeout(),
        new LeaderAddress("replica-" + i, self.host(), self.port())));
  }

  private static int[] distinctFreePorts(int n) throws IOException {
    List<java.net.ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        java.net.ServerSocket s = new java.net.ServerSocket(0);
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (java.net.ServerSocket s : held) {
        s.close();
      }
    }
  }

  @AfterEach
  void stop() throws IOException {
    if (replicas != null) {
      replicas.close();
    }
    proxies.forEach(l -> l.forEach(TcpRelay::close));
    if (zk != null) {
      zk.close();
    }
  }

  @Test
  void stoppingTheLeaderMovesNothingForWorkersThatStillReport() throws IOException {
    FailoverScenario.Figures f = FailoverScenario.run("zookeeper", replicas, confd, CONFIGS, SESSION);
    assertThat(f.moved()).isZero();
    assertThat(f.redispatched()).isPositive();
  }

  @Test
  void losingOneZooKeeperServerKeepsTheEnsembleAndTheLeaderWorking() throws Exception {
    Replicas.writeConfd(confd, CONFIGS);
    int leader = replicas.awaitSettled(Duration.ofSeconds(30));
    int follower = (leader + 1) % 3;
    replicas.fleet(replicas.url(follower), "w-", 2);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> replicas.assertRunningOnce(CONFIGS));

    // Stop a server that neither leads the ensemble nor serves the leader replica's session: the
    // quorum holds, and the leader replica sees nothing at all.
    List<InstanceSpec> specs = new ArrayList<>(zk.getInstances());
    int serving = -1;
    for (int j = 0; j < 3; j++) {
      if (proxies.get(leader).get(j).link().relayedConnections() > 0) {
        serving = j;
      }
    }
    assertThat(serving).as("the leader replica's ZooKeeper server").isNotNegative();
    int victim = -1;
    for (int j = 0; j < 3; j++) {
      if (j != serving && !"leader".equals(mode(specs.get(j)))) {
        victim = j;
      }
    }
    assertThat(victim).isNotNegative();
    int changesBefore = leaderChanges(leader);
    assertThat(zk.killServer(specs.get(victim))).isTrue();

    // The leader keeps leading for well over a session timeout, and keeps dispatching: a new
    // config file reaches a worker.
    Files.writeString(confd.resolve("http_check.d/svc-new.yaml"),
        "cluster_check: true\ninit_config:\ninstances:\n  - name: svc-new\n    url: http://svc-new/\n");
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> replicas.assertRunningOnce(CONFIGS + 1));
    await().during(SESSION.multipliedBy(2)).atMost(SESSION.multipliedBy(3))
        .until(() -> replicas.agent(leader).leadership().isLeader());
    assertThat(leaderChanges(leader)).isEqualTo(changesBefore);
    replicas.assertNeverTwoLeaders();
  }

  @Test
  void aLeaderCutOffFromZooKeeperStepsDownBeforeAnotherLeads() throws IOException {
    Replicas.writeConfd(confd, CONFIGS);
    int leader = replicas.awaitSettled(Duration.ofSeconds(30));
    int before = replicas.changes().size();
    long t0 = System.nanoTime();
    proxies.get(leader).forEach(p -> p.link().cut());

    // Only a wait: the take-over needs the ensemble to expire the session, then the next latch to
    // notice, several steps that a busy machine can stretch; the bound under test is the step-down.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
        .until(() -> replicas.leaders().stream().anyMatch(i -> i != leader));
    List<Replicas.Change> after = replicas.changes().subList(before, replicas.changes().size());
    int stepDown = indexOf(after, leader, false);
    int takeOver = IntStream.range(0, after.size())
        .filter(k -> after.get(k).replica() != leader && after.get(k).role() == Role.LEADER).findFirst().orElse(-1);
    assertThat(stepDown).as("the cut-off leader stepped down").isNotNegative();
    assertThat(takeOver).isNotNegative();
    assertThat(stepDown).as("step-down before take-over in %s", after).isLessThan(takeOver);
    long downMs = (after.get(stepDown).nanos() - t0) / 1_000_000;
    long upMs = (after.get(takeOver).nanos() - t0) / 1_000_000;
    org.slf4j.LoggerFactory.getLogger(getClass()).info(
        "CUT zookeeper: old leader stepped down after {} ms, new leader after {} ms", downMs, upMs);
    assertThat(downMs).isLessThan(SESSION.toMillis());
    replicas.assertNeverTwoLeaders();

    // Back on the network, it rejoins as a follower of the new leader.
    proxies.get(leader).forEach(p -> p.link().restore());
    int next = replicas.awaitSettled(Duration.ofSeconds(20));
    assertThat(next).isNotEqualTo(leader);
    replicas.assertNeverTwoLeaders();
  }

  private int leaderChanges(int replica) {
    return (int) replicas.changes().stream().filter(c -> c.replica() == replica).count();
  }

  private static int indexOf(List<Replicas.Change> changes, int replica, boolean leading) {
    for (int k = 0; k < changes.size(); k++) {
      Replicas.Change c = changes.get(k);
      if (c.replica() == replica && (c.role() == Role.LEADER) == leading) {
        return k;
      }
    }
    return -1;
  }

  /** The server's role in the ensemble, from the {@code srvr} four-letter command. */
  private static String mode(InstanceSpec spec) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", spec.getPort()), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      for (String line : text.split("\n")) {
        if (line.startsWith("Mode:")) {
          return line.substring(5).trim();
        }
      }
      return "";
    }
  }
}
