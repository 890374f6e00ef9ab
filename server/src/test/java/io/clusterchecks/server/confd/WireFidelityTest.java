package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.config.ExtraTags;
import io.clusterchecks.core.config.PreparedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What a worker receives from a conf.d file, byte for byte: the file read and marshalled as
 * yaml.v2 does, patched with the extra tags {@code team:a env:b} on cluster {@code prod}, sent as
 * JSON and decoded on the worker side. Each expectation is worked out from yaml.v2's rules
 * (docs/reference/wire-format.md), not recorded from our output.
 */
class WireFidelityTest {
  private static final Path FILE = Path.of("/etc/datadog-agent/conf.d/http_check.d/conf.yaml");
  private static final List<String> EXTRA =
      ExtraTags.compute(List.of("team:a", "env:b"), "prod", "cluster_name", false);
  /** The merged tags, sorted bytewise, as every instance below ends up with them. */
  private static final String TAGS =
      "tags:\n- cluster_name:prod\n- env:b\n- kube_cluster_name:prod\n- team:a\n";

  /** The config a worker decodes from the JSON the agent serves for {@code file}. */
  private static Config received(String file) throws Exception {
    ConfdFileParser.Result r = ConfdFileParser.parse(FILE, "http_check", file.getBytes(StandardCharsets.UTF_8));
    assertThat(r).isInstanceOf(ConfdFileParser.Loaded.class);
    PreparedConfig p = PreparedConfig.of(((ConfdFileParser.Loaded) r).config(), EXTRA);
    Config onTheWire = ConfigCodec.fromJson(ConfigCodec.toJson(p.config()), Config.class);
    // the worker's digest and check IDs, on the bytes it received, are the agent's
    assertThat(Digests.digest(onTheWire)).isEqualTo(p.digest());
    assertThat(CheckIds.checkIds(onTheWire)).isEqualTo(p.checkIds());
    return onTheWire;
  }

  private static String instance(Config c) {
    return c.instances().get(0).text();
  }

  @Test
  void keysAreSortedInYamlV2NaturalOrderWithThePatchedKeysInPlace() throws Exception {
    Config c = received("""
        cluster_check: true
        instances:
          - url: http://a.example
            a10: x
            Zed: 1
            a2: w
            _u: z
        """);
    // '_' is not a letter, so it sorts before letters; digit runs compare as numbers (2 < 10)
    assertThat(instance(c)).isEqualTo(
        "_u: z\nZed: 1\na2: w\na10: x\nempty_default_hostname: true\n" + TAGS + "url: http://a.example\n");
  }

