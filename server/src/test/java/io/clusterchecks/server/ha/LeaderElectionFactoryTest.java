package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production factory builds its Kubernetes client from the settings, as autodiscovery does. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionFactoryTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path tmp;

  /**
   * {@code kubernetes_kubeconfig_path} points at the mock API server, with a namespace of its own:
   * the Lease is taken there, so the election used that file (before, it ignored it and built a
   * client from the environment).
   */
  @Test
  void theLeaseElectionUsesTheKubeconfigFromTheSettings() throws Exception {
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        contexts:
        - name: mock
          context:
            cluster: mock
            user: mock
            namespace: from-kubeconfig
        current-context: mock
        users:
        - name: mock
          user:
            token: not-a-real-token
        """.formatted(client.getMasterUrl().toString()));
    Map<String, String> env = new HashMap<>();
    env.put("DD_CLUSTER_AGENT_AUTH_TOKEN", Replicas.TOKEN);
    env.put("DD_LEADER_ELECTION", "true");
    env.put("DD_LEADER_LEASE_NAME", "factory-test");
    env.put("DD_KUBERNETES_KUBECONFIG_PATH", kubeconfig.toString());
    AgentSettings settings = SettingsLoader.load(null, env);

    AtomicBoolean leading = new AtomicBoolean();
    LeaderAddress self = new LeaderAddress("dca-factory", "127.0.0.1", 5005);
    try (LeaderElection election = LeaderElectionFactory.fromSettings().create(settings, self)) {
      election.start(new LeaderElection.Listener() {
        @Override
        public void leading() {
          leading.set(true);
        }

        @Override
        public void following(LeaderAddress leader) {}

        @Override
        public void leaderUnknown() {
          leading.set(false);
        }

        @Override
        public void observationFailed(String what, Throwable cause) {}
      });
      await().atMost(Duration.ofSeconds(15)).untilTrue(leading);
      Lease lease = client.leases().inNamespace("from-kubeconfig").withName("factory-test").get();
      assertThat(lease).isNotNull();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("dca-factory");
    }
  }
}
