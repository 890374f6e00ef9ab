package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replica's identity and advertised address come from the environment the settings were
 * loaded with ({@code AgentSettings.env}), so they follow the map a test passes, not the test
 * process's own variables.
 */
class ProcessVariablesTest {
  @Test
  void thePodIpIsTheAdvertisedHostUnlessTheKeySetsOne() {
    assertThat(LeaderElectionFactory.advertisedHost(SettingsLoader.load(null, Map.of("POD_IP", " 10.4.5.6 "))))
        .isEqualTo("10.4.5.6");
    assertThat(LeaderElectionFactory.advertisedHost(SettingsLoader.load(null,
        Map.of("POD_IP", "10.4.5.6", "DD_CLUSTER_AGENT_ADVERTISE_HOST", "dca-0.dca"))))
        .isEqualTo("dca-0.dca");
    assertThat(LeaderElectionFactory.advertisedHost(SettingsLoader.load(null,
        Map.of("DD_CLUSTER_AGENT_CMD_HOST", "192.0.2.7"))))
        .isEqualTo("192.0.2.7");
  }

  @Test
  void theIdentityIsThePodNameElseTheHostName() {
    AgentSettings both = SettingsLoader.load(null, Map.of("POD_NAME", "dca-7f9c", "HOSTNAME", "host-1"));
    assertThat(KubernetesLeaderElection.defaultIdentity(both::env)).isEqualTo("dca-7f9c");
    AgentSettings host = SettingsLoader.load(null, Map.of("HOSTNAME", "host-1"));
    assertThat(KubernetesLeaderElection.defaultIdentity(host::env)).isEqualTo("host-1");
  }
}
