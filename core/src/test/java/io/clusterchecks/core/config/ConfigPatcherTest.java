package io.clusterchecks.core.config;

import static io.clusterchecks.core.config.RefHashes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/reference/wire-format.md section 3; docs/reference/scenarios.md items 19 (patch) and 20 (endpoints patch). */
class ConfigPatcherTest {
  private static final List<String> EXTRA = ExtraTags.compute(null, "testing", "cluster_name", false);

  /** The input of the reference's patch tests. */
  private static Config input() {
    return Config.builder("test")
        .adIdentifiers(List.of("redis"))
        .initConfigYaml("{foo}")
        .instanceYaml("tags: [\"foo:bar\", \"bar:foo\"]")
        .logsYaml("[{\"service\":\"any_service\",\"source\":\"any_source\"}]")
        .clusterCheck(true)
        .build();
  }

  private static Map<?, ?> instance(Config c, int i) throws Exception {
    return (Map<?, ?>) GoYaml.decode(c.instances().get(i).bytes());
  }

  @SuppressWarnings("unchecked")
  private static List<Object> tags(Map<?, ?> instance) {
    return (List<Object>) instance.get("tags");
  }

  @Test
  void item19ClusterCheckPatch() throws Exception {
    Config in = input();
    String digestBefore = Digests.digest(in);
    Config snapshot = in.toBuilder().build();

    Config out = ConfigPatcher.patchClusterCheck(in, EXTRA);

    assertThat(in).isEqualTo(snapshot);
    assertThat(Digests.digest(in)).isEqualTo(digestBefore);
    assertThat(Digests.digest(out)).isNotEqualTo(digestBefore);
    assertThat(out.clusterCheck()).isFalse();
    assertThat(out.adIdentifiers()).isNull();
    Map<?, ?> inst = instance(out, 0);
    assertThat(tags(inst))
        .contains("foo:bar", "cluster_name:testing", "kube_cluster_name:testing");
    assertThat(inst.get("empty_default_hostname")).isEqualTo(true);
    // untouched parts
    assertThat(out.initConfig()).isEqualTo(in.initConfig());
    assertThat(out.logs()).isEqualTo(in.logs());
    assertThat(out.checkName()).isEqualTo("test");
  }

  @Test
  void item20EndpointsCheckPatch() throws Exception {
    Config in = input().toBuilder().nodeName("node1").build();
    Config out = ConfigPatcher.patchEndpointsCheck(in, EXTRA);

    assertThat(out.clusterCheck()).isFalse();
    assertThat(out.adIdentifiers()).containsExactly("redis");
    assertThat(out.nodeName()).isEqualTo("node1");
    Map<?, ?> inst = instance(out, 0);
    assertThat(tags(inst))
        .containsExactly("bar:foo", "cluster_name:testing", "foo:bar", "kube_cluster_name:testing");
    assertThat(inst.containsKey("empty_default_hostname")).isFalse();
    assertThat(Digests.digest(out)).isNotEqualTo(Digests.digest(in));
  }

  @Test
  void mergedTagsAreDeterministicAndTheYamlIsStable() {
    Config in = Config.builder("http_check")
        .instanceYaml("url: http://10.0.0.1\nname: svc\ntags:\n  - env:prod\n  - kube_cluster_name:testing\n  - 7\n")
        .build();
    Config out = ConfigPatcher.patchClusterCheck(in, EXTRA);
    // keys sorted as yaml.v2 marshals them, the new one in its sorted place; tags merged with the
    // extras, duplicates dropped, sorted bytewise; the number tag is printed as Go prints it (and
    // quoted so it reads back as a string)
    assertThat(out.instances().get(0).text()).isEqualTo(
        "empty_default_hostname: true\nname: svc\ntags:\n- \"7\"\n- cluster_name:testing\n- env:prod\n"
            + "- kube_cluster_name:testing\nurl: http://10.0.0.1\n");
    assertThat(ConfigPatcher.patchClusterCheck(in, EXTRA)).isEqualTo(out);
    assertThat(CheckIds.checkIds(ConfigPatcher.patchClusterCheck(in, EXTRA))).isEqualTo(CheckIds.checkIds(out));
  }

  @Test
  void addsTagsAndOverridesEmptyDefaultHostnameInPlace() {
    Config in = Config.builder("c").instanceYaml("empty_default_hostname: false\nhost: a\n", "").build();
    Config out = ConfigPatcher.patchClusterCheck(in, EXTRA);
    assertThat(out.instances().get(0).text()).isEqualTo(
        "empty_default_hostname: true\nhost: a\ntags:\n- cluster_name:testing\n- kube_cluster_name:testing\n");
    assertThat(out.instances().get(1).text()).isEqualTo(
        "empty_default_hostname: true\ntags:\n- cluster_name:testing\n- kube_cluster_name:testing\n");
    assertThat(ConfigPatcher.patchClusterCheck(in, List.of()).instances().get(1).text())
        .isEqualTo("empty_default_hostname: true\n");
  }

  @Test
  void cloudFoundryEndpointsLoseTheirAdIdentifiers() {
    Config in = input().toBuilder().nodeName("n").provider(ConfigPatcher.CLOUD_FOUNDRY_BBS).build();
    assertThat(ConfigPatcher.patchEndpointsCheck(in, EXTRA).adIdentifiers()).isNull();
  }

  @Test
  void endpointsWithoutExtraTagsKeepTheirBytes() {
    Config in = Config.builder("c").nodeName("n").clusterCheck(true)
        .instanceYaml("b: 1\na:   2   # odd spacing kept\n", "- not a map\n").build();
    Config out = ConfigPatcher.patchEndpointsCheck(in, List.of());
    assertThat(out.instances()).isEqualTo(in.instances());
    assertThat(out.clusterCheck()).isFalse();
  }

  @Test
  void instancesThatAreNotMapsAreRejectedWithTheCheckName() {
    Config list = Config.builder("my_check").instanceYaml("a: 1\n", "- a\n- b\n").build();
    assertThatThrownBy(() -> ConfigPatcher.patchClusterCheck(list, EXTRA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("my_check").hasMessageContaining("#1").hasMessageContaining("not a YAML map");
    Config broken = Config.builder("my_check").instanceYaml("a: [1\n").build();
    assertThatThrownBy(() -> ConfigPatcher.patchEndpointsCheck(broken, EXTRA))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("my_check");
    Config scalar = Config.builder("my_check").instanceYaml("just text").build();
    assertThatThrownBy(() -> ConfigPatcher.patchClusterCheck(scalar, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("my_check");
  }

  @Test
  void workerSideDigestAndIdsMatchAfterTheWireRoundTrip() throws Exception {
    Config out = ConfigPatcher.patchClusterCheck(input(), EXTRA);
    Config received = ConfigCodec.fromJson(ConfigCodec.toJson(out), Config.class);
    assertThat(Digests.digest(received)).isEqualTo(Digests.digest(out));
    assertThat(CheckIds.checkIds(received)).isEqualTo(CheckIds.checkIds(out));
    assertThat(received.instances().get(0).bytes()).isEqualTo(utf8(
        "empty_default_hostname: true\ntags:\n- bar:foo\n- cluster_name:testing\n- foo:bar\n"
            + "- kube_cluster_name:testing\n"));
  }
}
