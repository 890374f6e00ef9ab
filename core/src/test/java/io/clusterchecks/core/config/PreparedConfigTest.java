package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link PreparedConfig} must give, byte for byte, what the separate functions give: the patcher,
 * then {@link Digests#digest}, {@link CheckIds#checkIds} and {@link CollectionIntervals#seconds}
 * on the patched config. Those functions each parse the YAML themselves and stay the reference.
 */
class PreparedConfigTest {

  /** What preparation gave before {@link PreparedConfig}: every function on its own. */
  private static String reference(Config c, List<String> extraTags) {
    Config patched;
    try {
      patched = c.isEndpointsCheck()
          ? ConfigPatcher.patchEndpointsCheck(c, extraTags)
          : ConfigPatcher.patchClusterCheck(c, extraTags);
    } catch (IllegalArgumentException e) {
      return "refused: " + e.getMessage();
    }
    List<Integer> intervals = new ArrayList<>();
    for (ConfigData instance : patched.instances()) {
      intervals.add(CollectionIntervals.seconds(instance));
    }
    return describe(new PreparedConfig(patched, Digests.digest(patched), CheckIds.checkIds(patched), intervals));
  }

  private static String prepared(Config c, List<String> extraTags) {
    try {
      return describe(PreparedConfig.of(c, extraTags));
    } catch (IllegalArgumentException e) {
      return "refused: " + e.getMessage();
    }
  }

  /** Every output, the patched YAML as exact bytes (escaped so a difference is readable). */
  private static String describe(PreparedConfig p) {
    StringBuilder sb = new StringBuilder();
    sb.append("digest ").append(p.digest()).append("\nids ").append(p.checkIds())
        .append("\nintervals ").append(p.intervalSeconds()).append('\n');
    for (ConfigData instance : p.config().instances()) {
      sb.append("instance ").append(escape(instance.bytes())).append('\n');
    }
    ConfigData init = p.config().initConfig();
    sb.append("init ").append(init == null ? "null" : escape(init.bytes())).append('\n');
    sb.append("config ").append(p.config().toBuilder().instances(List.of()).build());
    return sb.toString();
  }

  private static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(b >= 0x20 && b < 0x7f && b != '\\' ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
    }
    return sb.toString();
  }

  @Property(tries = 4000)
  void sameOutputsAsTheSeparateFunctions(@ForAll long seed) {
    InstanceYamlGen gen = new InstanceYamlGen(seed);
    Config c = gen.config();
    List<String> extraTags = gen.extraTags();
    assertThat(prepared(c, extraTags)).as("%s with %s", c.instances(), extraTags)
        .isEqualTo(reference(c, extraTags));
  }

  /**
   * Where {@link RoundTrip} builds a tree, it is the parse of the emitted text: same decoded value
   * (in the same key order) and same instance name. Values straight from the generator, so
   * strings hold every kind of character the emitter must quote, escape or fold.
   */
  @Property(tries = 4000)
  void roundTripTreeIsTheParseOfTheEmittedText(@ForAll long seed) throws Exception {
    Map<Object, Object> map = new InstanceYamlGen(seed).genericMap(0);
    byte[] emitted = GoYamlEmitter.marshal(map, false);
    GoYaml.Node built = RoundTrip.nodeOf(map, emitted.length);
    if (built == null) {
      return;
    }
    GoYaml.Node parsed = GoYaml.parse(emitted);
    Object fromBuilt = GoYaml.toGeneric(built);
    Object fromParse = GoYaml.toGeneric(parsed);
    String text = new String(emitted, StandardCharsets.UTF_8);
    assertThat(fromBuilt).as(text).isEqualTo(fromParse).isEqualTo(map);
    assertThat(GoYamlEmitter.marshalToString(fromBuilt, false)).isEqualTo(text);
    assertThat(CheckIds.instanceName(built)).as(text).isEqualTo(CheckIds.instanceName(emitted));
  }

  /**
   * The patcher's note that a map reads back as itself (which skips the read-back and the facts'
   * walk) is never wrong: the reference above goes through the same patcher, so it could not see it.
   */
  @Property(tries = 4000)
  void thePatchersReadBackNoteIsNeverWrong(@ForAll long seed) {
    InstanceYamlGen gen = new InstanceYamlGen(seed);
    Config c = gen.config();
    ConfigPatcher.Patched p;
    try {
      p = ConfigPatcher.patch(c, gen.extraTags());
    } catch (IllegalArgumentException refused) {
      return;
    }
    for (int i = 0; i < p.readsBack().size(); i++) {
      net.jqwik.api.statistics.Statistics.collect(p.readsBack().get(i) ? "noted" : "not noted");
      if (p.readsBack().get(i)) {
        assertThat(RoundTrip.isIdentity(p.instanceMaps().get(i))).as("%s", c.instances().get(i)).isTrue();
      }
    }
  }

  @Test
  void theShortcutIsTakenForRealisticInstances() {
    Config c = Config.builder("http_check").clusterCheck(true)
        .instanceYaml("name: svc\nurl: http://10.0.0.1:8080/health\ntimeout: 1.5\ntags:\n- team:a\n")
        .build();
    ConfigPatcher.Patched p = ConfigPatcher.patch(c, List.of("kube_cluster_name:c"));
    assertThat(RoundTrip.nodeOf(p.instanceMaps().get(0), p.config().instances().get(0).length())).isNotNull();
    assertThat(p.readsBack()).containsExactly(true); // known from the decode, not walked again
  }

  @Test
  void theShortcutIsRefusedWhereTheTextWouldNotReadBackTheSame() {
    for (Object value : new Object[] {1.0, -0.0, Double.NaN, new java.math.BigInteger("18446744073709551615"),
        "multi\nline", "tab\t", "😀", "ls\u2028"}) {
      assertThat(RoundTrip.nodeOf(new java.util.LinkedHashMap<>(Map.of("v", value)), 10)).as("%s", value).isNull();
    }
    assertThat(RoundTrip.nodeOf(new java.util.LinkedHashMap<>(Map.of("<<", "x")), 10)).isNull();
    assertThat(RoundTrip.nodeOf(new java.util.LinkedHashMap<>(Map.of(1L, "x")), 10)).isNull();
    assertThat(RoundTrip.nodeOf(new java.util.LinkedHashMap<>(Map.of("k".repeat(129), "x")), 10)).isNull();
    assertThat(RoundTrip.nodeOf(new java.util.LinkedHashMap<>(Map.of("k", "x")), GoYaml.codePointLimit())).isNull();
  }
}
