package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.server.kube.KubeConfigs.Built;
import io.clusterchecks.server.kube.KubeConfigs.EndpointAddress;
import io.clusterchecks.server.kube.TemplateResolver.Port;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resolution, tags and identity strings (docs/reference/kubernetes-autodiscovery.md sections 1.5, 2.2, 4, 5, 8 items 2-14). */
class KubeConfigsTest {
  private static final String SVC = "ad.datadoghq.com/service.";
  private static final String EP = "ad.datadoghq.com/endpoints.";
  private final KubeConfigs builder = new KubeConfigs(TemplateResolver.withoutEnv(), false);

  static Service service(String ns, String name, String clusterIp, Map<String, String> annotations) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name)
        .withAnnotations(annotations).endMetadata()
        .withNewSpec().withClusterIP(clusterIp)
        .addNewPort().withName("metrics").withPort(9090).endPort()
        .addNewPort().withName("http").withPort(80).endPort()
        .endSpec().build();
  }

  private static String text(ConfigData d) {
    return d == null ? null : d.text();
  }

  @Test
  void serviceCheckHasTheReferenceIdentityAndTags() {
    Service s = service("ns", "svc", "10.0.0.1", Map.of(SVC + "check_names", "[\"http_check\"]",
        SVC + "init_configs", "[{}]",
        SVC + "instances", "[{\"name\":\"My service\",\"url\":\"http://%%host%%\",\"timeout\":1}]"));
    s.getMetadata().setLabels(Map.of("tags.datadoghq.com/env", "prod", "tags.datadoghq.com/version", "1.2"));
    Built b = builder.forService(s);
    assertThat(b.problems()).isEmpty();
    Config c = b.configs().iterator().next();
    assertThat(b.configs()).hasSize(1);
    assertThat(c.checkName()).isEqualTo("http_check");
    assertThat(c.adIdentifiers()).containsExactly("kube_service://ns/svc");
    assertThat(c.serviceId()).isEqualTo("kube_service://ns/svc");
    assertThat(c.source()).isEqualTo("kube_services:kube_service://ns/svc");
    assertThat(c.provider()).isEqualTo("kubernetes-services");
    assertThat(c.clusterCheck()).isTrue();
    assertThat(c.nodeName()).isEmpty();
    assertThat(text(c.initConfig())).isEqualTo("{}\n");
    assertThat(c.instances()).extracting(KubeConfigsTest::text).containsExactly("""
        name: My service
        tags:
        - env:prod
        - kube_namespace:ns
        - kube_service:svc
        - version:1.2
        timeout: 1
        url: http://10.0.0.1
        """);
  }

  @Test
  void portVariablesAndTyping() {
    Service s = service("ns", "svc", "10.0.0.1", Map.of(SVC + "checks",
        "{\"tcp_check\":{\"instances\":[{\"last\":\"%%port%%\",\"named\":\"%%port_http%%\",\"first\":\"%%port_0%%\","
            + "\"url\":\"http://%%host%%:%%port_metrics%%/x\",\"keep\":\"100%%\",\"tags\":[\"team:a\",\"kube_service:svc\"]}],"
            + "\"ignore_autodiscovery_tags\":false}}"));
    Config c = builder.forService(s).configs().iterator().next();
    assertThat(text(c.instances().get(0))).isEqualTo("""
        first: 80
        keep: 100%%
        last: 9090
        named: 80
        tags:
        - kube_namespace:ns
        - kube_service:svc
        - team:a
        url: http://10.0.0.1:9090/x
        """);
  }

  @Test
  void ignoreAutodiscoveryTagsAddsNoTags() {
    Service s = service("ns", "svc", "10.0.0.1", Map.of(SVC + "checks",
        "{\"a\":{\"instances\":[{\"h\":\"%%host%%\"}],\"ignore_autodiscovery_tags\":true}}"));
    Config c = builder.forService(s).configs().iterator().next();
    assertThat(c.ignoreAutodiscoveryTags()).isTrue();
    assertThat(text(c.instances().get(0))).isEqualTo("h: 10.0.0.1\n");
  }

  @Test
  void badVariablesAndHeadlessHostAreProblemsAndOtherChecksSurvive() {
    Service s = service("ns", "svc", "None", Map.of(SVC + "checks",
        "{\"a\":{\"instances\":[{\"h\":\"%%host%%\"}]},\"b\":{\"instances\":[{\"p\":\"%%port_http%%\"}]},"
            + "\"c\":{\"instances\":[{\"x\":\"%%nope%%\"}]},\"d\":{\"instances\":[{\"p\":\"%%port_grpc%%\"}]},"
            + "\"e\":{\"instances\":[{\"p\":\"%%env_SECRET%%\"}]},\"f\":{\"instances\":[{\"p\":\"%%hostname%%\"}]}}"));
    Built b = builder.forService(s);
    assertThat(b.configs()).extracting(Config::checkName).containsExactly("b");
    assertThat(b.problems()).hasSize(5);
    assertThat(b.problems().get(0)).startsWith("a: cannot resolve %%host%%: the Service is headless");
    assertThat(b.problems().get(1)).isEqualTo("c: invalid %%nope%% tag");
    assertThat(b.problems().get(2)).startsWith("d: port grpc not found");
    assertThat(b.problems().get(3)).contains("%%env_SECRET%% is not allowed");
    assertThat(b.problems().get(4)).contains("%%hostname%% is not supported");
  }

  @Test
  void envVariablesOnlyFromTheAllowList() {
    KubeConfigs withEnv = new KubeConfigs(new TemplateResolver(Set.of("REGION"), Map.of("REGION", "eu", "SECRET", "x")::get),
        false);
    Service s = service("ns", "svc", "10.0.0.1", Map.of(SVC + "checks",
        "{\"a\":{\"init_config\":{\"r\":\"%%env_REGION%%\"},\"instances\":[{}]},"
            + "\"b\":{\"instances\":[{\"s\":\"%%env_SECRET%%\"}]}}"));
    Built b = withEnv.forService(s);
    assertThat(b.configs()).singleElement().satisfies(c -> assertThat(text(c.initConfig())).isEqualTo("r: eu\n"));
    assertThat(b.problems()).singleElement().asString().contains("add SECRET to ad_allowed_env_vars");
  }

  @Test
  void ipv6HostIsBracketedInUrls() {
    Service s = service("ns", "svc", "fd00::1", Map.of(SVC + "checks",
        "{\"a\":{\"instances\":[{\"url\":\"http://%%host%%:%%port%%\",\"host\":\"%%host%%\"}],"
            + "\"ignore_autodiscovery_tags\":true}}"));
    assertThat(text(builder.forService(s).configs().iterator().next().instances().get(0)))
        .isEqualTo("host: fd00::1\nurl: http://[fd00::1]:9090\n");
  }

  @Test
  void excludedServiceGivesNothing() {
    Service s = service("ns", "svc", "10.0.0.1", Map.of(SVC + "checks", "{\"a\":{\"instances\":[{}]}}",
        "ad.datadoghq.com/exclude", "true"));
    assertThat(builder.forService(s).configs()).isEmpty();
  }

  // ---------------------------------------------------------------- endpoints

  private static final List<Port> PORTS = List.of(new Port("http", 8080), new Port("admin", 81));

  private Built endpoints(Map<String, String> annotations, List<EndpointAddress> addresses) {
    Service s = service("default", "myservice", "10.1.0.1", annotations);
    return builder.forEndpoints(s, builder.endpointsTemplates(s), addresses, KubeConfigs.ENDPOINTS_PROVIDER);
  }

  private static final Map<String, String> EP_CHECK = Map.of(EP + "checks",
      "{\"http_check\":{\"instances\":[{\"url\":\"http://%%host%%:%%port%%\"}]}}");

  @Test
  void nonPodAddressesArePlainClusterChecks() {
    Built b = endpoints(EP_CHECK, List.of(new EndpointAddress("10.0.0.1", PORTS, null, null),
        new EndpointAddress("10.0.0.2", PORTS, null, "node9")));
    assertThat(b.configs()).hasSize(2).allSatisfy(c -> {
      assertThat(c.clusterCheck()).isTrue();
      assertThat(c.nodeName()).isEmpty();
      assertThat(c.source()).isEqualTo("kube_endpoints:kube_endpoint_uid://default/myservice/");
      assertThat(c.provider()).isEqualTo("kubernetes-endpoints");
    });
    assertThat(b.configs()).extracting(Config::serviceId)
        .containsExactly("kube_endpoint_uid://default/myservice/10.0.0.1", "kube_endpoint_uid://default/myservice/10.0.0.2");
    Config first = b.configs().iterator().next();
    assertThat(first.adIdentifiers()).containsExactly("kube_endpoint_uid://default/myservice/10.0.0.1");
    assertThat(text(first.instances().get(0))).isEqualTo("""
        tags:
        - kube_endpoint_ip:10.0.0.1
        - kube_namespace:default
        - kube_service:myservice
        url: http://10.0.0.1:81
        """);
  }

  @Test
  void podAddressesAreEndpointChecksUnlessResolveIp() {
    List<EndpointAddress> pods = List.of(new EndpointAddress("10.0.0.1", PORTS, "pod-uid-1", "node1"),
        new EndpointAddress("10.0.0.2", PORTS, "pod-uid-2", "node2"));
    Map<String, String> unknownMode = new java.util.HashMap<>(EP_CHECK);
    unknownMode.put(KubeConfigs.RESOLVE_ANNOTATION, "unknown");
    Built auto = endpoints(unknownMode, pods);
    assertThat(auto.configs()).extracting(Config::nodeName).containsExactly("node1", "node2");
    assertThat(auto.configs().iterator().next().adIdentifiers())
        .containsExactly("kube_endpoint_uid://default/myservice/10.0.0.1", "kubernetes_pod://pod-uid-1");
    assertThat(auto.problems()).singleElement().asString().contains("unknown value 'unknown', using auto");

    Map<String, String> ipMode = new java.util.HashMap<>(EP_CHECK);
    ipMode.put(KubeConfigs.RESOLVE_ANNOTATION, "ip");
    Built ip = endpoints(ipMode, pods);
    assertThat(ip.configs()).allSatisfy(c -> {
      assertThat(c.nodeName()).isEmpty();
      assertThat(c.adIdentifiers()).hasSize(1);
    });
    assertThat(ip.problems()).isEmpty();
  }

  @Test
  void endpointsTemplatesComeFromEndpointsAnnotationsOnly() {
    assertThat(endpoints(Map.of(SVC + "checks", "{\"a\":{\"instances\":[{}]}}"),
        List.of(new EndpointAddress("10.0.0.1", PORTS, null, null))).configs()).isEmpty();
    Built v1 = endpoints(Map.of(EP + "check_names", "[\"a\"]", EP + "init_configs", "[{}]", EP + "instances",
        "[{\"p\":\"%%port_admin%%\"}]", EP + "ignore_autodiscovery_tags", "true"),
        List.of(new EndpointAddress("10.0.0.1", PORTS, null, null)));
    assertThat(v1.configs()).singleElement().satisfies(c -> {
      assertThat(c.ignoreAutodiscoveryTags()).isTrue();
      assertThat(text(c.instances().get(0))).isEqualTo("p: 81\n");
    });
  }

  @Test
  void addressWithoutTheNamedPortIsAProblemForThatAddressOnly() {
    Built b = endpoints(Map.of(EP + "checks", "{\"a\":{\"instances\":[{\"p\":\"%%port_admin%%\"}]}}"),
        List.of(new EndpointAddress("10.0.0.1", PORTS, null, null),
            new EndpointAddress("10.0.0.2", List.of(new Port("http", 8080)), null, null)));
    assertThat(new ArrayList<>(b.configs())).extracting(Config::serviceId)
        .containsExactly("kube_endpoint_uid://default/myservice/10.0.0.1");
    assertThat(b.problems()).singleElement().asString().startsWith("a on 10.0.0.2: port admin not found");
  }
}
