package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KubeEndpointsSource} against the mock API server in CRUD mode, with Endpoints and with
 * EndpointSlices: the configs held follow creation order, scaling, readiness, annotation edits and
 * deletions exactly, one call per change.
 */
@EnableKubernetesMockClient(crud = true)
class KubeEndpointsSourceTest {
  static final String EP_CHECKS = "ad.datadoghq.com/endpoints.checks";
  static final String CHECK = "{\"http_check\":{\"instances\":[{\"url\":\"http://%%host%%:%%port%%\"}]}}";
  private static final String ID = "kube_endpoint_uid://default/web/";

  KubernetesClient client;
  private final RecordingListener listener = new RecordingListener();
  private final KubeProblems problems = new KubeProblems();
  private KubeEndpointsSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    assertThat(listener.violations()).isEmpty();
  }

  private void start(boolean slices) throws Exception {
    source = new KubeEndpointsSource(client, listener, new KubeConfigs(TemplateResolver.withoutEnv(), false),
        problems, slices, false, Duration.ZERO);
    source.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void createService(String name, Map<String, String> annotations) {
    client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName(name)
        .withNamespace("default").withAnnotations(annotations).endMetadata().withNewSpec().withClusterIP("None")
        .addNewPort().withName("http").withPort(8080).endPort().endSpec().build()).create();
  }

  static EndpointAddress pod(String ip, String node) {
    return new EndpointAddressBuilder().withIp(ip).withNodeName(node)
        .withNewTargetRef().withKind("Pod").withName("pod-" + ip).withUid("uid-" + ip).endTargetRef().build();
  }

  static EndpointAddress external(String ip) {
    return new EndpointAddressBuilder().withIp(ip).build();
  }

  private void putEndpoints(String name, List<EndpointAddress> ready, List<EndpointAddress> notReady) {
    Endpoints ep = new EndpointsBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .addNewSubset().withAddresses(ready).withNotReadyAddresses(notReady)
        .addNewPort().withName("http").withPort(8080).endPort().endSubset().build();
    client.endpoints().inNamespace("default").resource(ep).createOr(e -> e.update());
  }

  static Endpoint sliceEndpoint(String ip, String node, Boolean ready, Boolean terminating) {
    return new EndpointBuilder().withAddresses(ip).withNodeName(node)
        .withNewConditions().withReady(ready).withServing(ready).withTerminating(terminating).endConditions()
        .withNewTargetRef().withKind("Pod").withName("pod-" + ip).withUid("uid-" + ip).endTargetRef().build();
  }

  private void putSlice(String sliceName, String service, Endpoint... endpoints) {
    EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(sliceName).withNamespace("default")
        .endMetadata().withAddressType("IPv4").withEndpoints(Arrays.asList(endpoints))
        .addNewPort().withName("http").withPort(8080).endPort();
    if (service != null) {
      b.editMetadata().addToLabels(KubeEndpointsSource.SERVICE_NAME_LABEL, service).endMetadata();
    }
    EndpointSlice slice = b.build();
    client.discovery().v1().endpointSlices().inNamespace("default").resource(slice).createOr(e -> e.update());
  }

  private void awaitHeld(String... expected) {
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(listener.summary()).containsExactlyInAnyOrder(expected));
  }

  // ---------------------------------------------------------------- Endpoints

  @Test
  void endpointsCreatedAfterTheServiceArePickedUpAndFollowScaling() throws Exception {
    start(false);
    createService("web", Map.of(EP_CHECKS, CHECK));
    createService("other", Map.of());
    putEndpoints("other", List.of(pod("10.9.0.1", "node1")), List.of());
    // The Endpoints object appears after its Service: picked up at once.
    putEndpoints("web", List.of(pod("10.0.0.1", "node1"), external("10.0.0.9")), List.of(pod("10.0.0.2", "node2")));
    awaitHeld("http_check " + ID + "10.0.0.1 node1", "http_check " + ID + "10.0.0.9");
    assertThat(listener.held()).filteredOn(c -> c.serviceId().endsWith("10.0.0.1")).singleElement()
        .satisfies(c -> {
          assertThat(c.adIdentifiers()).containsExactly(ID + "10.0.0.1", "kubernetes_pod://uid-10.0.0.1");
          assertThat(c.provider()).isEqualTo("kubernetes-endpoints");
          assertThat(c.instances().get(0).text()).contains("url: http://10.0.0.1:8080\n");
        });

    // The not-ready pod becomes ready, and a third one is added: two schedules, nothing else.
    putEndpoints("web", List.of(pod("10.0.0.1", "node1"), external("10.0.0.9"), pod("10.0.0.2", "node2"),
        pod("10.0.0.3", "node1")), List.of());
    awaitHeld("http_check " + ID + "10.0.0.1 node1", "http_check " + ID + "10.0.0.9",
        "http_check " + ID + "10.0.0.2 node2", "http_check " + ID + "10.0.0.3 node1");
    assertThat(listener.scheduledCount()).isEqualTo(4);
    assertThat(listener.unscheduledCount()).isZero();

    // Scale down: exactly the removed address goes.
    putEndpoints("web", List.of(pod("10.0.0.1", "node1"), external("10.0.0.9"), pod("10.0.0.3", "node1")),
        List.of(pod("10.0.0.2", "node2")));
    awaitHeld("http_check " + ID + "10.0.0.1 node1", "http_check " + ID + "10.0.0.9",
        "http_check " + ID + "10.0.0.3 node1");
    assertThat(listener.unscheduledCount()).isEqualTo(1);

    // Deleting the Endpoints object unschedules everything; recreating it brings them back.
    client.endpoints().inNamespace("default").withName("web").delete();
    awaitHeld();
    putEndpoints("web", List.of(pod("10.0.0.1", "node1")), List.of());
    awaitHeld("http_check " + ID + "10.0.0.1 node1");
    client.services().inNamespace("default").withName("web").delete();
    awaitHeld();
    assertThat(source.configs()).isEmpty();
  }

  @Test
  void annotationEditReplacesEveryAddressOnceAndResolveIpMakesClusterChecks() throws Exception {
    createService("web", Map.of(EP_CHECKS, CHECK));
    putEndpoints("web", List.of(pod("10.0.0.1", "node1"), pod("10.0.0.2", "node2")), List.of());
    start(false);
    awaitHeld("http_check " + ID + "10.0.0.1 node1", "http_check " + ID + "10.0.0.2 node2");

    client.services().inNamespace("default").withName("web").edit(s -> new ServiceBuilder(s).editMetadata()
        .addToAnnotations("ad.datadoghq.com/endpoints.resolve", "ip").endMetadata().build());
    awaitHeld("http_check " + ID + "10.0.0.1", "http_check " + ID + "10.0.0.2");
    assertThat(listener.scheduledCount()).isEqualTo(4);
    assertThat(listener.unscheduledCount()).isEqualTo(2);

    client.services().inNamespace("default").withName("web").edit(s -> new ServiceBuilder(s).editMetadata()
        .removeFromAnnotations(EP_CHECKS).endMetadata().build());
    awaitHeld();
    assertThat(listener.unscheduledCount()).isEqualTo(4);
  }

  @Test
  void badEndpointsAnnotationIsVisibleAndOtherServicesUnaffected() throws Exception {
    createService("web", Map.of(EP_CHECKS, CHECK));
    createService("broken", Map.of(EP_CHECKS, "{\"x\":{\"instances\":[{\"p\":\"%%port_nope%%\"}]}}"));
    putEndpoints("web", List.of(pod("10.0.0.1", "node1")), List.of());
    putEndpoints("broken", List.of(pod("10.0.1.1", "node1")), List.of());
    start(false);
    awaitHeld("http_check " + ID + "10.0.0.1 node1");
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(problems.snapshot()).containsOnlyKeys("kube_endpoint_uid://default/broken/"));
    assertThat(problems.snapshot().get("kube_endpoint_uid://default/broken/")).singleElement().asString()
        .startsWith("x on 10.0.1.1: port nope not found");
  }

  // ---------------------------------------------------------------- EndpointSlices

  @Test
  void slicesSkipUnreadyAndTerminatingEndpointsAndFollowChanges() throws Exception {
    start(true);
    createService("web", Map.of(EP_CHECKS, CHECK));
    putSlice("web-a", "web", sliceEndpoint("10.0.0.1", "node1", true, false),
        sliceEndpoint("10.0.0.2", "node2", false, false),
        sliceEndpoint("10.0.0.3", "node2", true, true),
        sliceEndpoint("10.0.0.4", "node2", null, null));
    putSlice("web-b", "web", sliceEndpoint("10.0.0.5", "node3", true, false),
        sliceEndpoint("10.0.0.1", "node1", true, false));
    putSlice("unlabelled", null, sliceEndpoint("10.0.0.7", "node1", true, false));
    awaitHeld("http_check " + ID + "10.0.0.1 node1", "http_check " + ID + "10.0.0.4 node2",
        "http_check " + ID + "10.0.0.5 node3");
    assertThat(listener.held()).allSatisfy(c -> assertThat(c.provider()).isEqualTo("kubernetes-endpointslices"));

    // 10.0.0.2 becomes ready, 10.0.0.4 starts terminating.
    putSlice("web-a", "web", sliceEndpoint("10.0.0.1", "node1", true, false),
        sliceEndpoint("10.0.0.2", "node2", true, false),
        sliceEndpoint("10.0.0.3", "node2", true, true),
        sliceEndpoint("10.0.0.4", "node2", true, true));
    awaitHeld("http_check " + ID + "10.0.0.1 node1", "http_check " + ID + "10.0.0.2 node2",
        "http_check " + ID + "10.0.0.5 node3");
    assertThat(listener.scheduledCount()).isEqualTo(4);
    assertThat(listener.unscheduledCount()).isEqualTo(1);

    // A slice moves to another Service: both Services are rebuilt.
    createService("api", Map.of(EP_CHECKS, CHECK));
    putSlice("web-b", "api", sliceEndpoint("10.0.0.5", "node3", true, false));
    awaitHeld("http_check " + ID + "10.0.0.1 node1", "http_check " + ID + "10.0.0.2 node2",
        "http_check kube_endpoint_uid://default/api/10.0.0.5 node3");

    client.discovery().v1().endpointSlices().inNamespace("default").withName("web-a").delete();
    awaitHeld("http_check kube_endpoint_uid://default/api/10.0.0.5 node3");
  }
}
