package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/reference/scenarios.md item 21, every row, plus the disable_cluster_name_tag_key switch (docs/reference/dispatcher.md section 12). */
class ExtraTagsTest {

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(null, "testing", "cluster_name", List.of("cluster_name:testing", "kube_cluster_name:testing")),
        Arguments.of(null, "mycluster", "custom_name", List.of("custom_name:mycluster", "kube_cluster_name:mycluster")),
        Arguments.of(null, "", "cluster_name", List.of()),
        Arguments.of(null, "testing", "", List.of("kube_cluster_name:testing")),
        Arguments.of(List.of("one", "two"), "", "", List.of("one", "two")),
        Arguments.of(List.of("one", "two"), "mycluster", "custom_name",
            List.of("one", "two", "custom_name:mycluster", "kube_cluster_name:mycluster")));
  }

  @ParameterizedTest
  @MethodSource("table")
  void referenceTable(List<String> configured, String clusterName, String tagName, List<String> expected) {
    assertThat(ExtraTags.compute(configured, clusterName, tagName, false)).containsExactlyElementsOf(expected);
  }

  @Test
  void disablingTheClusterNameTagKeyKeepsKubeClusterName() {
    assertThat(ExtraTags.compute(List.of("one"), "testing", "cluster_name", true))
        .containsExactly("one", "kube_cluster_name:testing");
    assertThat(ExtraTags.compute(null, null, "cluster_name", true)).isEmpty();
  }
}
