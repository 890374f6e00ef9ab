package io.clusterchecks.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random check configs for the preparation equivalence tests: instance YAML written in varied
 * styles (block and flow collections, plain, quoted, tagged and literal scalars, anchors and merge
 * keys, duplicate keys, YAML 1.1 booleans and numbers, unicode, a few invalid documents), with
 * the fields the agent reads ({@code name}, {@code tags}, {@code min_collection_interval}...)
 * often present with right and wrong types; and random generic values for {@link RoundTrip}.
 */
final class InstanceYamlGen {
  private static final String[] PLAIN = {
    "foo", "svc-12", "http://10.0.0.1:8080/health", "team:bench", "a b  c", "yes", "No", "on", "OFF",
    "true", "True", "null", "Null", "~", "123", "-7", "+12", "0x1F", "017", "08", "0o17", "0b101",
    "1_000", "1.0", "1.50", "1e3", "1e+21", "6.02e23", ".5", "-0", "-0.0", ".inf", "-.Inf", ".NaN",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "1:20", "190:20:30.15", "9223372036854775807",
    "9223372036854775808", "18446744073709551615", "18446744073709551616", "é", "日本語 テキスト",
    "emoji 😀 here", "a-b_c.d/e", "%env_VAR%x", "x%%env_PASS%%", "foo:bar", "-dash", "?q", "a#b",
    "1.5e-07", "0.0001", "123456.0", "1e6", "100000000000000000000000", "<<", "=", "key=value",
  };
  private static final String[] QUOTED = {
    "\"tab\\there\"", "\"line\\nbreak\"", "\"quote \\\" in\"", "\"\\u00e9t\\u00e9\"", "\"\\U0001F600\"",
    "\"\"", "\"123\"", "\"true\"", "\"a: b\"", "\" lead\"", "\"trail \"", "\"# not comment\"", "\"<<\"",
    "'it''s'", "'- dash'", "'@at'", "''", "'null'", "'1.5'", "\"\\x00nul\"", "\"bell\\a\"",
    "\"nbsp\\_x\"", "\"ls\\Lps\\P\"", "\"nel\\N\"", "\"bom\\uFEFF\"", "\"cr\\rlf\"", "\"del\\x7F\"",
    "\"%%env_PASS%%\"", "'%%env_PASS%%'", "\"multi\\n\\nlines\\n\"", "\"ends\\n\"", "\"\\n\"",
    "\"a\\tb\\nc\"", "\"x\\u2028y\"", "\"z\\u0085\"", "'trailing space '", "\"{braces}\"",
    "\"[brackets]\"", "\"*star\"", "\"&amp\"", "\"!bang\"", "\"|pipe\"", "\">gt\"", "\"`tick\"",
    "\"a, b\"", "\"0x1F\"", "\"-\"", "\"---\"", "\"...\"", "\"- \"", "\": \"", "\"a :b\"",
  };
  private static final String[] TAGGED = {
    "!!str 123", "!!int 42", "!!float 1", "!!binary aGVsbG8=", "!!bool yes", "!!null ''", "!!int abc",
    "!custom x", "!!str", "!!binary \"w4k=\"", "!!timestamp 2001-12-14", "! 12", "!!float .5",
  };
  private static final String[] KEYS = {
    "name", "namespace", "service", "tags", "min_collection_interval", "empty_default_hostname",
    "no_index", "url", "timeout", "host", "port", "with space", "\"quoted key\"", "'single'", "1", "2.5",
    "true", "null", "~", "'<<'", "é", "a:b", "\"\"", "k-é-日本", "- x", "\"tags\"", "'name'", "0x1",
  };
  private static final String[] EXTRA_TAGS = {
    "cluster_name:c", "kube_cluster_name:c", "foo:bar", "team:bench", "é:ü", "x", "a b", "true", "1",
    "", "😀", "- y",
  };

  private final Random r;

  InstanceYamlGen(long seed) {
    r = new Random(seed);
  }

