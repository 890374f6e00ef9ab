package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.Agent;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product on Kubernetes, minus Kubernetes: the mock API server in CRUD mode, the agent over
 * HTTPS with {@code kube_services} and {@code kube_endpoints}, two cluster-check workers and node
 * agents asking for their endpoint checks.
 */
@EnableKubernetesMockClient(crud = true)
class KubeEndToEndTest {
  private static final String TOKEN = "kube-e2e-token-0123456789abcdef0123456789";
  private static final String SVC_CHECKS = "ad.datadoghq.com/service.checks";
  private static final String EP_CHECKS = "ad.datadoghq.com/endpoints.checks";

  KubernetesClient client;
  @TempDir
  Path tmp;
  private Agent agent;
  private SimulatedWorkerFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private static Service service(String name, String clusterIp, Map<String, String> annotations) {
    return new ServiceBuilder().withNewMetadata().withNamespace("prod").withName(name).withAnnotations(annotations)
        .endMetadata().withNewSpec().withClusterIP(clusterIp).addNewPort().withName("http").withPort(80).endPort()
        .endSpec().build();
  }

  private static String httpCheck(String path) {
    return "{\"http_check\":{\"instances\":[{\"url\":\"http://%%host%%:%%port%%" + path + "\"}]}}";
  }

  @Test
  void annotatedServicesReachWorkersAndNodeAgents() throws Exception {
    Path yaml = tmp.resolve("datadog-cluster.yaml");
    Files.writeString(yaml, String.join("\n",
        "cluster_name: kube-e2e",
        "confd_path: '" + tmp.resolve("conf.d") + "'",
        "metrics_port: 0",
        "health_port: 0",
        "extra_config_providers: kube_services kube_endpoints",
        "extra_listeners: kube_services kube_endpoints",
        "cluster_agent:",
        "  cmd_host: 127.0.0.1",
        "  cmd_port: 0",
        "  auth_token: " + TOKEN,
        "cluster_checks:",
        "  warmup_duration: 0",
        ""));
    agent = Agent.start(SettingsLoader.load(yaml, Map.of()), client);
    String url = "https://127.0.0.1:" + agent.apiPort();
    fleet = SimulatedWorkerFleet.builder(url, TOKEN).count(2).pollInterval(Duration.ofMillis(200)).build();
    fleet.startAll();
    // Both workers report before any Service exists, so placement spreads what the sources send.
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.dispatcher().state().nodes().size() == 2);
    for (int i = 0; i < 4; i++) {
      create(service("svc-" + i, "10.96.0." + (10 + i), Map.of(SVC_CHECKS, httpCheck("/health"))));
    }
    create(service("bad-json", "10.96.1.1", Map.of(SVC_CHECKS, "{\"http_check\":")));
    create(service("headless", "None", Map.of(SVC_CHECKS, httpCheck("/"))));
    create(service("web", "10.96.2.1", Map.of(EP_CHECKS,
        "{\"nginx\":{\"instances\":[{\"nginx_status_url\":\"http://%%host%%:%%port%%/status\"}]}}")));
    client.endpoints().inNamespace("prod").resource(new EndpointsBuilder().withNewMetadata().withName("web")
        .withNamespace("prod").endMetadata().addNewSubset()
        .withAddresses(KubeEndpointsSourceTest.pod("10.1.0.1", "node-a"), KubeEndpointsSourceTest.pod("10.1.0.2", "node-a"),
            KubeEndpointsSourceTest.pod("10.1.0.3", "node-b"), KubeEndpointsSourceTest.external("192.168.0.9"))
        .addNewPort().withName("http").withPort(8080).endPort().endSubset().build()).create();


