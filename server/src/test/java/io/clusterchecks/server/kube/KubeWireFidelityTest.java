package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.config.ExtraTags;
import io.clusterchecks.core.config.PreparedConfig;
import io.clusterchecks.server.kube.KubeConfigs.Built;
import io.clusterchecks.server.kube.KubeConfigs.EndpointAddress;
import io.clusterchecks.server.kube.TemplateResolver.Port;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a worker receives from a Service annotation, byte for byte: the annotation read as the
 * reference reads it, its template resolved against the Service or an endpoint (every part read and
 * marshalled again with yaml.v2, tags merged), patched by the dispatcher with the extra tags
 * {@code team:a env:b} on cluster {@code prod}, sent as JSON and decoded on the worker side. Each
 * expectation is worked out from the reference's steps and yaml.v2's rules
 * (docs/kubernetes.md, "What a worker receives from an annotation"), not recorded from our output.
 */
class KubeWireFidelityTest {
  private static final String SVC = "ad.datadoghq.com/service.";
  private static final String EP = "ad.datadoghq.com/endpoints.";
  private static final List<String> EXTRA =
      ExtraTags.compute(List.of("team:a", "env:b"), "prod", "cluster_name", false);
  /** The tags of an instance of Service web/shop that had {@code team:web}, after the patch. */
  private static final String SHOP_TAGS = """
      tags:
      - cluster_name:prod
      - env:b
      - env:prod
      - kube_cluster_name:prod
      - kube_namespace:web
      - kube_service:shop
      - team:a
      - team:web
      """;
  /** The tags of an instance that ignores autodiscovery tags, after the patch. */
  private static final String EXTRA_TAGS_ONLY = "tags:\n- cluster_name:prod\n- env:b\n- kube_cluster_name:prod\n- team:a\n";
  private final KubeConfigs configs =
      new KubeConfigs(new TemplateResolver(Set.of("enabled"), Map.of("ENABLED", "true")::get), false);

  /** Service web/shop, cluster IP 10.0.0.7, ports metrics 9090 and http 80, label env=prod. */
  private static Service shop(Map<String, String> annotations) {
    return new ServiceBuilder().withNewMetadata().withNamespace("web").withName("shop")
        .withLabels(Map.of("tags.datadoghq.com/env", "prod")).withAnnotations(annotations).endMetadata()
        .withNewSpec().withClusterIP("10.0.0.7")
        .addNewPort().withName("metrics").withPort(9090).endPort()
        .addNewPort().withName("http").withPort(80).endPort()
        .endSpec().build();
  }

  /** The configs a worker decodes, in the order built; digests and IDs checked on each. */
  private static List<Config> received(Built built) throws Exception {
    assertThat(built.problems()).isEmpty();
    List<Config> out = new java.util.ArrayList<>();
    for (Config c : built.configs()) {
      PreparedConfig p = PreparedConfig.of(c, EXTRA);
      Config onTheWire = ConfigCodec.fromJson(ConfigCodec.toJson(p.config()), Config.class);
      // the worker's digest and check IDs, on the bytes it received, are the agent's
      assertThat(Digests.digest(onTheWire)).isEqualTo(p.digest());
      assertThat(CheckIds.checkIds(onTheWire)).isEqualTo(p.checkIds());
      out.add(onTheWire);
    }
    return out;
  }

  private static String text(ConfigData d) {
    return d == null ? null : d.text();
  }