  private <T> T pick(T[] from) {
    return from[r.nextInt(from.length)];
  }

  private boolean chance(int percent) {
    return r.nextInt(100) < percent;
  }

  // ------------------------------------------------------------------------------------------
  // Configs

  Config config() {
    int n = chance(60) ? 1 : 1 + r.nextInt(4);
    String[] instances = new String[n];
    for (int i = 0; i < n; i++) {
      instances[i] = instance();
    }
    Config.Builder b = Config.builder(pick(new String[] {"http_check", "redis", "é_check", "x"}))
        .clusterCheck(true).instanceYaml(instances);
    switch (r.nextInt(6)) {
      case 0 -> b.initConfigYaml(null);
      case 1 -> b.initConfigYaml("");
      case 2 -> b.initConfigYaml("foo: bar\nlist: [1, 2]\n");
      case 3 -> b.initConfigYaml("clé: \"vàlue\"\n");
      default -> b.initConfigYaml("{}");
    }
    if (chance(40)) {
      b.nodeName("node-" + r.nextInt(3));
      b.provider(chance(30) ? ConfigPatcher.CLOUD_FOUNDRY_BBS : "kubernetes-endpoints");
    }
    if (chance(40)) {
      b.adIdentifiers(List.of("_kube_service://ns/svc-" + r.nextInt(9)));
    }
    if (chance(20)) {
      b.logsYaml("[{\"service\":\"s\",\"source\":\"x\"}]");
    }
    if (chance(30)) {
      b.serviceId("kube_service://ns/svc-" + r.nextInt(9));
    }
    b.ignoreAutodiscoveryTags(chance(10));
    return b.build();
  }