  @Test
  void initConfigIsNullWhenAbsentEmptyOrNullAndYamlV2TextOtherwise() throws Exception {
    String instances = "instances:\n  - url: u\n";
    assertThat(received("cluster_check: true\n" + instances).initConfig()).isNull();
    assertThat(received("cluster_check: true\ninit_config:\n" + instances).initConfig()).isNull();
    assertThat(received("cluster_check: true\ninit_config: ~\n" + instances).initConfig()).isNull();
    assertThat(new String(ConfigCodec.toJson(received("cluster_check: true\ninit_config: null\n" + instances)), StandardCharsets.UTF_8))
        .contains("\"init_config\":null");
    assertThat(received("cluster_check: true\ninit_config: {}\n" + instances).initConfig())
        .isEqualTo(ConfigData.ofText("{}\n"));

    String words = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("word%02d", i))
        .collect(Collectors.joining(" "));
    Config rich = received("""
        cluster_check: true
        init_config:
          timeout: 1000
          name: "plain words"
          ratio: 1.50
          script: |
            line one
            line two
          long: %s
        """.formatted(words) + instances);
    // plain where yaml.v2 leaves it plain, 1000 stays an int, 1.50 prints shortest; a literal block
    // for text with line breaks; a long plain string folded at the first space past column 80
    // ("long: " + 11 words ends at column 82), continued two spaces in
    String firstLine = words.substring(0, 7 * 11 - 1);
    String secondLine = words.substring(7 * 11);
    assertThat(rich.initConfig().text()).isEqualTo(
        "long: " + firstLine + "\n  " + secondLine + "\nname: plain words\nratio: 1.5\n"
            + "script: |\n  line one\n  line two\ntimeout: 1000\n");
  }

  @Test
  void logsAreWrappedUnderALogsKey() throws Exception {
    Config c = received("""
        cluster_check: true
        instances:
          - url: u
        logs:
          - type: file
            path: /var/log/a.log
        """);
    assertThat(c.logs().text()).isEqualTo("logs:\n- path: /var/log/a.log\n  type: file\n");
  }

  @Test
  void nonStringKeysKeepTheirType() throws Exception {
    Config c = received("""
        cluster_check: true
        instances:
          - url: u
            1: one
            true: x
            ~: v
            2.5: f
        """);
    // numbers and booleans compare as numbers (true is 1; at a tie the bool comes first), then the
    // nil key, then strings
    assertThat(instance(c)).isEqualTo(
        "true: x\n1: one\n2.5: f\nnull: v\nempty_default_hostname: true\n" + TAGS + "url: u\n");
  }

  @Test
  void yamlOneOneScalarsResolveAsInYamlV2() throws Exception {
    Config c = received("""
        cluster_check: true
        instances:
          - a: y
            b: Y
            c: n
            d: N
            e: 1e400
            f: 0x1F
            g: "y"
        """);
    // y/Y/n/N are booleans; 1e400 overflows a float64 so it stays the string it was written as;
    // 0x1F is the int 31; a quoted "y" stays a string and is quoted again
    assertThat(instance(c)).isEqualTo(
        "a: true\nb: true\nc: false\nd: false\ne: 1e400\nempty_default_hostname: true\nf: 31\ng: \"y\"\n" + TAGS);
  }

  @Test
  void infinitiesAndNanAreAcceptedAndDispatched() throws Exception {
    Config c = received("""
        cluster_check: true
        instances:
          - a: .inf
            b: -.inf
            c: .nan
            d: +.INF
        """);
    assertThat(instance(c)).isEqualTo(
        "a: .inf\nb: -.inf\nc: .nan\nd: .inf\nempty_default_hostname: true\n" + TAGS);
  }

  @Test
  void tagsOfEveryElementTypeArePrintedAsGoPrintsThem() throws Exception {
    Config c = received("""
        cluster_check: true
        instances:
          - url: u
            tags: [~, 1.0, 7, true, {k: v}, team:a, "z"]
        """);
    assertThat(instance(c)).isEqualTo("empty_default_hostname: true\ntags:\n- \"1\"\n- \"7\"\n- <nil>\n"
        + "- cluster_name:prod\n- env:b\n- kube_cluster_name:prod\n- map[k:v]\n- team:a\n- \"true\"\n- z\n"
        + "url: u\n");
  }

  @Test
  void aTagsValueThatIsNotAListIsReplacedByTheExtraTags() throws Exception {
    Config c = received("""
        cluster_check: true
        instances:
          - url: u
            tags: team:x
        """);
    assertThat(instance(c)).isEqualTo("empty_default_hostname: true\n" + TAGS + "url: u\n");
  }

  /** The worked example of docs/api.md, "What a worker receives": keep the two in step. */
  @Test
  void theDocumentedExample() throws Exception {
    String file = """
        cluster_check: true
        init_config:
          timeout: 5
        instances:
          - url: http://orders.internal/health
            name: orders
            tags: [team:orders, 7]
            http_response_status_code: 200
            min_collection_interval: 30
        logs:
          - type: file
            path: /var/log/orders.log
            service: orders
        """;
    ConfdFileParser.Loaded loaded = (ConfdFileParser.Loaded) ConfdFileParser.parse(
        Path.of("/etc/datadog-agent/conf.d/http_check.d/orders.yaml"), "http_check",
        file.getBytes(StandardCharsets.UTF_8));
    PreparedConfig p = PreparedConfig.of(loaded.config(), ExtraTags.compute(List.of(), "prod", "cluster_name", false));
    Config c = ConfigCodec.fromJson(ConfigCodec.toJson(p.config()), Config.class);
    assertThat(instance(c)).isEqualTo("""
        empty_default_hostname: true
        http_response_status_code: 200
        min_collection_interval: 30
        name: orders
        tags:
        - "7"
        - cluster_name:prod
        - kube_cluster_name:prod
        - team:orders
        url: http://orders.internal/health
        """);
    assertThat(c.initConfig().text()).isEqualTo("timeout: 5\n");
    assertThat(c.logs().text()).isEqualTo("""
        logs:
        - path: /var/log/orders.log
          service: orders
          type: file
        """);
    System.out.println("docs example: " + new String(ConfigCodec.toJson(p.config()), StandardCharsets.UTF_8)
        + " digest " + p.digest() + " ids " + p.checkIds());
  }
}
