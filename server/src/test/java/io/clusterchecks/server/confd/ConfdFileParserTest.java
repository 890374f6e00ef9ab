package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.config.YamlV2;
import io.clusterchecks.server.confd.ConfdFileParser.Empty;
import io.clusterchecks.server.confd.ConfdFileParser.Ignored;
import io.clusterchecks.server.confd.ConfdFileParser.Invalid;
import io.clusterchecks.server.confd.ConfdFileParser.Loaded;
import io.clusterchecks.server.confd.ConfdFileParser.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfdFileParserTest {
  private static final Path FILE = Path.of("/etc/datadog-agent/conf.d/http_check.d/conf.yaml");

  private static Result parse(String yaml) {
    return ConfdFileParser.parse(FILE, "http_check", yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static Config loaded(String yaml) {
    Result r = parse(yaml);
    assertThat(r).isInstanceOf(Loaded.class);
    return ((Loaded) r).config();
  }

  @Test
  void clusterCheckFileBecomesOneConfig() {
    Config c = loaded("""
        cluster_check: true
        init_config:
        instances:
          - name: a
            url: http://a.example
            tags: [team:x, env:prod]
          - {name: b, url: http://b.example, timeout: 5}
        """);
    assertThat(c.checkName()).isEqualTo("http_check");
    assertThat(c.clusterCheck()).isTrue();
    assertThat(c.provider()).isEqualTo("file");
    assertThat(c.source()).isEqualTo("file:" + FILE);
    assertThat(c.initConfig()).isNull();
    assertThat(c.logs()).isNull();
    assertThat(c.adIdentifiers()).isNull();
    assertThat(c.instances()).extracting(ConfigData::text).containsExactly(
        "name: a\ntags:\n- team:x\n- env:prod\nurl: http://a.example\n",
        "name: b\ntimeout: 5\nurl: http://b.example\n");
  }

  @Test
  void instanceBytesDependOnContentOnly() {
    Config a = loaded("""
        cluster_check: true
        instances:
          - url: http://a.example   # the site
            name: a
            nested: {z: 1, a: {y: 2, b: 3}}
        """);
    Config b = loaded("""
        # reordered, reformatted
        instances:
        - name: "a"
          nested:
            a:
              b: 3
              y: 2
            z: 1
          url: 'http://a.example'
        cluster_check: true
        """);
    assertThat(a).isEqualTo(b);
    // the key y is the boolean true in YAML 1.1, and booleans sort before strings
    assertThat(a.instances().get(0).text())
        .isEqualTo("name: a\nnested:\n  a:\n    true: 2\n    b: 3\n  z: 1\nurl: http://a.example\n");
  }

  @Test
  void instancesReadBackAsTheFileValues() throws Exception {
    String yaml = """
        cluster_check: true
        instances:
          - name: tricky
            yes_string: "yes"
            true_string: "true"
            number_string: "5005"
            float_string: "1.0"
            null_string: "null"
            colon: "a: b"
            hash: "a #b"
            empty: ""
            multi: "line1\\nline2"
            unicode: "héllo"
            real_bool: yes
            real_int: 42
            real_float: 1.5
            nothing:
        """;
    Config c = loaded(yaml);
    Map<?, ?> original = (Map<?, ?>) ((List<?>) ((Map<?, ?>) YamlV2.decode(yaml)).get("instances")).get(0);
    assertThat(YamlV2.decode(c.instances().get(0).bytes())).isEqualTo(original);
  }

  @Test
  void initConfigLogsAndAdIdentifiersAreKept() {
    Config c = loaded("""
        cluster_check: true
        ad_identifiers: [redis, my-redis]
        ignore_autodiscovery_tags: true
        check_tag_cardinality: low
        init_config:
          timeout: 10
          service: web
        jmx_metrics:
          - include: {domain: kafka}
        instances:
          - host: "%%host%%"
        logs:
          - type: file
            path: /var/log/app.log
            service: app
        """);
    assertThat(c.initConfig().text()).isEqualTo("service: web\ntimeout: 10\n");
    assertThat(c.metricConfig().text()).isEqualTo("- include:\n    domain: kafka\n");
    assertThat(c.logs().text()).isEqualTo("logs:\n- path: /var/log/app.log\n  service: app\n  type: file\n");
    assertThat(c.adIdentifiers()).containsExactly("redis", "my-redis");
    assertThat(c.ignoreAutodiscoveryTags()).isTrue();
    assertThat(c.checkTagCardinality()).isEqualTo("low");
  }

  @Test
  void nonClusterFilesAreIgnored() {
    assertThat(parse("init_config:\ninstances:\n  - host: a\n")).isInstanceOf(Ignored.class);
    assertThat(parse("cluster_check: false\ninstances:\n  - host: a\n")).isInstanceOf(Ignored.class);
    assertThat(parse("cluster_check: no\ninstances:\n  - host: a\n")).isInstanceOf(Ignored.class);
    // metrics.yaml-style files: no instances, no cluster_check
    assertThat(parse("jmx_metrics:\n  - include:\n      domain: kafka\n")).isInstanceOf(Ignored.class);
    assertThat(parse("cluster_check: true\nadvanced_ad_identifiers:\n  - kube_service: {name: a, namespace: b}\n"
        + "instances:\n  - host: a\n")).isInstanceOf(Ignored.class);
  }

  @Test
  void yamlOneOneBooleansCountForClusterCheck() {
    assertThat(parse("cluster_check: y\ninstances:\n  - host: a\n")).isInstanceOf(Loaded.class);
    assertThat(parse("cluster_check: On\ninstances:\n  - host: a\n")).isInstanceOf(Loaded.class);
  }

  @Test
  void fieldsOfTheWrongTypeMakeTheFileInvalidAsInTheReference() {
    assertThat(parse("cluster_check: \"true\"\ninstances:\n  - host: a\n"))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.message()).contains("cluster_check"));
    assertThat(parse("cluster_check: true\nignore_autodiscovery_tags: 1\ninstances:\n  - host: a\n"))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.message()).contains("ignore_autodiscovery_tags"));
    assertThat(parse("cluster_check: true\ncheck_tag_cardinality: [a]\ninstances:\n  - host: a\n"))
        .isInstanceOf(Invalid.class);
  }

  @Test
  void aNullInstanceIsAnEmptyMapAndALogsOnlyFileIsAConfig() {
    Config c = loaded("cluster_check: true\ninstances:\n  - ~\n");
    assertThat(c.instances()).extracting(ConfigData::text).containsExactly("{}\n");
    Config logsOnly = loaded("cluster_check: true\nlogs:\n  - {type: file, path: /a.log}\n");
    assertThat(logsOnly.instances()).isEmpty();
    assertThat(logsOnly.logs().text()).isEqualTo("logs:\n- path: /a.log\n  type: file\n");
  }

  @Test
  void theReferenceMessagesForFilesThatYieldNothing() {
    assertThat(parse("cluster_check: true\ninit_config: {}\n"))
        .isEqualTo(new Invalid(ConfdFileParser.NO_INSTANCES, -1, -1));
    assertThat(parse("cluster_check: true\ndocker_images: [redis]\ninstances:\n  - a: b\n"))
        .isEqualTo(new Invalid(ConfdFileParser.DOCKER_IMAGES, -1, -1));
    assertThat(parse("cluster_check: true\ndocker_images: [redis]\nad_identifiers: [redis]\ninstances:\n  - a: b\n"))
        .isInstanceOf(Loaded.class);
  }

  @Test
  void emptyOrCommentOnlyFiles() {
    assertThat(parse("")).isInstanceOf(Empty.class);
    assertThat(parse("  \n\n")).isInstanceOf(Empty.class);
    assertThat(parse("# nothing here\n")).isInstanceOf(Empty.class);
  }

  @Test
  void brokenYamlReportsLineAndColumnButNoText() {
    Result r = parse("""
        cluster_check: true
        instances:
          - url: http://a.example
            password: "hunter2-secret" oops
        """);
    assertThat(r).isInstanceOf(Invalid.class);
    Invalid inv = (Invalid) r;
    assertThat(inv.line()).isEqualTo(4);
    assertThat(inv.column()).isPositive();
    assertThat(inv.message()).contains("line 4, column").doesNotContain("hunter2");
  }

  @Test
  void badShapesAreInvalid() {
    assertThat(parse("- a\n- b\n")).isInstanceOf(Invalid.class);
    assertThat(parse("cluster_check: true\n")).isInstanceOf(Invalid.class);
    assertThat(parse("cluster_check: true\ninstances: []\n")).isInstanceOf(Invalid.class);
    assertThat(parse("cluster_check: true\ninstances: [{<<: 1}]\n")).isInstanceOf(Invalid.class);
    assertThat(parse("cluster_check: true\ninstances: {a: b}\n")).isInstanceOf(Invalid.class);
    assertThat(parse("cluster_check: true\ninstances:\n  - just a string\n"))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.message()).contains("instance #1"));
    assertThat(parse("cluster_check: true\nad_identifiers: redis\ninstances:\n  - a: b\n")).isInstanceOf(Invalid.class);
  }
}