  List<String> extraTags() {
    if (chance(25)) {
      return List.of();
    }
    List<String> tags = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      tags.add(pick(EXTRA_TAGS));
    }
    return tags;
  }

  // ------------------------------------------------------------------------------------------
  // Instance YAML text

  String instance() {
    switch (r.nextInt(40)) {
      case 0: return pick(new String[] {"", "~", "null", "---\n", "# only a comment\n"});
      case 1: return pick(new String[] {"- a\n- b\n", "just text", "42", "[1, 2]", "\"quoted\""});
      case 2: return pick(new String[] {"a: [1, 2", "{a: 1", "a: *nope\n", "? [a]\n: 1\n", "a: b: c\n",
          "\tkey: tab\n", "a: 1\n b: 2\n", "a: !!int x\n", "a: !!binary '%%%'\n", "<<: 1\n",
          "a: 1\n---\nb: 2\n", "name: &n x\nnamespace: *n\n", "x: \"\\q\"\n"});
      case 3: return merged();
      default: break;
    }
    StringBuilder sb = new StringBuilder();
    if (chance(15)) {
      sb.append(flowMap(0));
      sb.append(chance(50) ? "\n" : "");
    } else {
      blockMap(sb, 0, 0);
    }
    return sb.toString();
  }

  /** A document using an anchor and a merge key, with the merged map or a list of maps. */
  private String merged() {
    String base = "base: &b\n  timeout: " + scalar() + "\n  name: " + scalar() + "\n";
    String other = "other: &o {min_collection_interval: " + scalar() + ", tags: [x, y]}\n";
    String merge = chance(50) ? "<<: *b\n" : "<<: [*b, *o]\n";
    return base + other + merge + "url: " + scalar() + "\n" + (chance(50) ? "tags: *x\n".replace("*x", "[a, *b]") : "");
  }

  private void blockMap(StringBuilder sb, int indent, int depth) {
    int n = depth == 0 ? 1 + r.nextInt(7) : 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      String key = depth == 0 && chance(60) ? special() : chance(70) ? "k" + r.nextInt(6) : pick(KEYS);
      if (chance(2)) {
        key = "long_key_" + "x".repeat(130);
      }
      sb.append(" ".repeat(indent)).append(key).append(':');
      value(sb, key, indent, depth);
    }
  }

  private String special() {
    return pick(new String[] {"name", "namespace", "service", "tags", "min_collection_interval",
        "empty_default_hostname", "no_index", "url", "timeout"});
  }

  /** A value after "key:", ending with a newline; typed values for the fields the agent reads. */
  private void value(StringBuilder sb, String key, int indent, int depth) {
    String typed = switch (key) {
      case "tags" -> pick(new String[] {"[a, b]", "[\"team:x\", 'env:prod', 3, true, 1.50, null]", "a-string",
          "", "~", "\"\"", "{a: 1}", "[[a], {b: c}]", "[]", "[é, \"😀\"]", "[\"a\\nb\"]", "!!binary aGk="});
      case "min_collection_interval" -> pick(new String[] {"30", "30.0", "30.5", "\"30\"", "'30'", "0", "-1",
          "100000", "1e3", "yes", "~", "[1]", "0x1E", "86400", "86401", "1", "0.5", "9223372036854775808",
          "1e19", "!!float 60", "!!str 30", ".inf", ".nan", "45.9"});
      case "name", "namespace", "service" -> pick(new String[] {"svc", "1.50", "150", "true", "~", "\"\"",
          "[a]", "{a: 1}", "\"x y\"", "!!binary c3Zj", "'quoted name'", "é-名前", "0x10", "2001-12-14",
          "\"multi\\nline\"", "!!binary '%'"});
      case "empty_default_hostname", "no_index" -> pick(new String[] {"true", "\"true\"", "yes", "~", "1",
          "false", "[true]"});
      default -> null;
    };
    if (key.equals("tags") && chance(25)) {
      sb.append('\n');
      blockSeq(sb, indent + (chance(50) ? 0 : 2), depth + 1);
      return;
    }
    if (typed != null && chance(75)) {
      sb.append(typed.isEmpty() ? "" : " ").append(typed).append('\n');
      return;
    }
    int kind = depth >= 3 ? 0 : r.nextInt(10);
    switch (kind) {
      case 6 -> {
        sb.append('\n');
        blockMap(sb, indent + 2, depth + 1);
      }
      case 7 -> {
        sb.append('\n');
        blockSeq(sb, indent + (chance(50) ? 0 : 2), depth + 1);
      }
      case 8 -> sb.append(' ').append(chance(50) ? flowMap(depth + 1) : flowSeq(depth + 1)).append('\n');
      case 9 -> literal(sb, indent);
      default -> sb.append(' ').append(scalar()).append('\n');
    }
  }

  private void blockSeq(StringBuilder sb, int indent, int depth) {
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      sb.append(" ".repeat(indent)).append('-');
      if (depth < 3 && chance(20)) {
        sb.append('\n');
        blockMap(sb, indent + 2, depth + 1);
      } else {
        sb.append(' ').append(chance(10) ? flowSeq(depth + 1) : scalar()).append('\n');
      }
    }
  }

  private void literal(StringBuilder sb, int indent) {
    sb.append(' ').append(pick(new String[] {"|", "|-", "|+", ">", ">-"})).append('\n');
    int lines = 1 + r.nextInt(3);
    for (int i = 0; i < lines; i++) {
      sb.append(" ".repeat(indent + 2)).append(pick(new String[] {"SELECT 1", "line two", "é ü", "a: b", "# x"}))
          .append('\n');
    }
    if (chance(30)) {
      sb.append('\n');
    }
  }

  private String flowMap(int depth) {
    StringBuilder sb = new StringBuilder("{");
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(depth == 0 && chance(50) ? special() : "f" + r.nextInt(5)).append(": ")
          .append(depth < 3 && chance(20) ? flowSeq(depth + 1) : flowScalar());
    }
    return sb.append('}').toString();
  }

  private String flowSeq(int depth) {
    StringBuilder sb = new StringBuilder("[");
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(depth < 3 && chance(15) ? flowMap(depth + 1) : flowScalar());
    }
    return sb.append(']').toString();
  }

  private String flowScalar() {
    String s = scalar();
    return s.matches(".*[,\\[\\]{}#].*") || s.startsWith("-") || s.startsWith("?") || s.isEmpty() ? "x" : s;
  }

  private String scalar() {
    int k = r.nextInt(20);
    if (k < 10) {
      return pick(PLAIN);
    }
    if (k < 16) {
      return pick(QUOTED);
    }
    if (k < 18) {
      return pick(TAGGED);
    }
    StringBuilder sb = new StringBuilder(); // long text: the emitter folds it past column 80
    int words = 10 + r.nextInt(25);
    for (int i = 0; i < words; i++) {
      sb.append(i == 0 ? "" : chance(10) ? "  " : " ").append(pick(new String[] {"lorem", "ipsum", "é", "a-b",
          "dolor:", "sit", "amet,", "x", "1.5", "true", "'q'", "-", "a#b"}));
    }
    String s = sb.toString().strip();
    return s.endsWith(":") || s.startsWith("-") || s.startsWith("'") ? "\"" + s + "\"" : s;
  }

  // ------------------------------------------------------------------------------------------
  // Generic values, as GoYaml.decode would give them

  /** Characters the emitter writes verbatim, many of them indicators that force quoting. */
  private static final char[] VERBATIM = {
    'a', 'b', 'z', 'A', '0', '1', '9', ' ', ' ', ' ', ':', '#', '-', '?', '\'', '"', '\\', ',', '[', ']', '{',
    '}', '&', '*', '!', '|', '>', '%', '@', '`', '~', '.', 'e', 'x', '_', '/', '=', '<', 'é', '日', '\u00a0',
  };
  /** Characters that need escapes or line breaks. */
  private static final char[] OTHER = {'\t', '\n', '\r', '\u2028', '\u0085', '\ufeff', '\u0000', '\u007f'};

  Map<Object, Object> genericMap(int depth) {
    Map<Object, Object> m = new LinkedHashMap<>();
    int n = r.nextInt(depth == 0 ? 8 : 4);
    for (int i = 0; i < n; i++) {
      Object key = chance(97) ? (chance(50) ? special() : randomString()) : genericScalar();
      m.put(key, genericValue(depth + 1));
    }
    return m;
  }

  private Object genericValue(int depth) {
    int k = depth > 4 ? 0 : r.nextInt(10);
    if (k == 8) {
      return genericMap(depth);
    }
    if (k == 9) {
      List<Object> l = new ArrayList<>();
      int n = r.nextInt(4);
      for (int i = 0; i < n; i++) {
        l.add(genericValue(depth + 1));
      }
      return l;
    }
    return chance(50) ? randomString() : genericScalar();
  }

  private Object genericScalar() {
    return switch (r.nextInt(9)) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> (long) r.nextInt(200) - 100;
      case 3 -> r.nextLong();
      case 4 -> pick(new Double[] {1.0, 1.5, -0.0, 0.0, 1e21, 1e20, 123456.0, 1e-7, 0.1, 30.0, Double.NaN,
          Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 9.3e18, 1e6});
      case 5 -> Double.longBitsToDouble(r.nextLong());
      case 6 -> chance(20) ? new java.math.BigInteger("18446744073709551615") : (Object) (long) r.nextInt();
      case 7 -> r.nextInt(1000) / 8.0;
      default -> pick(PLAIN);
    };
  }

  private String randomString() {
    if (chance(20)) {
      return pick(PLAIN);
    }
    int len = chance(15) ? 60 + r.nextInt(120) : r.nextInt(12);
    boolean verbatim = chance(95);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      if (chance(70)) {
        sb.append((char) ('a' + r.nextInt(26)));
      } else if (verbatim || chance(50)) {
        sb.append(VERBATIM[r.nextInt(VERBATIM.length)]);
      } else if (chance(10)) {
        sb.appendCodePoint(0x1F600);
      } else {
        sb.append(OTHER[r.nextInt(OTHER.length)]);
      }
    }
    return sb.toString();
  }
}
