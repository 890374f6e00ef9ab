package io.clusterchecks.server.confd;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates conf.d files together with what yaml.v2 must make of them: the value each part decodes
 * to, the value a worker reads back from the marshalled bytes, the order keys must come out in,
 * and how Go prints each tag. Every expectation comes from a hand-written vocabulary whose entries
 * were worked out from yaml.v2's documented resolution rules, so the pipeline is checked against
 * an oracle that does not share its code.
 *
 * <p>Covered: keys of every scalar type written in a shuffled order; scalars of every YAML 1.1 kind
 * (booleans, nulls, ints in every base, floats including infinities and NaN, timestamps and
 * base-60 forms that stay strings, overflowing floats); plain, single- and double-quoted strings,
 * literal blocks, long strings, unicode; block and flow collections; anchors, aliases and merge
 * keys; {@code %%env_X%%} variables; {@code init_config} and {@code logs} variants; CRLF and a
 * leading {@code ---}.
 */
final class ConfdCorpus {
  /** The environment the generated files' variables resolve against. */
  static final Map<String, String> ENV = Map.of("CORPUS_PORT", "8080", "CORPUS_HOST", "db.example");

  /**
   * One scalar as written and as read.
   *
   * @param text how it is written in the file (single line)
   * @param value what yaml.v2 decodes from the file
   * @param readBack what yaml.v2 decodes from yaml.v2's marshalled text of {@code value}
   * @param sprint how Go's {@code fmt.Sprint} prints {@code value} (the tag it becomes)
   * @param flowSafe whether it may be written inside a flow collection
   */
  record Scalar(String text, Object value, Object readBack, String sprint, boolean flowSafe) {}

  private static Scalar same(String text, Object value, String sprint) {
    return new Scalar(text, value, value, sprint, true);
  }

  private static Scalar str(String text, String value) {
    return new Scalar(text, value, value, value, flowSafeText(text));
  }

  private static boolean flowSafeText(String text) {
    if (text.startsWith("\"") || text.startsWith("'")) {
      return true;
    }
    return text.chars().noneMatch(c -> ",[]{}#:".indexOf(c) >= 0);
  }

  static final List<Scalar> SCALARS = vocabulary();