  @Test
  void v2ServiceCheckArrivesAsYamlV2TextWithTypedVariablesAndSortedTags() throws Exception {
    Config c = received(configs.forService(shop(Map.of(SVC + "checks", """
        {"http_check": {
          "init_config": {"timeout": 1.0, "proxy": {"skip": "yes", "b": 1e400}, "name": "%%host%%"},
          "instances": [{"url": "http://%%host%%:%%port_http%%/health", "port": "%%port%%", "ratio": 1.0,
            "big": 12345678901234567890, "tiny": 1e-7, "huge": 1e21, "answer": "yes",
            "tags": ["team:web", 7, "kube_service:shop"], "Zed": true, "_u": null, "a10": "x", "a2": "w"}],
          "logs": [{"type": "file", "path": "/var/log/%%host%%.log", "service": "shop"}]}}
        """)))).get(0);
    // Each number went through a float64 and Go's JSON encoder before yaml.v2 read it: 1.0 is the
    // integer 1, 12345678901234567890 is written with float64's 17 digits (an unsigned integer once
    // read), 1e21 and 1e-7 stay floats. "yes" was quoted in JSON, so it stays a string and yaml.v2
    // quotes it. The lone %%port%% became an integer. The tags: the instance's string tags (7
    // dropped), the Service's, then the extra tags, sorted bytewise.
    assertThat(text(c.instances().get(0))).isEqualTo("""
        _u: null
        Zed: true
        a2: w
        a10: x
        answer: "yes"
        big: 12345678901234567000
        empty_default_hostname: true
        huge: 1e+21
        port: 9090
        ratio: 1
        """ + SHOP_TAGS + """
        tiny: 1e-07
        url: http://10.0.0.7:80/health
        """);
    // init_config is the annotation's own text read with yaml.v2: 1.0 is written 1, and 1e400,
    // too large for a float64, is a plain string.
    assertThat(text(c.initConfig())).isEqualTo("""
        name: 10.0.0.7
        proxy:
          b: 1e400
          skip: "yes"
        timeout: 1
        """);
    // logs: the annotation's own text, read and marshalled as a list (not wrapped: that is the
    // file provider's shape).
    assertThat(text(c.logs())).isEqualTo("""
        - path: /var/log/10.0.0.7.log
          service: shop
          type: file
        """);
    assertThat(c.checkName()).isEqualTo("http_check");
    assertThat(c.clusterCheck()).isFalse();
    assertThat(c.adIdentifiers()).isNull();
  }

  @Test
  void initConfigMissingEmptyOrNull() throws Exception {
    Config missing = received(configs.forService(shop(Map.of(SVC + "checks",
        "{\"a\":{\"instances\":[{}]}}")))).get(0);
    assertThat(text(missing.initConfig())).isEqualTo("{}\n");
    Config empty = received(configs.forService(shop(Map.of(SVC + "checks",
        "{\"a\":{\"init_config\":{ },\"instances\":[{}]}}")))).get(0);
    assertThat(text(empty.initConfig())).isEqualTo("{}\n");
    // A JSON null is kept as the text "null" by the reference's decoder, and yaml.v2 writes it back.
    Config nul = received(configs.forService(shop(Map.of(SVC + "checks",
        "{\"a\":{\"init_config\":null,\"instances\":[{}],\"ignore_autodiscovery_tags\":true}}")))).get(0);
    assertThat(text(nul.initConfig())).isEqualTo("null\n");
    assertThat(text(nul.instances().get(0))).isEqualTo("empty_default_hostname: true\n" + EXTRA_TAGS_ONLY);
  }

  @Test
  void v1ServiceAnnotationGivesOneConfigPerInstance() throws Exception {
    List<Config> cs = received(configs.forService(shop(Map.of(
        SVC + "check_names", "[\"redisdb\"]",
        SVC + "init_configs", "[{\"service\": \"cache\", \"timeout\": 2.50}]",
        SVC + "instances", "[[{\"host\":\"%%host%%\",\"port\":\"%%port_0%%\"},"
            + "{\"host\":\"%%host%%\",\"port\":\"%%port_1%%\",\"db\":2.0,\"ssl\":\"%%env_ENABLED%%\"}]]",
        SVC + "ignore_autodiscovery_tags", "true"))));
    assertThat(cs).hasSize(2).allSatisfy(c ->
        assertThat(text(c.initConfig())).isEqualTo("service: cache\ntimeout: 2.5\n"));
    assertThat(text(cs.get(0).instances().get(0)))
        .isEqualTo("empty_default_hostname: true\nhost: 10.0.0.7\nport: 80\n" + EXTRA_TAGS_ONLY);
    // %%env_ENABLED%% is allowed (the allow-list ignores case) and reads as a boolean
    assertThat(text(cs.get(1).instances().get(0)))
        .isEqualTo("db: 2\nempty_default_hostname: true\nhost: 10.0.0.7\nport: 9090\nssl: true\n" + EXTRA_TAGS_ONLY);
  }

