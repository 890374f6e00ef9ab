package io.clusterchecks.server.ha;

import io.clusterchecks.server.kube.KubeAutodiscovery;
import io.clusterchecks.server.settings.AgentSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Builds the election backend a replica takes part in. {@link #fromSettings()} is the
 * production one; tests give their own (a mock Kubernetes API, a chosen identity).
 */
@FunctionalInterface
public interface LeaderElectionFactory {

  /**
   * @param settings the agent's settings
   * @param self this replica: identity, advertised host, the API's actual port
   */
  LeaderElection create(AgentSettings settings, LeaderAddress self);

  /**
   * {@code leader_election: false}: {@link StaticLeaderElection}; else the
   * {@code leader_election_backend}: a Lease through the client of {@code kubernetes_kubeconfig_path}
   * (else in-cluster, else the default kubeconfig), or ZooKeeper.
   */
  static LeaderElectionFactory fromSettings() {
    return (settings, self) -> {
      AgentSettings.LeaderElection le = settings.leaderElection();
      if (!le.enabled()) {
        return new StaticLeaderElection();
      }
      if (le.isZooKeeper()) {
        return new ZooKeeperLeaderElection(le.zookeeperConnectString(), le.zookeeperPath(),
            le.zookeeperSessionTimeout(), self);
      }
      // The same client as autodiscovery: kubernetes_kubeconfig_path when set, else in-cluster.
      KubernetesClient client = KubeAutodiscovery.client(settings);
      KubernetesLeaderElection election = kubernetes(settings, client, self.identity());
      return new LeaderElection() {
        @Override
        public void start(Listener listener) {
          election.start(listener);
        }

        @Override
        public void close() {
          try {
            election.close();
          } finally {
            client.close();
          }
        }

        @Override
        public String toString() {
          return election.toString();
        }
      };
    };
  }

  /** A Lease election with this client and identity, every other parameter from the settings. */
  static KubernetesLeaderElection kubernetes(AgentSettings settings, KubernetesClient client, String identity) {
    AgentSettings.LeaderElection le = settings.leaderElection();
    String namespace = client.getNamespace() == null || client.getNamespace().isEmpty()
        ? "default" : client.getNamespace();
    return new KubernetesLeaderElection(client, namespace, le.leaseName(), identity, le.leaseDuration(),
        le.releaseOnShutdown(), settings.clusterAgent().cmdPort());
  }

  /**
   * The host the other replicas use to reach this one: {@code cluster_agent.advertise_host}; else
   * {@code POD_IP} (set it from the downward API); else the bind host unless it is a wildcard; else
   * this machine's address.
   */
  static String advertisedHost(AgentSettings settings) {
    String configured = settings.clusterAgent().advertiseHost();
    if (!configured.isEmpty()) {
      return configured;
    }
    String podIp = settings.env("POD_IP");
    if (podIp != null && !podIp.isBlank()) {
      return podIp.trim();
    }
    String bind = settings.clusterAgent().cmdHost();
    if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.isEmpty()) {
      return bind;
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot tell this machine's address: set cluster_agent.advertise_host", e);
    }
  }
}