    // Plain cluster checks (the four Services and the endpoint outside any pod) spread over both workers.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(serviceIdsOnWorkers()).containsExactlyInAnyOrder("kube_service://prod/svc-0",
          "kube_service://prod/svc-1", "kube_service://prod/svc-2", "kube_service://prod/svc-3",
          "kube_endpoint_uid://prod/web/192.168.0.9");
      assertThat(fleet.configsByWorker().values()).allSatisfy(m -> assertThat(m.size()).isBetween(2, 3));
    });
    assertThat(allWorkerConfigs().values()).filteredOn(c -> c.serviceId().equals("kube_service://prod/svc-0"))
        .singleElement().satisfies(c -> {
          assertThat(c.instances().get(0).text()).contains("url: http://10.96.0.10:80/health")
              .contains("kube_service:svc-0").contains("kube_cluster_name:kube-e2e");
          assertThat(c.provider()).isEqualTo("kubernetes-services");
        });

    // Node agents get exactly the endpoint checks of the pods on their node.
    ClusterAgentClient nodeAgent = ClusterAgentClient.builder(url).token(TOKEN).build();
    assertThat(serviceIds(nodeAgent.getEndpointsConfigs("node-a")))
        .containsExactly("kube_endpoint_uid://prod/web/10.1.0.1", "kube_endpoint_uid://prod/web/10.1.0.2");
    assertThat(serviceIds(nodeAgent.getEndpointsConfigs("node-b"))).containsExactly("kube_endpoint_uid://prod/web/10.1.0.3");
    assertThat(nodeAgent.getEndpointsConfigs("node-c").configs()).isEmpty();
    Config nodeB = nodeAgent.getEndpointsConfigs("node-b").configs().get(0);
    assertThat(nodeB.adIdentifiers()).containsExactly("kube_endpoint_uid://prod/web/10.1.0.3", "kubernetes_pod://uid-10.1.0.3");
    assertThat(nodeB.clusterCheck()).isFalse();
    assertThat(nodeB.nodeName()).isEqualTo("node-b");

    // Bad annotations are visible in the state answer; everything else above was unaffected.
    StateResponse state = nodeAgent.getState();
    assertThat(state.configErrors()).containsOnlyKeys("kube_service://prod/bad-json", "kube_service://prod/headless");
    assertThat(state.configErrors().get("kube_service://prod/headless")).singleElement().asString()
        .contains("headless");

    // Editing one annotation changes exactly that check, on the worker that runs it.
    Map<String, Set<String>> before = digestsByWorker();
    String holder = workerOf("kube_service://prod/svc-2");
    client.services().inNamespace("prod").withName("svc-2").edit(s -> new ServiceBuilder(s).editMetadata()
        .addToAnnotations(SVC_CHECKS, httpCheck("/ready")).endMetadata().build());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(allWorkerConfigs().values()).filteredOn(c -> c.serviceId().equals("kube_service://prod/svc-2"))
            .singleElement().satisfies(c -> assertThat(c.instances().get(0).text()).contains("/ready")));
    Map<String, Set<String>> after = digestsByWorker();
    assertThat(workerOf("kube_service://prod/svc-2")).isEqualTo(holder);
    for (String worker : before.keySet()) {
      Set<String> removed = new TreeSet<>(before.get(worker));
      removed.removeAll(after.get(worker));
      Set<String> added = new TreeSet<>(after.get(worker));
      added.removeAll(before.get(worker));
      int expected = worker.equals(holder) ? 1 : 0;
      assertThat(removed).as("removed on " + worker).hasSize(expected);
      assertThat(added).as("added on " + worker).hasSize(expected);
    }

    // Scaling down the Endpoints removes exactly that node agent's check.
    client.endpoints().inNamespace("prod").withName("web").edit(e -> new EndpointsBuilder(e).editFirstSubset()
        .withAddresses(KubeEndpointsSourceTest.pod("10.1.0.1", "node-a"), KubeEndpointsSourceTest.pod("10.1.0.3", "node-b"),
            KubeEndpointsSourceTest.external("192.168.0.9"))
        .endSubset().build());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(serviceIds(nodeAgent.getEndpointsConfigs("node-a"))).containsExactly("kube_endpoint_uid://prod/web/10.1.0.1"));
    assertThat(serviceIds(nodeAgent.getEndpointsConfigs("node-b"))).containsExactly("kube_endpoint_uid://prod/web/10.1.0.3");
    assertThat(digestsByWorker()).isEqualTo(after);
  }

  private void create(Service s) {
    client.services().inNamespace("prod").resource(s).create();
  }

  private static List<String> serviceIds(ConfigResponse r) {
    return r.configs().stream().map(Config::serviceId).sorted().toList();
  }

  private Map<String, Config> allWorkerConfigs() {
    Map<String, Config> all = new HashMap<>();
    fleet.configsByWorker().values().forEach(all::putAll);
    return all;
  }

  private List<String> serviceIdsOnWorkers() {
    return fleet.configsByWorker().values().stream().flatMap(m -> m.values().stream()).map(Config::serviceId).toList();
  }

  private Map<String, Set<String>> digestsByWorker() {
    return fleet.digestsByWorker();
  }

  private String workerOf(String serviceId) {
    return fleet.configsByWorker().entrySet().stream()
        .filter(e -> e.getValue().values().stream().anyMatch(c -> c.serviceId().equals(serviceId)))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
  }
}
