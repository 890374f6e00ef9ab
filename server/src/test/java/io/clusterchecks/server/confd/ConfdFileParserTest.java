package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
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
    assertThat(c.initConfig()).isEqualTo(ConfigData.ofText("{}"));
    assertThat(c.logs()).isNull();
    assertThat(c.adIdentifiers()).isNull();
    assertThat(c.instances()).extracting(ConfigData::text).containsExactly(
        "name: \"a\"\ntags:\n- \"team:x\"\n- \"env:prod\"\nurl: \"http://a.example\"\n",
        "name: \"b\"\ntimeout: 5\nurl: \"http://b.example\"\n");
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
        init_config: {}
        """);
    assertThat(a).isEqualTo(b);
    assertThat(a.instances().get(0).text()).isEqualTo("name: \"a\"\nnested:\n  a:\n    b: 3\n    \"y\": 2\n  z: 1\nurl: \"http://a.example\"\n");
  }

  @Test
  void instancesReparseToTheSameValues() throws Exception {
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
            real_bool: true
            real_int: 42
            real_float: 1.5
            nothing:
        """;
    Config c = loaded(yaml);
    YAMLMapper m = new YAMLMapper();
    Map<?, ?> original = (Map<?, ?>) ((List<?>) m.readValue(yaml, Map.class).get("instances")).get(0);
    Map<?, ?> reparsed = m.readValue(c.instances().get(0).bytes(), Map.class);
    assertThat(reparsed).isEqualTo(original);
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
        instances:
          - host: "%%host%%"
        logs:
          - type: file
            path: /var/log/app.log
            service: app
        """);
    assertThat(c.initConfig().text()).isEqualTo("service: \"web\"\ntimeout: 10\n");
    assertThat(c.logs().text()).isEqualTo("- path: \"/var/log/app.log\"\n  service: \"app\"\n  type: \"file\"\n");
    assertThat(c.adIdentifiers()).containsExactly("redis", "my-redis");
    assertThat(c.ignoreAutodiscoveryTags()).isTrue();
    assertThat(c.checkTagCardinality()).isEqualTo("low");
  }

  @Test
  void nonClusterFilesAreIgnored() {
    assertThat(parse("init_config:\ninstances:\n  - host: a\n")).isInstanceOf(Ignored.class);
    assertThat(parse("cluster_check: false\ninstances:\n  - host: a\n")).isInstanceOf(Ignored.class);
    assertThat(parse("cluster_check: \"true\"\ninstances:\n  - host: a\n")).isInstanceOf(Ignored.class);
    // metrics.yaml-style files: no instances, no cluster_check
    assertThat(parse("jmx_metrics:\n  - include:\n      domain: kafka\n")).isInstanceOf(Ignored.class);
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
    assertThat(parse("cluster_check: true\ninstances: {a: b}\n")).isInstanceOf(Invalid.class);
    assertThat(parse("cluster_check: true\ninstances:\n  - just a string\n"))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.message()).contains("instance #1"));
    assertThat(parse("cluster_check: true\nad_identifiers: redis\ninstances:\n  - a: b\n")).isInstanceOf(Invalid.class);
  }
}