  private static List<Scalar> vocabulary() {
    List<Scalar> v = new ArrayList<>();
    // booleans: YAML 1.1 words in the case variants yaml.v2 accepts
    for (String t : List.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE")) {
      v.add(same(t, Boolean.TRUE, "true"));
    }
    for (String t : List.of("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE")) {
      v.add(same(t, Boolean.FALSE, "false"));
    }
    // nulls
    for (String t : List.of("~", "null", "Null", "NULL")) {
      v.add(same(t, null, "<nil>"));
    }
    // ints: Go integer literals, underscores dropped
    v.add(same("0", 0L, "0"));
    v.add(same("42", 42L, "42"));
    v.add(same("-17", -17L, "-17"));
    v.add(same("+5", 5L, "5"));
    v.add(same("0x1F", 31L, "31"));
    v.add(same("017", 15L, "15"));
    v.add(same("0o17", 15L, "15"));
    v.add(same("0b101", 5L, "5"));
    v.add(same("1_000", 1000L, "1000"));
    v.add(same("9223372036854775807", Long.MAX_VALUE, "9223372036854775807"));
    v.add(same("-9223372036854775808", Long.MIN_VALUE, "-9223372036854775808"));
    v.add(same("18446744073709551615", new BigInteger("18446744073709551615"), "18446744073709551615"));
    // floats: an integral float is written without a fraction and reads back as an int
    v.add(same("1.5", 1.5, "1.5"));
    v.add(same("-0.25", -0.25, "-0.25"));
    v.add(same(".5", 0.5, "0.5"));
    v.add(same("1_0.5", 10.5, "10.5"));
    v.add(same("6.02e23", 6.02e23, "6.02e+23"));
    v.add(new Scalar("1e3", 1000.0, 1000L, "1000", true));
    v.add(new Scalar("1.0", 1.0, 1L, "1", true));
    v.add(same(".inf", Double.POSITIVE_INFINITY, "+Inf"));
    v.add(same("+.INF", Double.POSITIVE_INFINITY, "+Inf"));
    v.add(same("-.inf", Double.NEGATIVE_INFINITY, "-Inf"));
    v.add(same(".nan", Double.NaN, "NaN"));
    // strings that look like other things but are not, in yaml.v2
    v.add(str("1e400", "1e400"));
    v.add(str("2001-12-14", "2001-12-14"));
    v.add(str("12:30", "12:30"));
    v.add(str("0x1G", "0x1G"));
    v.add(str("1.2.3", "1.2.3"));
    v.add(str("-dash", "-dash"));
    // plain strings
    v.add(str("hello", "hello"));
    v.add(str("with space", "with space"));
    v.add(str("http://a.example/x?y=1", "http://a.example/x?y=1"));
    v.add(str("team:a", "team:a"));
    v.add(str("héllo wörld", "héllo wörld"));
    v.add(str("✓ 日本語", "✓ 日本語"));
    v.add(str("<nil>", "<nil>"));
    // quoted strings
    v.add(str("\"yes\"", "yes"));
    v.add(str("'123'", "123"));
    v.add(str("\"\"", ""));
    v.add(str("''", ""));
    v.add(str("\"tab\\there\"", "tab\there"));
    v.add(str("'it''s'", "it's"));
    v.add(str("\"a: b\"", "a: b"));
    v.add(str("\"# not a comment\"", "# not a comment"));
    v.add(str("\"null\"", "null"));
    v.add(str("\"line1\\nline2\"", "line1\nline2"));
    v.add(str("\"trailing \"", "trailing "));
    v.add(str("\" leading\"", " leading"));
    v.add(str("\"\\u00e9t\\u00e9\"", "été"));
    v.add(str("'%%literal percent'", "%%literal percent"));
    // long text, folded by the emitter past column 80
    String words = String.join(" ", Collections.nCopies(24, "lorem"));
    v.add(str(words, words));
    // template variables: a whole-value variable that reads as an int becomes an int
    v.add(new Scalar("'%%env_CORPUS_PORT%%'", "%%env_CORPUS_PORT%%", 8080L, "8080", true));
    v.add(new Scalar("\"db-%%env_CORPUS_HOST%%\"", "db-%%env_CORPUS_HOST%%", "db-db.example",
        "db-db.example", true));
    return List.copyOf(v);
  }

  /**
   * A map key, with its place in yaml.v2's natural order ({@code rank}): numbers and booleans by
   * value (a bool first at a tie), then the nil key, then strings compared piecewise (digit runs as
   * numbers, a non-letter before a letter).
   */
  record Key(String text, Object value, int rank) {}

  static final List<Key> KEYS = keys();
  /** Keys the patch adds or the check ID reads, placed in the same order. */
  static final int EMPTY_DEFAULT_HOSTNAME_RANK;
  static final int TAGS_RANK;
  static final int NAME_RANK;
  static final int SERVICE_RANK;

  static {
    EMPTY_DEFAULT_HOSTNAME_RANK = rankOf("empty_default_hostname");
    TAGS_RANK = rankOf("tags");
    NAME_RANK = rankOf("name");
    SERVICE_RANK = rankOf("service");
  }

