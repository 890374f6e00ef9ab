package io.clusterchecks.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire messages decode like Go's encoding/json would: zero values for absent fields, no coercion. */
class WireCodecTest {

  @Test
  void aLegacyStatusWithoutNodeTypeIsTypeUnknown() throws IOException {
    NodeStatus s = ConfigCodec.fromJson("{\"last_change\":5}", NodeStatus.class);
    assertThat(s.lastChange()).isEqualTo(5);
    assertThat(s.type()).isEqualTo(NodeType.UNKNOWN);
  }

  @Test
  void anEmptyStatusIsVersionZero() throws IOException {
    assertThat(ConfigCodec.fromJson("{}", NodeStatus.class).lastChange()).isZero();
  }

  @Test
  void nodeTypeIsOmittedWhenZeroAndWrittenOtherwise() {
    assertThat(ConfigCodec.toJsonString(new NodeStatus(7, NodeType.UNKNOWN))).isEqualTo("{\"last_change\":7}");
    assertThat(ConfigCodec.toJsonString(new NodeStatus(7, NodeType.NODE_AGENT)))
        .isEqualTo("{\"last_change\":7,\"node_type\":2}");
  }

  @Test
  void wrongTypesAreRejected() {
    assertThatThrownBy(() -> ConfigCodec.fromJson("{\"last_change\":\"x\"}", NodeStatus.class))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> ConfigCodec.fromJson("{\"check_name\":5}", Config.class))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aConfigWithOnlyANameDecodesWithZeroValues() throws IOException {
    Config c = ConfigCodec.fromJson("{\"check_name\":\"one\",\"future_field\":{\"x\":1}}", Config.class);
    assertThat(c.checkName()).isEqualTo("one");
    assertThat(c.clusterCheck()).isFalse();
    assertThat(c.instances()).isEmpty();
  }

  @Test
  void configResponseRoundTripsWithBase64Data() throws IOException {
    Config c = Config.builder("http_check").instanceYaml("url: http://a\n").initConfigYaml("{}").build();
    String json = ConfigCodec.toJsonString(new ConfigResponse(42, List.of(c)));
    assertThat(json).contains("\"instances\":[\"dXJsOiBodHRwOi8vYQo=\"]").contains("\"init_config\":\"e30=\"")
        .contains("\"ad_identifiers\":null").contains("\"last_change\":42");
    assertThat(ConfigCodec.fromJson(json, ConfigResponse.class).configs()).containsExactly(c);
  }
}
