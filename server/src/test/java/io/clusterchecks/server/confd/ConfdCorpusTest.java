package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.config.ExtraTags;
import io.clusterchecks.core.config.PreparedConfig;
import io.clusterchecks.core.config.TemplateVariables;
import io.clusterchecks.core.config.YamlV2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Thousands of generated conf.d files ({@link ConfdCorpus}) through the whole path a worker sees:
 * read, marshalled, template walk, patched with extra tags, sent as JSON, decoded by the worker
 * library. The generator's seed is the property's parameter: a failure names it, and
 * {@code new ConfdCorpus(seed).file()} gives the file back.
 */
class ConfdCorpusTest {
  private static final Path FILE = Path.of("/etc/datadog-agent/conf.d/http_check.d/conf.yaml");
  private static final List<String> EXTRA =
      ExtraTags.compute(List.of("team:a", "env:b"), "prod", "cluster_name", false);
  private static final TemplateVariables.Variables ENV = TemplateVariables.envOnly(ConfdCorpus.ENV::get);

  @Property(tries = 2000)
  void everyGeneratedFileReachesTheWorkerAsYamlV2WouldSendIt(@ForAll long seed) throws Exception {
    ConfdCorpus.File file = new ConfdCorpus(seed).file();
    String why = "seed " + seed + ", file:\n" + file.text();

    // the resolver reads the file as yaml.v2 does
    Map<?, ?> top = (Map<?, ?>) YamlV2.decode(file.text());
    assertThat((List<?>) top.get("instances")).as(why).isEqualTo(file.instances());

    // nothing valid is refused, and reading is deterministic
    ConfdFileParser.Result result = parse(file);
    assertThat(result).as(why).isInstanceOf(ConfdFileParser.Loaded.class);
    ConfdFileParser.Loaded loaded = (ConfdFileParser.Loaded) result;
    assertThat(loaded.templateError()).as(why).isNull();
    assertThat(parse(file)).as(why).isEqualTo(result);
    // the digest worked out from the parser's values is the one read from the config's text
    assertThat(loaded.digest()).as(why).isEqualTo(Digests.digest(loaded.config()));

    PreparedConfig prepared = PreparedConfig.of(loaded.config(), EXTRA);
    Config received = ConfigCodec.fromJson(ConfigCodec.toJson(prepared.config()), Config.class);

    // every part reads back as the file's values, keys in natural order at every depth
    for (int i = 0; i < file.instances().size(); i++) {
      Object instance = YamlV2.decode(received.instances().get(i).bytes());
      assertThat(instance).as(why).isEqualTo(patched(file, i));
      assertNaturalOrder(instance, why);
    }
    if (file.initConfigBytes() == null) {
      assertThat(received.initConfig()).as(why).isNull();
    } else if (!file.initConfigBytes().isEmpty()) {
      assertThat(received.initConfig().text()).as(why).isEqualTo(file.initConfigBytes());
    } else {
      Object init = YamlV2.decode(received.initConfig().bytes());
      assertThat(init).as(why).isEqualTo(file.initConfig());
      assertNaturalOrder(init, why);
    }
    if (file.logs() == null) {
      assertThat(received.logs()).as(why).isNull();
    } else {
      Map<?, ?> logs = (Map<?, ?>) YamlV2.decode(received.logs().bytes());
      assertThat(new ArrayList<Object>(logs.keySet())).as(why).containsExactly("logs");
      assertThat(logs.get("logs")).as(why).isEqualTo(file.logs());
      assertNaturalOrder(logs.get("logs"), why);
    }

    // the worker library's digest and check IDs, on the received bytes, are the agent's
    assertThat(Digests.digest(received)).as(why).isEqualTo(prepared.digest());
    List<String> ids = CheckIds.checkIds(received);
    assertThat(ids).as(why).isEqualTo(prepared.checkIds());
    for (int i = 0; i < ids.size(); i++) {
      String name = file.names().get(i);
      String prefix = name.isEmpty() ? "http_check:" : "http_check:" + name + ":";
      assertThat(ids.get(i)).as(why).startsWith(prefix);
      assertThat(ids.get(i).substring(prefix.length())).as(why).matches("[0-9a-f]{1,16}");
    }
  }

  @Property(tries = 1000)
  void generatedValuesRoundTripThroughTheEmitterAndTheResolver(@ForAll long seed) throws Exception {
    ConfdCorpus.File file = new ConfdCorpus(seed).file();
    for (Object value : file.instancesReadBack()) {
      byte[] written = YamlV2.marshal(value);
      assertThat(YamlV2.decode(written)).as("seed %d: %s", seed, new String(written, StandardCharsets.UTF_8))
          .isEqualTo(value);
      assertThat(YamlV2.marshal(YamlV2.decode(written))).as("seed %d", seed).isEqualTo(written);
    }
  }

  private static ConfdFileParser.Result parse(ConfdCorpus.File file) {
    return ConfdFileParser.parse(FILE, "http_check", file.text().getBytes(StandardCharsets.UTF_8), ENV);
  }

  /** The instance a worker must read: the file's, with the patch's two keys. */
  private static Map<Object, Object> patched(ConfdCorpus.File file, int i) {
    @SuppressWarnings("unchecked")
    Map<Object, Object> expected = new LinkedHashMap<>((Map<Object, Object>) file.instancesReadBack().get(i));
    expected.put("empty_default_hostname", Boolean.TRUE);
    TreeSet<String> tags = new TreeSet<>(ConfdCorpusTest::bytewise);
    List<ConfdCorpus.Scalar> written = file.tags().get(i);
    if (written != null) {
      written.forEach(s -> tags.add(s.sprint()));
    }
    tags.addAll(EXTRA);
    expected.put("tags", new ArrayList<>(tags));
    return expected;
  }

  /** Go's string order: unsigned UTF-8 bytes. */
  private static int bytewise(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertNaturalOrder(Object value, String why) {
    if (value instanceof Map<?, ?> map) {
      int previous = -1;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        int rank = ConfdCorpus.rank(e.getKey());
        assertThat(rank).as("key %s out of order; %s", e.getKey(), why).isGreaterThan(previous);
        previous = rank;
        assertNaturalOrder(e.getValue(), why);
      }
    } else if (value instanceof List<?> list) {
      list.forEach(item -> assertNaturalOrder(item, why));
    }
  }
}
