package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.server.kube.AdAnnotations.Parsed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The annotation formats of docs/reference/kubernetes-autodiscovery.md section 1 and the parser scenarios of section 8, items 34-45. */
class AdAnnotationsTest {
  private static final String AD = "ad.datadoghq.com/service.";
  private static final String LEGACY = "service-discovery.datadoghq.com/service.";

  private static Parsed parse(Map<String, String> a) {
    return AdAnnotations.parse(a, AdAnnotations.SERVICE, false);
  }

  private static List<String> instances(AdTemplate t) {
    return t.instances();
  }

  @Test
  void nullOrUnrelatedAnnotationsGiveNothing() {
    assertThat(parse(null).isEmpty()).isTrue();
    assertThat(parse(Map.of("quux.check_names", "[\"x\"]", "ad.datadoghq.com/endpoints.checks", "{}")).isEmpty())
        .isTrue();
  }

  @Test
  void v1SingleCheckIsReserialisedWithSortedKeys() {
    Parsed p = parse(Map.of(
        AD + "check_names", "[\"http_check\"]",
        AD + "init_configs", "[{}]",
        AD + "instances", "[{\"name\":\"My service\",\"url\":\"http://%%host%%\",\"timeout\":1}]"));
    assertThat(p.errors()).isEmpty();
    assertThat(p.templates()).singleElement().satisfies(t -> {
      assertThat(t.checkName()).isEqualTo("http_check");
      assertThat(t.initConfig()).isEqualTo("{}");
      assertThat(instances(t)).containsExactly("{\"name\":\"My service\",\"timeout\":1,\"url\":\"http://%%host%%\"}");
      assertThat(t.ignoreAutodiscoveryTags()).isFalse();
    });
  }

  @Test
  void v2CheckWithoutInitConfigGetsEmptyObject() {
    Parsed p = parse(Map.of(AD + "checks",
        "{\"http_check\":{\"instances\":[{\"name\":\"My service\",\"url\":\"http://%%host%%\",\"timeout\":1}]}}"));
    assertThat(p.errors()).isEmpty();
    assertThat(p.templates()).singleElement().satisfies(t -> {
      assertThat(t.checkName()).isEqualTo("http_check");
      assertThat(t.initConfig()).isEqualTo("{}");
      assertThat(instances(t)).containsExactly("{\"name\":\"My service\",\"timeout\":1,\"url\":\"http://%%host%%\"}");
    });
  }

  @Test
  void v2KeepsInitConfigVerbatimAndAllInstancesInOneTemplate() {
    Parsed p = parse(Map.of(AD + "checks",
        "{\"tcp_check\": {\"name\": \"renamed\", \"init_config\": { \"b\" : 1,  \"a\": [ 2 ] },"
            + " \"instances\": [{\"port\": 1}, {\"port\": 2}], \"check_tag_cardinality\": \"high\"},"
            + " \"apache\": {\"instances\": [{}], \"ignore_autodiscovery_tags\": true}}"));
    assertThat(p.errors()).isEmpty();
    assertThat(p.templates()).extracting(AdTemplate::checkName).containsExactly("apache", "renamed");
    AdTemplate tcp = p.templates().get(1);
    assertThat(tcp.initConfig()).isEqualTo("{ \"b\" : 1,  \"a\": [ 2 ] }");
    assertThat(instances(tcp)).containsExactly("{\"port\":1}", "{\"port\":2}");
    assertThat(tcp.checkTagCardinality()).isEqualTo("high");
    assertThat(p.templates().get(0).ignoreAutodiscoveryTags()).isTrue();
  }

