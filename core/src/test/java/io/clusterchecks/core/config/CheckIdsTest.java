package io.clusterchecks.core.config;

import static io.clusterchecks.core.config.RefHashes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected IDs are computed with the BigInteger FNV-1 and naive murmur3 of {@link RefHashes}. */
class CheckIdsTest {

  private static String hex(long v) {
    return Long.toUnsignedString(v, 16);
  }

  @Test
  void workedExampleWithName() {
    long fd = 0x0123456789abcdefL;
    String inst = "name: svc\nurl: http://x\n";
    String expected = "http_check:svc:"
        + hex(RefHashes.fnv1(RefHashes.concat(RefHashes.bigEndian(fd), inst, "{}")));
    assertThat(CheckIds.buildId("http_check", fd, utf8(inst), utf8("{}"))).isEqualTo(expected);
  }

  @Test
  void workedExampleWithoutNameAndNullInitConfig() {
    long fd = -1L; // 0xffffffffffffffff: all eight bytes must be fed, big-endian
    String inst = "host: a\n";
    String expected = "redis:" + hex(RefHashes.fnv1(RefHashes.concat(RefHashes.bigEndian(fd), inst)));
    assertThat(CheckIds.buildId("redis", fd, utf8(inst), null)).isEqualTo(expected);
    assertThat(CheckIds.buildId("redis", fd, utf8(inst), new byte[0])).isEqualTo(expected);
  }

  @Test
  void checkIdsUseTheFastDigestOfTheWholeConfig() {
    Config c = Config.builder("redis").instanceYaml("host: a\n", "host: b\nnamespace: ns\n")
        .initConfigYaml("{}").build();
    long fd = RefHashes.murmur64("redis", "host: a\n", "host: b\nnamespace: ns\n", "{}", "false");
    byte[] be = RefHashes.bigEndian(fd);
    assertThat(CheckIds.checkIds(c)).containsExactly(
        "redis:" + hex(RefHashes.fnv1(RefHashes.concat(be, "host: a\n", "{}"))),
        "redis:ns:" + hex(RefHashes.fnv1(RefHashes.concat(be, "host: b\nnamespace: ns\n", "{}"))));
    assertThat(CheckIds.checkNameOf(CheckIds.checkIds(c).get(1))).isEqualTo("redis");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "name wins          | `name: a\nnamespace: b\n`                      | a",
      "namespace fallback | `namespace: b\n`                               | b",
      "empty name         | `name: ''\nnamespace: b\n`                     | b",
      "null name          | `name:\nnamespace: b\n`                        | b",
      "verbatim number    | `name: 1.50\n`                                 | 1.50",
      "verbatim bool word | `name: yes\n`                                  | yes",
      "quoted             | `name: \"my svc\"\n`                           | my svc",
      "flow map           | `{name: a, tags: [x, 2]}`                       | a",
      "valid typed fields | `name: a\nmin_collection_interval: 30\nempty_default_hostname: true\nno_index: false\nservice: s\ntags: [a, 1]\n` | a",
      "merge key          | `base: &b {name: merged}\n<<: *b\n`              | merged",
      "tags not a list    | `name: a\ntags: x\n`                            | ``",
      "quoted interval    | `name: a\nmin_collection_interval: '30'\n`    | ``",
      "interval as text   | `name: a\nmin_collection_interval: 30s\n`     | ``",
      "quoted bool        | `name: a\nempty_default_hostname: 'true'\n`   | ``",
      "name is a map      | `name: {x: 1}\n`                               | ``",
      "tag item is a map  | `name: a\ntags: [{x: 1}]\n`                    | ``",
      "not a map          | `- name: a\n`                                  | ``",
      "invalid yaml       | `name: [a\n`                                   | ``",
      "empty              | ``                                             | ``",
  })
  void instanceNameFollowsTheAgentsStructDecoding(String label, String instance, String expected) {
    assertThat(CheckIds.instanceName(utf8(instance))).as(label).isEqualTo(expected == null ? "" : expected);
  }

  @Test
  void idDependsOnRawBytesNotOnYamlMeaning() {
    long fd = 42;
    String a = CheckIds.buildId("c", fd, utf8("a: 1\nb: 2\n"), null);
    String b = CheckIds.buildId("c", fd, utf8("b: 2\na: 1\n"), null);
    assertThat(a).isNotEqualTo(b).startsWith("c:");
    assertThat(CheckIds.buildId("c", fd + 1, utf8("a: 1\nb: 2\n"), null)).isNotEqualTo(a);
  }
}
