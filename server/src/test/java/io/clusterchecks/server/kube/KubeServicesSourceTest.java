package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KubeServicesSource} against the mock API server in CRUD mode: Services are created,
 * edited and deleted, and the configs the listener holds follow exactly, with no extra call.
 */
@EnableKubernetesMockClient(crud = true)
class KubeServicesSourceTest {
  static final String CHECKS = "ad.datadoghq.com/service.checks";

  KubernetesClient client;
  private final RecordingListener listener = new RecordingListener();
  private final KubeProblems problems = new KubeProblems();
  private KubeServicesSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    assertThat(listener.violations()).isEmpty();
  }

  private void start(Duration resync) throws Exception {
    source = new KubeServicesSource(client, listener, new KubeConfigs(TemplateResolver.withoutEnv(), false),
        problems, resync);
    source.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Service service(String ns, String name, String clusterIp, Map<String, String> annotations) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).withAnnotations(annotations)
        .endMetadata().withNewSpec().withClusterIP(clusterIp).addNewPort().withName("http").withPort(80).endPort()
        .endSpec().build();
  }

  static String httpCheck(String path) {
    return "{\"http_check\":{\"instances\":[{\"url\":\"http://%%host%%:%%port_http%%" + path + "\"}]}}";
  }

  private Service create(Service s) {
    return client.services().inNamespace(s.getMetadata().getNamespace()).resource(s).create();
  }

  private static String url(Config c) {
    return c.instances().get(0).text().replaceAll("(?s)(?:.*\n)?url: ([^\n]*)\n.*", "$1");
  }

  @Test
  void existingServicesAreScheduledAtStartAndFollowEditsAndDeletion() throws Exception {
    create(service("default", "web", "10.0.0.10", Map.of(CHECKS, httpCheck("/health"))));
    create(service("default", "plain", "10.0.0.11", Map.of()));
    start(Duration.ZERO);
    assertThat(listener.summary()).containsExactly("http_check kube_service://default/web");
    assertThat(url(listener.held().get(0))).isEqualTo("http://10.0.0.10:80/health");

    // An annotation edit: exactly the old config out and the new one in.
    client.services().inNamespace("default").withName("web")
        .edit(s -> new ServiceBuilder(s).editMetadata().addToAnnotations(CHECKS, httpCheck("/ready")).endMetadata()
            .build());
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(listener.held()).singleElement().extracting(KubeServicesSourceTest::url)
            .isEqualTo("http://10.0.0.10:80/ready"));
    assertThat(listener.scheduledCount()).isEqualTo(2);
    assertThat(listener.unscheduledCount()).isEqualTo(1);

    // An edit that does not change the config (a label): no call at all.
    long events = source.eventsProcessed();
    client.services().inNamespace("default").withName("web")
        .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("team", "a").endMetadata().build());
    await().atMost(10, TimeUnit.SECONDS).until(() -> source.eventsProcessed() > events);
    assertThat(listener.scheduledCount()).isEqualTo(2);
    assertThat(listener.unscheduledCount()).isEqualTo(1);

    // A new annotated Service in another namespace, then the first one deleted.
    create(service("shop", "api", "10.0.0.12", Map.of(CHECKS, httpCheck("/"))));
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(listener.summary())
        .containsExactly("http_check kube_service://default/web", "http_check kube_service://shop/api"));
    client.services().inNamespace("default").withName("web").delete();
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(listener.summary()).containsExactly("http_check kube_service://shop/api"));
    assertThat(listener.scheduledCount()).isEqualTo(3);
    assertThat(listener.unscheduledCount()).isEqualTo(2);
    assertThat(source.configs()).containsExactlyElementsOf(listener.held());
  }

  @Test
  void removingTheAnnotationUnschedulesAndAddingItSchedules() throws Exception {
    start(Duration.ZERO);
    create(service("default", "plain", "10.0.0.11", Map.of()));
    client.services().inNamespace("default").withName("plain")
        .edit(s -> new ServiceBuilder(s).editMetadata().addToAnnotations(CHECKS, httpCheck("/")).endMetadata().build());
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(listener.summary()).containsExactly("http_check kube_service://default/plain"));
    client.services().inNamespace("default").withName("plain")
        .edit(s -> new ServiceBuilder(s).editMetadata().removeFromAnnotations(CHECKS).endMetadata().build());
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(listener.held()).isEmpty());
    assertThat(listener.scheduledCount()).isEqualTo(1);
    assertThat(listener.unscheduledCount()).isEqualTo(1);
  }

  @Test
  void resyncsChangeNothing() throws Exception {
    create(service("default", "web", "10.0.0.10", Map.of(CHECKS, httpCheck("/"))));
    create(service("default", "db", "10.0.0.13", Map.of(CHECKS, httpCheck("/db"))));
    start(Duration.ofMillis(50));
    assertThat(listener.held()).hasSize(2);
    long events = source.eventsProcessed();
    // Several resync rounds replay both Services.
    await().atMost(10, TimeUnit.SECONDS).until(() -> source.eventsProcessed() >= events + 4);
    assertThat(listener.scheduledCount()).isEqualTo(2);
    assertThat(listener.unscheduledCount()).isZero();
    assertThat(listener.held()).hasSize(2);
  }

  @Test
  void badAnnotationsAreReportedOnceAndOtherServicesAreUnaffected() throws Exception {
    create(service("default", "good", "10.0.0.20", Map.of(CHECKS, httpCheck("/"))));
    create(service("default", "badjson", "10.0.0.21", Map.of(CHECKS, "{\"http_check\": {")));
    create(service("default", "mismatch", "10.0.0.22", Map.of(
        "ad.datadoghq.com/service.check_names", "[\"a\",\"b\"]",
        "ad.datadoghq.com/service.init_configs", "[{}]",
        "ad.datadoghq.com/service.instances", "[{}]")));
    create(service("default", "unknownvar", "10.0.0.23", Map.of(CHECKS,
        "{\"tcp_check\":{\"instances\":[{\"host\":\"%%hostt%%\"}]}}")));
    create(service("default", "headless", "None", Map.of(CHECKS, httpCheck("/"))));
    start(Duration.ZERO);

    assertThat(listener.summary()).containsExactly("http_check kube_service://default/good");
    Map<String, java.util.List<String>> errors = problems.snapshot();
    assertThat(errors.keySet()).containsExactly("kube_service://default/badjson", "kube_service://default/headless",
        "kube_service://default/mismatch", "kube_service://default/unknownvar");
    assertThat(errors.get("kube_service://default/badjson")).singleElement().asString()
        .startsWith("cannot parse check configuration: ");
    assertThat(errors.get("kube_service://default/mismatch")).singleElement().asString()
        .contains("must have the same length, got 2, 1 and 1");
    assertThat(errors.get("kube_service://default/unknownvar")).containsExactly("tcp_check: invalid %%hostt%% tag");
    assertThat(errors.get("kube_service://default/headless")).singleElement().asString()
        .startsWith("http_check: cannot resolve %%host%%: the Service is headless");

    // Fixing one clears its problem and schedules it; deleting another clears its problem.
    client.services().inNamespace("default").withName("badjson")
        .edit(s -> new ServiceBuilder(s).editMetadata().addToAnnotations(CHECKS, httpCheck("/fixed")).endMetadata()
            .build());
    client.services().inNamespace("default").withName("mismatch").delete();
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
      assertThat(listener.summary()).containsExactlyInAnyOrder("http_check kube_service://default/good",
          "http_check kube_service://default/badjson");
      assertThat(problems.snapshot().keySet()).containsExactly("kube_service://default/headless",
          "kube_service://default/unknownvar");
    });
  }
}