  @Test
  void endpointCheckKeepsItsIdentifiersAndGetsNoEmptyDefaultHostname() throws Exception {
    Service s = shop(Map.of(EP + "checks",
        "{\"nginx\":{\"instances\":[{\"url\":\"http://%%host%%:%%port%%/status\",\"enabled\":\"%%env_ENABLED%%\"}]}}"));
    Built built = configs.forEndpoints(s, configs.endpointsTemplates(s),
        List.of(new EndpointAddress("10.4.1.7", List.of(new Port("http", 8080), new Port("admin", 81)),
            "uid-1", "node-1")), KubeConfigs.ENDPOINTS_PROVIDER);
    Config c = received(built).get(0);
    assertThat(c.nodeName()).isEqualTo("node-1");
    assertThat(c.adIdentifiers()).containsExactly("kube_endpoint_uid://web/shop/10.4.1.7", "kubernetes_pod://uid-1");
    assertThat(text(c.initConfig())).isEqualTo("{}\n");
    assertThat(text(c.instances().get(0))).isEqualTo("""
        enabled: true
        tags:
        - cluster_name:prod
        - env:b
        - env:prod
        - kube_cluster_name:prod
        - kube_endpoint_ip:10.4.1.7
        - kube_namespace:web
        - kube_service:shop
        - team:a
        url: http://10.4.1.7:81/status
        """);
  }

  @Test
  void logsAnnotationIsReadThroughGoJsonThenYaml() throws Exception {
    List<Config> cs = received(configs.forService(shop(Map.of(SVC + "logs",
        "[{\"type\":\"tcp\",\"port\":\"%%port_http%%\",\"sample\":1.0,\"source\":\"shop\"}]"))));
    assertThat(cs).singleElement().satisfies(c -> {
      assertThat(c.checkName()).isEmpty();
      assertThat(c.instances()).isEmpty();
      assertThat(c.initConfig()).isNull();
      assertThat(text(c.logs())).isEqualTo("- port: 80\n  sample: 1\n  source: shop\n  type: tcp\n");
    });
  }

  @Test
  void aNumberBeyondFloat64InAnInstanceIsRefusedAsTheReferenceDecoderRefusesIt() {
    Built b = configs.forService(shop(Map.of(SVC + "checks", "{\"a\":{\"instances\":[{\"n\":1e400}]}}")));
    assertThat(b.configs()).isEmpty();
    assertThat(b.problems()).singleElement().asString()
        .startsWith("cannot parse check configuration: json: cannot unmarshal a number");
  }

  @Test
  void textBetweenTwoPercentPairsIsAVariableAndAnUnknownOneIsAnError() {
    Built b = configs.forService(shop(Map.of(SVC + "checks",
        "{\"a\":{\"instances\":[{\"keep\":\"100%% %%\"}]},\"b\":{\"instances\":[{\"keep\":\"100%%\"}]}}")));
    assertThat(b.configs()).extracting(Config::checkName).containsExactly("b");
    assertThat(b.problems()).containsExactly("a: invalid %% %% tag");
  }

  @Test
  void theDocumentedExample() throws Exception {
    Config c = received(configs.forService(shop(Map.of(SVC + "checks", """
        {"http_check": {
          "init_config": {"timeout": 1.0, "proxy": {"skip": "yes", "b": 1e400}},
          "instances": [{"url": "http://%%host%%:%%port_http%%/health", "port": "%%port%%", "ratio": 1.0,
                         "tags": ["team:web", 7]}],
          "logs": [{"type": "file", "path": "/var/log/%%host%%.log"}]}}
        """)))).get(0);
    assertThat(text(c.instances().get(0)) + text(c.initConfig()) + text(c.logs())).isEqualTo("""
        empty_default_hostname: true
        port: 9090
        ratio: 1
        """ + SHOP_TAGS + """
        url: http://10.0.0.7:80/health
        proxy:
          b: 1e400
          skip: "yes"
        timeout: 1
        - path: /var/log/10.0.0.7.log
          type: file
        """);
  }
}
