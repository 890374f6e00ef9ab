package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.server.settings.SettingsLoader;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas against fabric8's mock Kubernetes API in CRUD mode: a Lease to elect, Pods whose
 * status.podIP tells followers where the leader is. As in a cluster, every replica listens on the
 * same cmd_port on its own IP (127.0.0.2, .3, .4 on loopback).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesFailoverTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final int CONFIGS = 30;

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path tmp;
  private Path confd;
  private Replicas replicas;
  private final List<KubernetesClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    confd = Files.createDirectories(tmp.resolve("conf.d"));
    int port = freePortOnAll(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"));
    for (int i = 0; i < 3; i++) {
      client.pods().resource(new PodBuilder().withNewMetadata().withName("dca-" + i).endMetadata()
          .withNewStatus().withPodIP(ip(i)).endStatus().build()).create();
    }
    replicas = new Replicas(3, i -> {
      Map<String, String> env = Replicas.baseEnv(confd, ip(i));
      env.put("DD_CLUSTER_AGENT_CMD_PORT", Integer.toString(port));
      env.put("DD_LEADER_LEASE_DURATION", LEASE.toSeconds() + "s");
      env.put("DD_LEADER_LEASE_NAME", "clusterchecks-test");
      return SettingsLoader.load(null, env);
    }, i -> (settings, self) -> {
      KubernetesClient own = server.createClient();
      synchronized (clients) {
        clients.add(own);
      }
      return LeaderElectionFactory.kubernetes(settings, own, "dca-" + i);
    });
  }

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
    clients.forEach(KubernetesClient::close);
  }

  private static String ip(int replica) {
    return "127.0.0." + (replica + 2);
  }

  @Test
  void stoppingTheLeaderMovesNothingForWorkersThatStillReport() throws IOException {
    FailoverScenario.Figures f = FailoverScenario.run("kubernetes", replicas, confd, CONFIGS, LEASE.plusSeconds(1));
    assertThat(f.moved()).isZero();
    assertThat(f.redispatched()).isPositive();
  }

  @Test
  void theLeaseNamesTheLeaderPodAndIsReleasedOnShutdown() throws IOException {
    Replicas.writeConfd(confd, CONFIGS);
    int leader = replicas.awaitSettled(Duration.ofSeconds(20));
    Lease lease = client.leases().withName("clusterchecks-test").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("dca-" + leader);
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo((int) LEASE.toSeconds());
    for (int i = 0; i < 3; i++) {
      if (i != leader) {
        assertThat(replicas.agent(i).leadership().followedLeader()).get()
            .extracting(LeaderAddress::host).isEqualTo(ip(leader));
      }
    }
    replicas.stop(leader);
    // Released on shutdown, by the time the replica has stopped: fabric8 writes a release record
    // (no holder, a 1 s lease); the mock's CRUD PUT keeps the absent holder field, a real API
    // server clears it. Either way another replica takes over before the 2 s lease would expire.
    Lease released = client.leases().withName("clusterchecks-test").get();
    assertThat(released.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    // Timed on the Lease itself (the release's renewTime to the new holder's acquireTime), not by
    // polling the replicas: a follower tries every retry period plus up to 1.2 of it in jitter, so
    // a take-over can come 1.9 s after the release, and the callback and this test's polling would
    // then run past 2 s on a busy machine.
    await().atMost(Duration.ofSeconds(10)).until(() -> replicas.leaders().size() == 1);
    Lease taken = client.leases().withName("clusterchecks-test").get();
    assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("dca-" + replicas.leaders().get(0))
        .isNotEqualTo("dca-" + leader);
    assertThat(Duration.between(released.getSpec().getRenewTime(), taken.getSpec().getAcquireTime()))
        .as("taken over after the release, before the %s lease would have expired", LEASE)
        .isPositive().isLessThan(LEASE);
    replicas.assertNeverTwoLeaders();
  }

  private static int freePortOnAll(List<String> hosts) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int candidate;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(hosts.get(0)))) {
        candidate = s.getLocalPort();
      }
      List<ServerSocket> held = new ArrayList<>();
      boolean ok = true;
      try {
        for (String h : hosts) {
          ServerSocket s = new ServerSocket();
          held.add(s);
          s.bind(new InetSocketAddress(InetAddress.getByName(h), candidate));
        }
      } catch (IOException e) {
        ok = false;
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
      if (ok) {
        return candidate;
      }
    }
    throw new IOException("no port free on all of " + hosts);
  }
}
