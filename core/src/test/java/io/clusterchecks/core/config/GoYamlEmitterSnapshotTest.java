package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the emitter's output, sorted and unsorted, on 5,000 generated values (random generic maps
 * and decoded random instances of {@link InstanceYamlGen}), so that changes made to the emitter
 * for speed cannot change a byte: digests and check IDs hash this text.
 *
 * <p>The expected hash was taken with the emitter as it was before it was optimised. If the
 * generator changes, take it again with an emitter known to be right (its reference vectors pass).
 */
class GoYamlEmitterSnapshotTest {
  private static final String EXPECTED = "5b8fb3549d541f2d2f2ec8b1876cf50f78a38047bbe4eb11a54ea4dc81aee613";

  @Test
  void outputIsUnchangedOnGeneratedValues() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (long seed = 0; seed < 5_000; seed++) {
      InstanceYamlGen gen = new InstanceYamlGen(seed);
      Object value = seed % 2 == 0 ? gen.genericMap(0) : decodedOrNull(gen.instance());
      sha.update(GoYamlEmitter.marshal(value, false));
      sha.update(GoYamlEmitter.marshal(value, true));
    }
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(EXPECTED);
  }

  private static Object decodedOrNull(String yaml) {
    try {
      return GoYaml.decode(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (GoYaml.YamlException e) {
      return null;
    }
  }
}