  private static List<Key> keys() {
    Object[][] ordered = {
        {"-1", -1L}, {"false", Boolean.FALSE}, {"true", Boolean.TRUE}, {"2", 2L}, {"2.5", 2.5},
        {"10", 10L}, {"~", null},
        {"_u", "_u"}, {"Zed", "Zed"}, {"a2", "a2"}, {"a10", "a10"}, {"a10b", "a10b"}, {"b", "b"},
        {"empty_default_hostname", "empty_default_hostname"}, {"name", "name"}, {"service", "service"},
        {"tags", "tags"}, {"url", "url"}, {"zz", "zz"}, {"éa", "éa"},
    };
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < ordered.length; i++) {
      keys.add(new Key((String) ordered[i][0], ordered[i][1], i));
    }
    return List.copyOf(keys);
  }

  private static int rankOf(String key) {
    return KEYS.stream().filter(k -> key.equals(k.value())).findFirst().orElseThrow().rank();
  }

  /** Keys free for generated content (the reserved ones are generated on purpose). */
  private static final List<Key> FREE_KEYS = KEYS.stream()
      .filter(k -> !(k.value() instanceof String s
          && List.of("empty_default_hostname", "name", "service", "tags", "zz").contains(s)))
      .toList();

  // ------------------------------------------------------------------ generated values

  /** A generated value: how to write it, what it decodes to, what reads back after marshalling. */
  sealed interface Piece permits Leaf, Literal, Seq, MapPiece, Alias {}

  record Leaf(Scalar scalar) implements Piece {}

  /** A literal block scalar ({@code |} keeps the final line break, {@code |-} strips it). */
  record Literal(List<String> lines, boolean keep) implements Piece {
    String value() {
      return String.join("\n", lines) + (keep ? "\n" : "");
    }
  }

  record Seq(List<Piece> items, boolean flow) implements Piece {}

  record Entry(Key key, Piece value) {}

  record MapPiece(List<Entry> entries, boolean flow) implements Piece {}

  /** {@code *name} of an anchored top-level scalar. */
  record Alias(String anchor, Scalar target) implements Piece {}

  /**
   * One generated file.
   *
   * @param text the file
   * @param instances what each instance decodes to in the file (merge keys applied)
   * @param instancesReadBack what a worker reads back from each marshalled instance, before the patch
   * @param tags per instance, the tags list as written (null when absent or not a list)
   * @param tagsWritten per instance, whether a {@code tags} key was written at all
   * @param names per instance, the name the check ID must carry ("" for none)
   * @param initConfig what a worker reads back from {@code init_config} (null for none)
   * @param initConfigBytes what the {@code init_config} bytes must be ({@code null} for JSON null),
   *     when they are fixed; "" when they are checked by value
   * @param logs what a worker reads back from the logs list, or null
   */
  record File(String text, List<Object> instances, List<Object> instancesReadBack, List<List<Scalar>> tags,
              List<Boolean> tagsWritten, List<String> names, Object initConfig, String initConfigBytes,
              Object logs) {}

  private final Random random;

  ConfdCorpus(long seed) {
    this.random = new Random(seed);
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private Scalar scalar(boolean flow) {
    while (true) {
      Scalar s = pick(SCALARS);
      if (!flow || s.flowSafe()) {
        return s;
      }
    }
  }

  private Piece piece(int depth, boolean flow) {
    int roll = random.nextInt(100);
    if (depth >= 3 || roll < 55) {
      return new Leaf(scalar(flow));
    }
    if (!flow && roll < 62) {
      int n = 1 + random.nextInt(3);
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        lines.add(i == 0 ? pick(List.of("line one", "second: line", "ünïcode ✓", "# not a comment"))
            : pick(List.of("line two", "  indented", "key: value", "- dash")));
      }
      return new Literal(lines, chance(50));
    }
    boolean childFlow = flow || chance(30);
    if (roll < 80) {
      List<Piece> items = new ArrayList<>();
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        items.add(piece(depth + 1, childFlow));
      }
      return new Seq(items, childFlow || items.isEmpty());
    }
    return map(depth + 1, childFlow, FREE_KEYS, 4);
  }

  private MapPiece map(int depth, boolean flow, List<Key> keys, int max) {
    List<Key> shuffled = new ArrayList<>(keys);
    Collections.shuffle(shuffled, random);
    List<Entry> entries = new ArrayList<>();
    int n = random.nextInt(max + 1);
    for (int i = 0; i < n && i < shuffled.size(); i++) {
      entries.add(new Entry(shuffled.get(i), piece(depth, flow)));
    }
    return new MapPiece(entries, flow || entries.isEmpty());
  }

  /** Generates one file. */
  File file() {
    StringBuilder out = new StringBuilder();
    if (chance(10)) {
      out.append("---\n");
    }
    out.append(chance(50) ? "cluster_check: true\n" : "cluster_check: yes\n");
    // anchors: a base map to merge, and a scalar to alias
    Scalar anchored = scalar(false);
    out.append("defaults: &base\n  zz: base\n");
    out.append("anchored: &s1 ").append(anchored.text()).append('\n');

    Object initConfig = null;
    String initBytes = "";
    switch (random.nextInt(5)) {
      case 0 -> initBytes = null;
      case 1 -> {
        out.append("init_config:\n");
        initBytes = null;
      }
      case 2 -> {
        out.append("init_config: ~\n");
        initBytes = null;
      }
      case 3 -> {
        out.append("init_config: {}\n");
        initConfig = new LinkedHashMap<>();
        initBytes = "{}\n";
      }
      default -> {
        MapPiece m = map(1, false, FREE_KEYS, 4);
        out.append("init_config:");
        write(m, 2, out);
        initConfig = value(m, true);
      }
    }

    int count = 1 + random.nextInt(3);
    List<Object> instances = new ArrayList<>();
    List<Object> readBack = new ArrayList<>();
    List<List<Scalar>> tags = new ArrayList<>();
    List<Boolean> tagsWritten = new ArrayList<>();
    List<String> names = new ArrayList<>();
    out.append("instances:\n");
    for (int i = 0; i < count; i++) {
      List<Entry> entries = new ArrayList<>(map(1, false, FREE_KEYS, 5).entries());
      List<Scalar> tagList = null;
      boolean tagsKey = chance(70);
      if (tagsKey) {
        if (chance(85)) {
          tagList = new ArrayList<>();
          int n = random.nextInt(5);
          List<Piece> items = new ArrayList<>();
          for (int t = 0; t < n; t++) {
            Scalar s = scalar(false);
            tagList.add(s);
            items.add(new Leaf(s));
          }
          entries.add(new Entry(KEYS.get(TAGS_RANK), new Seq(items, items.isEmpty() || (chance(30)
              && items.stream().allMatch(p -> ((Leaf) p).scalar().flowSafe())))));
        } else {
          entries.add(new Entry(KEYS.get(TAGS_RANK), new Leaf(str("team:x", "team:x"))));
        }
      }
      String name = "";
      boolean serviceBreaksName = false;
      if (chance(40)) {
        Scalar s = scalar(false);
        entries.add(new Entry(KEYS.get(NAME_RANK), new Leaf(s)));
        name = expectedName(s);
      }
      if (chance(15)) {
        serviceBreaksName = chance(50);
        entries.add(new Entry(KEYS.get(SERVICE_RANK), serviceBreaksName
            ? new MapPiece(List.of(new Entry(KEYS.get(7), new Leaf(str("x", "x")))), true)
            : new Leaf(str("web", "web"))));
      }
      boolean merge = chance(30);
      boolean alias = chance(20) && entries.stream().noneMatch(e -> e.key().value() instanceof String k && k.equals("url"));
      if (alias) {
        entries.add(new Entry(KEYS.get(rankOf("url")), new Alias("s1", anchored)));
      }
      Collections.shuffle(entries, random);
      MapPiece instance = new MapPiece(entries, false);
      boolean written = true;
      if (entries.isEmpty() && !merge) {
        written = chance(50);
        out.append(written ? "  - {}\n" : "  - ~\n");
      } else {
        out.append("  -");
        if (merge) {
          out.append("\n    <<: *base");
        }
        write(instance, 4, out);
      }
      Map<Object, Object> decoded = written ? value(instance, false) : null;
      Map<Object, Object> back = value(instance, true);
      if (merge) {
        decoded.put("zz", "base");
        back.putIfAbsent("zz", "base");
      }
      instances.add(decoded);
      readBack.add(back);
      tags.add(tagList);
      tagsWritten.add(tagsKey);
      names.add(serviceBreaksName ? "" : name);
    }

    Object logs = null;
    if (chance(40)) {
      Seq seq = new Seq(List.of(map(2, false, FREE_KEYS, 3)), false);
      out.append("logs:");
      write(seq, 2, out);
      logs = value(seq, true);
    }
    String text = out.toString();
    if (chance(10)) {
      text = text.replace("\n", "\r\n");
    }
    return new File(text, instances, readBack, tags, tagsWritten, names, initConfig, initBytes, logs);
  }

  /**
   * The name the check ID carries for {@code name: <s>}: it is read from the marshalled bytes, so a
   * non-string name is the text yaml.v2 writes for its value.
   */
  private static String expectedName(Scalar s) {
    Object v = s.readBack();
    if (v == null) {
      return "";
    }
    if (v instanceof String str) {
      return str;
    }
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return ".nan";
      }
      if (d.isInfinite()) {
        return d > 0 ? ".inf" : "-.inf";
      }
      return s.sprint(); // the finite floats of the vocabulary print alike in both
    }
    return v.toString();
  }

  // ------------------------------------------------------------------ writing and expected values

  /**
   * Appends {@code p} as the value after a key or a dash: a leading space then an inline form, or
   * a line break then a block at {@code indent}.
   */
  private void write(Piece p, int indent, StringBuilder out) {
    String pad = " ".repeat(indent);
    if (p instanceof Leaf l) {
      out.append(' ').append(l.scalar().text()).append('\n');
    } else if (p instanceof Alias a) {
      out.append(" *").append(a.anchor()).append('\n');
    } else if (p instanceof Literal lit) {
      out.append(lit.keep() ? " |\n" : " |-\n");
      for (String line : lit.lines()) {
        out.append(pad).append(line).append('\n');
      }
    } else if ((p instanceof Seq s && s.flow()) || (p instanceof MapPiece m && m.flow())) {
      out.append(' ').append(flow(p)).append('\n');
    } else if (p instanceof Seq s) {
      out.append('\n');
      for (Piece item : s.items()) {
        out.append(pad).append('-');
        write(item, indent + 2, out);
      }
    } else {
      out.append('\n');
      for (Entry e : ((MapPiece) p).entries()) {
        out.append(pad).append(e.key().text()).append(':');
        write(e.value(), indent + 2, out);
      }
    }
  }

  private static String flow(Piece p) {
    if (p instanceof Leaf l) {
      return l.scalar().text();
    }
    if (p instanceof Alias a) {
      return "*" + a.anchor();
    }
    if (p instanceof Seq s) {
      return "[" + String.join(", ", s.items().stream().map(ConfdCorpus::flow).toList()) + "]";
    }
    if (p instanceof MapPiece m) {
      return "{" + String.join(", ", m.entries().stream()
          .map(e -> e.key().text() + ": " + flow(e.value())).toList()) + "}";
    }
    throw new IllegalStateException("no literal blocks in flow");
  }

  /** What yaml.v2 decodes from {@code p} as written ({@code readBack=false}) or after a marshal. */
  @SuppressWarnings("unchecked")
  static <T> T value(Piece p, boolean readBack) {
    if (p instanceof Leaf l) {
      return (T) (readBack ? l.scalar().readBack() : l.scalar().value());
    }
    if (p instanceof Alias a) {
      return (T) (readBack ? a.target().readBack() : a.target().value());
    }
    if (p instanceof Literal lit) {
      return (T) lit.value();
    }
    if (p instanceof Seq s) {
      List<Object> out = new ArrayList<>();
      for (Piece item : s.items()) {
        out.add(value(item, readBack));
      }
      return (T) out;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Entry e : ((MapPiece) p).entries()) {
      out.put(e.key().value(), value(e.value(), readBack));
    }
    return (T) out;
  }

  /** The rank of a decoded key, for checking the order keys come out in. */
  static int rank(Object key) {
    for (Key k : KEYS) {
      if (java.util.Objects.equals(k.value(), key)) {
        return k.rank();
      }
    }
    throw new IllegalArgumentException("not a generated key: " + key);
  }
}
