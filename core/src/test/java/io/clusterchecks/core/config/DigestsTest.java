package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expected digests are computed with the naive {@link RefHashes#murmur64} over the pieces the
 * agent feeds, in docs/reference/wire-format.md section 4 order; expected normalised instances are written by hand from yaml.v2's
 * marshalling rules (sorted keys, "key:\n- item" lists, quoting of non-string-looking text).
 */
class DigestsTest {

  private static Config.Builder base() {
    return Config.builder("http_check")
        .instanceYaml("url: http://10.0.0.1\nname: svc\ntags: [b:2, a:1]\n",
            "url: http://10.0.0.2\n")
        .initConfigYaml("{}")
        .adIdentifiers(List.of("redis", "_kube_service"))
        .nodeName("node-1")
        .logsYaml("[{\"source\": \"x\"}]")
        .serviceId("kube_service://uid")
        .provider("kubernetes-services")
        .source("kube_services:kube_service://uid");
  }

  @Test
  void fastDigestHashesRawBytesInOrder() {
    long expected = RefHashes.murmur64("http_check",
        "url: http://10.0.0.1\nname: svc\ntags: [b:2, a:1]\n", "url: http://10.0.0.2\n",
        "{}", "redis", "_kube_service", "node-1", "[{\"source\": \"x\"}]", "kube_service://uid", "false");
    assertThat(Digests.fastDigest(base().build())).isEqualTo(expected);
  }

  @Test
  void digestHashesNormalisedInstances() {
    long expected = RefHashes.murmur64("http_check",
        "name: svc\ntags:\n- a:1\n- b:2\nurl: http://10.0.0.1\n", "url: http://10.0.0.2\n",
        "{}", "redis", "_kube_service", "node-1", "[{\"source\": \"x\"}]", "kube_service://uid", "true");
    Config c = base().ignoreAutodiscoveryTags(true).build();
    assertThat(Digests.intDigest(c)).isEqualTo(expected);
    assertThat(Digests.digest(c)).isEqualTo(Long.toHexString(expected));
  }

  @Test
  void digestIgnoresKeyAndTagOrderButFastDigestDoesNot() {
    Config a = Config.builder("c").instanceYaml("b: 1\na: {y: 2, x: 1}\ntags: [t2, t1]\n").build();
    Config b = Config.builder("c").instanceYaml("a:\n  x: 1\n  y: 2\ntags:\n  - t1\n  - t2\nb: 1\n").build();
    assertThat(Digests.digest(a)).isEqualTo(Digests.digest(b));
    assertThat(Digests.fastDigest(a)).isNotEqualTo(Digests.fastDigest(b));
    // yaml.v2 reads the key y as the boolean true (YAML 1.1), and numbers/bools sort before strings
    assertThat(Digests.intDigest(a)).isEqualTo(
        RefHashes.murmur64("c", "a:\n  true: 2\n  x: 1\nb: 1\ntags:\n- t1\n- t2\n", "false"));
  }

  @Test
  void tagsAreStringifiedAndSortedBytewise() {
    Config c = Config.builder("c").instanceYaml("tags: [true, 2, b, B, \u00e9, 1.50]\n").build();
    // fmt.Sprint: true -> "true", 2 -> "2", 1.50 -> "1.5"; sort.Strings is bytewise; strings
    // that would read back as non-strings are quoted when re-marshalled.
    String normalised = "tags:\n- \"1.5\"\n- \"2\"\n- B\n- b\n- \"true\"\n- \u00e9\n";
    assertThat(Digests.intDigest(c)).isEqualTo(RefHashes.murmur64("c", normalised, "false"));
  }

  @Test
  void instancesTheAgentCannotReadAreSkipped() {
    long onlyValid = Digests.intDigest(Config.builder("c").instanceYaml("a: 1\n").build());
    for (String bad : List.of("a: [unclosed\n", "- just\n- a list\n", "plain scalar", "tags: not-a-list\n",
        "tags:\n")) {
      Config c = Config.builder("c").instanceYaml("a: 1\n", bad).build();
      assertThat(Digests.intDigest(c)).as(bad).isEqualTo(onlyValid);
    }
    // but the fast digest sees their bytes
    assertThat(Digests.fastDigest(Config.builder("c").instanceYaml("a: 1\n", "x: [").build()))
        .isNotEqualTo(Digests.fastDigest(Config.builder("c").instanceYaml("a: 1\n").build()));
  }

  @Test
  void digestOfMarshalledMapsIsTheDigestOfTheirText() throws Exception {
    List<Map<Object, Object>> maps = new ArrayList<>();
    // unsorted tags (normalised from the map), sorted tags (its own bytes), no tags, a value the
    // text does not read back as (1.0 is written 1), a merge key, an empty instance
    for (String yaml : List.of("url: http://a\ntags: [team:x, env:prod]\n", "tags: [a, b]\nname: n\n",
        "timeout: 5\n", "min_collection_interval: 1.0\ntags: [b, a]\n", "a: {b: 1}\n", "{}\n")) {
      @SuppressWarnings("unchecked")
      Map<Object, Object> map = (Map<Object, Object>) YamlV2.decode(yaml);
      maps.add(map);
    }
    Map<Object, Object> merge = new LinkedHashMap<>();
    merge.put("<<", Map.of("x", 1L));
    maps.add(merge);
    List<ConfigData> instances = new ArrayList<>();
    for (Map<Object, Object> map : maps) {
      instances.add(ConfigData.of(YamlV2.marshal(map)));
    }
    Config config = base().instances(instances).build();
    assertThat(Digests.digestOfMarshalled(config, maps)).isEqualTo(Digests.digest(config));

    // a map that is not the instance's text (null) is not used: the text is read
    List<Map<Object, Object>> unknown = new ArrayList<>(maps);
    unknown.set(0, null);
    assertThat(Digests.digestOfMarshalled(config, unknown)).isEqualTo(Digests.digest(config));
  }

  @Test
  void emptyAndNullInstancesNormaliseToEmptyMap() {
    for (String empty : List.of("", "~\n", "# comment only\n")) {
      assertThat(Digests.intDigest(Config.builder("c").instanceYaml(empty).build()))
          .as(empty).isEqualTo(RefHashes.murmur64("c", "{}\n", "false"));
    }
  }

  @Test
  void absentAndEmptyDataContributeNothing() {
    Config none = Config.builder("c").build();
    Config empty = Config.builder("c").initConfig(ConfigData.ofText("")).logs(ConfigData.ofText(""))
        .adIdentifiers(List.of()).build();
    assertThat(Digests.digest(none)).isEqualTo(Digests.digest(empty));
    assertThat(Digests.intDigest(none)).isEqualTo(RefHashes.murmur64("c", "false"));
  }

  @Test
  void fieldsOutsideTheDigestDoNotChangeIt() {
    Config c = base().build();
    Config other = c.toBuilder().clusterCheck(true).provider("file").source("elsewhere")
        .metricConfig(ConfigData.ofText("jmx: 1")).checkTagCardinality("high")
        .metricsExcluded(true).logsExcluded(true)
        .advancedAdIdentifiers(List.of()).build();
    assertThat(Digests.digest(other)).isEqualTo(Digests.digest(c));
    assertThat(Digests.fastDigest(other)).isEqualTo(Digests.fastDigest(c));
    // and each field inside it does
    assertThat(Digests.digest(c.toBuilder().nodeName("node-2").build())).isNotEqualTo(Digests.digest(c));
    assertThat(Digests.digest(c.toBuilder().serviceId("x").build())).isNotEqualTo(Digests.digest(c));
    assertThat(Digests.digest(c.toBuilder().logsYaml("[]").build())).isNotEqualTo(Digests.digest(c));
    assertThat(Digests.digest(c.toBuilder().adIdentifiers(List.of("redis")).build())).isNotEqualTo(Digests.digest(c));
    assertThat(Digests.digest(c.toBuilder().initConfigYaml("{a: 1}").build())).isNotEqualTo(Digests.digest(c));
  }

  @Test
  void hexIsLowercaseWithoutPadding() {
    for (int i = 0; i < 10_000; i++) {
      Config c = Config.builder("check-" + i).build();
      long v = RefHashes.murmur64("check-" + i, "false");
      if (Long.numberOfLeadingZeros(v) >= 4) { // first nibble zero: Go prints 15 digits or fewer
        assertThat(Digests.digest(c)).hasSizeLessThan(16).doesNotStartWith("0")
            .isEqualTo(Long.toUnsignedString(v, 16)).matches("[0-9a-f]+");
        return;
      }
    }
    throw new AssertionError("no digest with a leading zero nibble found");
  }

  @Test
  void survivesAJsonRoundTripLikeAWorkerWouldSee() throws Exception {
    Config c = base().build();
    Config received = ConfigCodec.fromJson(ConfigCodec.toJson(c), Config.class);
    assertThat(Digests.digest(received)).isEqualTo(Digests.digest(c));
    assertThat(Digests.fastDigest(received)).isEqualTo(Digests.fastDigest(c));
  }
}