  @Test
  void ignoreTagsAnnotationAppliesToV1AndToV2OnlyInHybridMode() {
    Map<String, String> v1 = Map.of(AD + "check_names", "[\"a\"]", AD + "init_configs", "[{}]",
        AD + "instances", "[{}]", AD + "ignore_autodiscovery_tags", "true");
    assertThat(parse(v1).templates().get(0).ignoreAutodiscoveryTags()).isTrue();
    Map<String, String> v2 = Map.of(AD + "checks", "{\"a\":{\"instances\":[{}]}}",
        AD + "ignore_autodiscovery_tags", "true");
    assertThat(parse(v2).templates().get(0).ignoreAutodiscoveryTags()).isFalse();
    assertThat(AdAnnotations.parse(v2, AdAnnotations.SERVICE, true).templates().get(0).ignoreAutodiscoveryTags())
        .isTrue();
  }

  @Test
  void v1TwoChecksInOrderAndNestedInstancesGiveOneTemplateEach() {
    Parsed two = parse(Map.of(AD + "check_names", "[\"apache\",\"http_check\"]", AD + "init_configs", "[{},{}]",
        AD + "instances", "[{\"a\":1},{\"b\":2}]"));
    assertThat(two.templates()).extracting(AdTemplate::checkName).containsExactly("apache", "http_check");
    Parsed nested = parse(Map.of(AD + "check_names", "[\"apache\"]", AD + "init_configs", "[[{\"x\":1}]]",
        AD + "instances", "[[{\"a\":1},{\"b\":2}]]"));
    assertThat(nested.errors()).isEmpty();
    assertThat(nested.templates()).hasSize(2).allSatisfy(t -> assertThat(t.initConfig()).isEqualTo("{\"x\":1}"));
    assertThat(nested.templates().stream().flatMap(t -> instances(t).stream()))
        .containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void logsOnlyAndChecksWithLogs() {
    Parsed logsOnly = parse(Map.of(AD + "logs", "[{\"type\":\"file\"}]"));
    assertThat(logsOnly.templates()).singleElement().satisfies(t -> {
      assertThat(t.checkName()).isEmpty();
      assertThat(t.isLogsOnly()).isTrue();
      assertThat(t.logs()).isEqualTo("[{\"type\":\"file\"}]");
    });
    Parsed both = parse(Map.of(AD + "checks", "{\"redis\":{\"instances\":[{}]}}", AD + "logs", "[{}]"));
    assertThat(both.templates()).extracting(AdTemplate::checkName).containsExactly("redis", "redis");
    assertThat(both.templates().get(1).isLogsOnly()).isTrue();
  }

  @Test
  void missingCheckNamesIsSilent() {
    assertThat(parse(Map.of(AD + "init_configs", "[{}]", AD + "instances", "[{}]")).isEmpty()).isTrue();
  }

  @Test
  void v1ErrorsUseTheReferenceTexts() {
    assertThat(parse(Map.of(AD + "check_names", "[\"a\"]", AD + "instances", "[{}]")).errors())
        .containsExactly("could not extract checks config: missing init_configs key");
    assertThat(parse(Map.of(AD + "check_names", "[\"a\"]", AD + "init_configs", "[{}]")).errors())
        .containsExactly("could not extract checks config: missing instances key");
    assertThat(parse(Map.of(AD + "check_names", "", AD + "init_configs", "[{}]", AD + "instances", "[{}]"))
        .errors()).containsExactly("could not extract checks config: check_names is empty");
    Parsed bad = parse(Map.of(AD + "check_names", "[\"a\"]", AD + "init_configs", "[{}]",
        AD + "instances", "[{\"url\" \"%%host%%\"}]"));
    assertThat(bad.templates()).isEmpty();
    assertThat(bad.errors()).singleElement().asString()
        .startsWith("could not extract checks config: in instances: failed to unmarshal JSON: Unexpected character");
  }

  @Test
  void mismatchedLegacyArraysAreAnErrorNotSilence() {
    Parsed p = parse(Map.of(AD + "check_names", "[\"a\",\"b\"]", AD + "init_configs", "[{}]",
        AD + "instances", "[{},{}]"));
    assertThat(p.templates()).isEmpty();
    assertThat(p.errors()).containsExactly("could not extract checks config: check_names, init_configs and"
        + " instances must have the same length, got 2, 1 and 2");
    Parsed badInit = parse(Map.of(AD + "check_names", "[\"a\"]", AD + "init_configs", "[[{},{}]]",
        AD + "instances", "[{}]"));
    assertThat(badInit.errors()).singleElement().asString().contains("init_configs: element 0 must be one JSON object");
  }

  @Test
  void logsNotAnArrayAndInvalidChecks() {
    Parsed p = parse(Map.of(AD + "logs", "{\"a\":1}"));
    assertThat(p.errors()).containsExactly(
        "could not extract logs config: invalid format, expected an array, got: '{\"a\":1}'");
    Parsed checksBadLogsGood = parse(Map.of(AD + "checks", "{bad", AD + "logs", "[{}]"));
    assertThat(checksBadLogsGood.templates()).singleElement().satisfies(t -> assertThat(t.isLogsOnly()).isTrue());
    assertThat(checksBadLogsGood.errors()).singleElement().asString().startsWith("cannot parse check configuration: ");
    Parsed bothBad = parse(Map.of(AD + "checks", "{bad", AD + "logs", "nope"));
    assertThat(bothBad.templates()).isEmpty();
    assertThat(bothBad.errors()).hasSize(2);
  }

  @Test
  void v2WinsOverV1AndLegacyEvenWhenInvalid() {
    Map<String, String> all = Map.of(AD + "checks", "{\"v2\":{\"instances\":[{}]}}",
        AD + "check_names", "[\"v1\"]", AD + "init_configs", "[{}]", AD + "instances", "[{}]",
        LEGACY + "check_names", "[\"legacy\"]");
    assertThat(parse(all).templates()).extracting(AdTemplate::checkName).containsExactly("v2");
    Map<String, String> invalidV2 = Map.of(AD + "checks", "not json",
        AD + "check_names", "[\"v1\"]", AD + "init_configs", "[{}]", AD + "instances", "[{}]");
    assertThat(parse(invalidV2).templates()).isEmpty();
    assertThat(parse(invalidV2).errors()).hasSize(1);
  }

  @Test
  void legacyPrefixIsReadForV1() {
    Parsed p = parse(Map.of(LEGACY + "check_names", "[\"legacy\"]", LEGACY + "init_configs", "[{}]",
        LEGACY + "instances", "[{}]"));
    assertThat(p.templates()).extracting(AdTemplate::checkName).containsExactly("legacy");
  }

  @Test
  void v2InstanceThatIsNotAnObjectIsAnError() {
    Parsed p = parse(Map.of(AD + "checks", "{\"a\":{\"instances\":[1]}}"));
    assertThat(p.templates()).isEmpty();
    assertThat(p.errors()).singleElement().asString().contains("every instance must be a JSON object");
  }

  @Test
  void hasEndpointAnnotations() {
    String ep = "ad.datadoghq.com/endpoints.";
    assertThat(AdAnnotations.hasAnnotations(Map.of(ep + "checks", "{}"), AdAnnotations.ENDPOINTS)).isTrue();
    assertThat(AdAnnotations.hasAnnotations(Map.of(ep + "instances", "[]"), AdAnnotations.ENDPOINTS)).isTrue();
    assertThat(AdAnnotations.hasAnnotations(Map.of(ep + "check_names", "[]"), AdAnnotations.ENDPOINTS)).isTrue();
    assertThat(AdAnnotations.hasAnnotations(Map.of("service-discovery.datadoghq.com/endpoints.checks", "{}"),
        AdAnnotations.ENDPOINTS)).isTrue();
    assertThat(AdAnnotations.hasAnnotations(Map.of(AD + "checks", "{}"), AdAnnotations.ENDPOINTS)).isFalse();
    assertThat(AdAnnotations.hasAnnotations(Map.of(), AdAnnotations.ENDPOINTS)).isFalse();
  }
}
