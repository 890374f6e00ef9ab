package io.clusterchecks.core.config;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * Reads YAML the way Go's {@code gopkg.in/yaml.v2} decodes it into {@code interface{}}, because
 * the config digest re-marshals instances and must see the same values the Go agent sees.
 *
 * <p>Why not Jackson's YAML mapper: its scalar typing follows Jackson rules, not yaml.v2's YAML
 * 1.1 resolution ({@code yes}/{@code on} are booleans, {@code 0x1F} and {@code 017} are ints,
 * {@code 08} is a float, timestamps stay strings, quoted scalars are always strings...). So we use
 * only SnakeYAML's event parser and apply yaml.v2's
 * resolution rules ourselves.
 *
 * <p>Generic model, mirroring Go's dynamic types: {@code null}, {@link Boolean}, {@link Long}
 * (Go int), {@link BigInteger} (Go uint64 above int64), {@link Double}, {@link String},
 * {@link List}, {@link LinkedHashMap} (source order is kept; the emitter sorts when asked to).
 *
 * <p>Thread-safe: every parse uses its own parser; the shared {@link LoaderOptions} is only read.
 */
final class GoYaml {
  static final String STR = "tag:yaml.org,2002:str";
  static final String BOOL = "tag:yaml.org,2002:bool";
  static final String INT = "tag:yaml.org,2002:int";
  static final String FLOAT = "tag:yaml.org,2002:float";
  static final String NULL = "tag:yaml.org,2002:null";
  static final String TIMESTAMP = "tag:yaml.org,2002:timestamp";
  static final String BINARY = "tag:yaml.org,2002:binary";
  static final String MERGE = "tag:yaml.org,2002:merge";

  private static final LoaderOptions OPTIONS = loaderOptions();
  private static final Pattern YAML_STYLE_FLOAT =
      Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
  private static final Pattern DOT_FLOAT = Pattern.compile("^\\.[0-9]+([eE][-+]?[0-9]+)?$");
  private static final Pattern BASE60_FLOAT =
      Pattern.compile("^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$");
  private static final Pattern TIMESTAMP_RE = Pattern.compile(
      "^(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:([Tt ])(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?)?$");
  /** Stands for Go's nil in resolution results (must be initialised before RESOLVE_MAP). */
  private static final Object NULL_VALUE = new Object();
  private static final Map<String, Object> RESOLVE_MAP = resolveMap();
  /** The longest word of {@link #RESOLVE_MAP} ("false", "-.inf"): longer text is not looked up. */
  private static final int MAX_TABLE_WORD = 5;

  private GoYaml() {}

  /** A YAML text that yaml.v2 would refuse (syntax error, invalid key, tag mismatch...). */
  static final class YamlException extends Exception {
    private static final long serialVersionUID = 1L;

    YamlException(String message, Throwable cause) {
      super(message, cause, false, false);
    }

    YamlException(String message) {
      this(message, null);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Node tree (what yaml.v2's parser builds before decoding)

  sealed interface Node permits Scalar, Seq, MapNode {}

  /** {@code plainImplicit}: plain style without tag. {@code tag}: explicit tag or null. */
  record Scalar(String value, boolean plainImplicit, String tag) implements Node {}

  record Seq(List<Node> items) implements Node {}

  /** Keys and values interleaved, in source order. */
  record MapNode(List<Node> keysAndValues) implements Node {}

  private static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setProcessComments(false);
    o.setNestingDepthLimit(200);
    return o;
  }

  /** The most code points {@link #parse} reads; a longer text is refused. */
  static int codePointLimit() {
    return OPTIONS.getCodePointLimit();
  }

  /** Parses the first document, as yaml.v2's {@code Unmarshal} does; null for an empty stream. */
  static Node parse(byte[] yaml) throws YamlException {
    Node simple = SimpleBlockYaml.parse(yaml);
    return simple != null ? simple : parseWithSnakeYaml(yaml);
  }

  /** {@link #parse} by SnakeYAML's parser, whatever the text. */
  static Node parseWithSnakeYaml(byte[] yaml) throws YamlException {
    try {
      ParserImpl p = new ParserImpl(new StreamReader(reader(yaml)), OPTIONS);
      p.getEvent(); // stream start
      if (p.checkEvent(Event.ID.StreamEnd)) {
        return null;
      }
      p.getEvent(); // document start
      Node root = readNode(p, new HashMap<>());
      Event end = p.getEvent();
      if (!end.is(Event.ID.DocumentEnd)) {
        throw new YamlException("expected document end, got " + end);
      }
      return root;
    } catch (YamlException e) {
      throw e;
    } catch (RuntimeException e) { // YAMLException, decoding errors from the reader
      throw new YamlException(String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * The text as characters. ASCII needs no decoding (and no byte-order mark can be there), so it
   * skips {@link UnicodeReader}'s decoder and its 8 KiB buffer; the characters are the same.
   */
  private static java.io.Reader reader(byte[] yaml) {
    for (byte b : yaml) {
      if (b < 0) {
        return new UnicodeReader(new ByteArrayInputStream(yaml));
      }
    }
    return new java.io.StringReader(new String(yaml, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  private static Node readNode(ParserImpl p, Map<String, Node> anchors) throws YamlException {
    Event e = p.getEvent();
    Node node;
    switch (e.getEventId()) {
      case Alias -> {
        String anchor = ((AliasEvent) e).getAnchor();
        node = anchors.get(anchor);
        if (node == null) {
          throw new YamlException("unknown anchor '" + anchor + "' referenced");
        }
        return node;
      }
      case Scalar -> {
        ScalarEvent s = (ScalarEvent) e;
        String tag = s.getTag();
        boolean plainImplicit = s.getImplicit().canOmitTagInPlainScalar();
        if ("!".equals(tag)) {
          tag = null;
          plainImplicit = false;
        }
        node = new Scalar(s.getValue(), plainImplicit, tag);
      }
      case SequenceStart -> {
        List<Node> items = new ArrayList<>();
        while (!p.checkEvent(Event.ID.SequenceEnd)) {
          items.add(readNode(p, anchors));
        }
        p.getEvent();
        node = new Seq(items);
      }
      case MappingStart -> {
        List<Node> kv = new ArrayList<>();
        while (!p.checkEvent(Event.ID.MappingEnd)) {
          kv.add(readNode(p, anchors));
          kv.add(readNode(p, anchors));
        }
        p.getEvent();
        node = new MapNode(kv);
      }
      default -> throw new YamlException("unexpected event " + e);
    }
    String anchor = e instanceof CollectionStartEvent || e instanceof ScalarEvent
        ? ((NodeEvent) e).getAnchor() : null;
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return node;
  }

  // ------------------------------------------------------------------------------------------
  // Decoding into interface{}

  /** yaml.v2 {@code Unmarshal(data, &iface)}: null for an empty or null document. */
  static Object decode(byte[] yaml) throws YamlException {
    return decodeNoting(yaml).value();
  }

  /**
   * {@link #decode}, and whether {@link RoundTrip#isIdentity} is already known to hold for the
   * value (false: not known). Plain block YAML is decoded without a node tree.
   */
  static SimpleBlockYaml.Decoded decodeNoting(byte[] yaml) throws YamlException {
    SimpleBlockYaml.Decoded simple = SimpleBlockYaml.decode(yaml);
    if (simple != null) {
      return simple;
    }
    Node n = parseWithSnakeYaml(yaml);
    return new SimpleBlockYaml.Decoded(n == null ? null : toGeneric(n), false);
  }

  /** Decoded values allowed per document; aliases can otherwise expand exponentially. */
  static final int MAX_DECODED_NODES = 1_000_000;

  static Object toGeneric(Node n) throws YamlException {
    return toGeneric(n, new int[] {MAX_DECODED_NODES});
  }

  private static Object toGeneric(Node n, int[] budget) throws YamlException {
    if (--budget[0] < 0) {
      throw new YamlException("document contains excessive aliasing");
    }
    if (n instanceof Scalar s) {
      return scalarValue(s);
    }
    if (n instanceof Seq q) {
      List<Object> out = new ArrayList<>(q.items().size());
      for (Node item : q.items()) {
        out.add(toGeneric(item, budget));
      }
      return out;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    fillMap((MapNode) n, out, budget);
    return out;
  }

  private static void fillMap(MapNode m, Map<Object, Object> out, int[] budget) throws YamlException {
    List<Node> kv = m.keysAndValues();
    for (int i = 0; i < kv.size(); i += 2) {
      Node k = kv.get(i);
      Node v = kv.get(i + 1);
      if (isMerge(k)) {
        merge(v, out, budget);
        continue;
      }
      Object key = toGeneric(k, budget);
      if (key instanceof Map || key instanceof List) {
        throw new YamlException("invalid map key: " + key);
      }
      out.put(key, toGeneric(v, budget));
    }
  }

  static boolean isMerge(Node k) {
    return k instanceof Scalar s && "<<".equals(s.value()) && (s.plainImplicit() || MERGE.equals(s.tag()));
  }

  private static void merge(Node v, Map<Object, Object> out, int[] budget) throws YamlException {
    if (v instanceof MapNode m) {
      fillMap(m, out, budget);
    } else if (v instanceof Seq q) {
      for (int i = q.items().size() - 1; i >= 0; i--) { // earlier maps take precedence
        if (!(q.items().get(i) instanceof MapNode m)) {
          throw new YamlException("map merge requires map or sequence of maps as the value");
        }
        fillMap(m, out, budget);
      }
    } else {
      throw new YamlException("map merge requires map or sequence of maps as the value");
    }
  }

  /** A scalar's value for an {@code interface{}} target (timestamps stay strings, as in v2). */
  static Object scalarValue(Scalar s) throws YamlException {
    if (s.tag() == null && !s.plainImplicit()) {
      return s.value();
    }
    if (s.tag() == null) {
      return plainValue(s.value());
    }
    if (BINARY.equals(s.tag())) {
      return decodeBinary(s.value());
    }
    Object[] r = resolve(s.tag() == null ? "" : s.tag(), s.value());
    if (TIMESTAMP.equals(r[0])) {
      return s.value();
    }
    return r[1] == NULL_VALUE ? null : r[1];
  }

  /**
   * The value of an untagged plain scalar ({@link #scalarValue} of {@code new Scalar(in, true,
   * null)}), which every plain key and value of a decoded instance is.
   *
   * <p>Why the shortcuts: {@link #resolve} builds two arrays per call and may go through
   * {@code BigInteger} and regular expressions, yet the first character alone settles most
   * scalars: one that no other type starts with is a string; one of {@code yYnNtTfFoO~} is a
   * string unless the whole text is one of the few words of the resolve table (so {@code name},
   * {@code tags}, {@code timeout} are strings at once); a short run of decimal digits without a
   * leading zero is an int. Everything else (signs, dots, {@code 0x1F}, {@code 1e3},
   * timestamps...) goes through {@link #resolve} as before.
   */
  static Object plainValue(String in) throws YamlException {
    int n = in.length();
    char hint = n == 0 ? 'N' : hint(in.charAt(0));
    if (hint == 0) {
      return in;
    }
    if (hint == 'M') {
      // resolvePlain answers a word of this hint from the table, else a string
      Object mapped = n > MAX_TABLE_WORD ? null : RESOLVE_MAP.get(in);
      return mapped == null ? in : mapped == NULL_VALUE ? null : mapped;
    }
    if (hint == 'D' && n <= 18 && (in.charAt(0) != '0' || n == 1)) {
      Object small = smallDecimal(in); // 18 digits cannot overflow a long
      if (small != null) {
        return small;
      }
    }
    Object[] r = resolve("", in);
    if (TIMESTAMP.equals(r[0])) {
      return in;
    }
    return r[1] == NULL_VALUE ? null : r[1];
  }

  /** The digits of {@code in} as a long, or null when it holds anything but digits. */
  private static Object smallDecimal(String in) {
    long v = 0;
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static String decodeBinary(String base64) throws YamlException {
    try {
      return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new YamlException("!!binary value contains invalid base64 data", e);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Resolution (yaml.v2 resolve.go rules)

  private static Map<String, Object> resolveMap() {
    Map<String, Object> m = new HashMap<>();
    for (String s : new String[] {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
      m.put(s, Boolean.TRUE);
    }
    for (String s : new String[] {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
      m.put(s, Boolean.FALSE);
    }
    for (String s : new String[] {"", "~", "null", "Null", "NULL"}) {
      m.put(s, NULL_VALUE);
    }
    for (String s : new String[] {".nan", ".NaN", ".NAN"}) {
      m.put(s, Double.NaN);
    }
    for (String s : new String[] {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
      m.put(s, Double.POSITIVE_INFINITY);
    }
    for (String s : new String[] {"-.inf", "-.Inf", "-.INF"}) {
      m.put(s, Double.NEGATIVE_INFINITY);
    }
    return Map.copyOf(m);
  }

  private static char hint(char c) {
    if (c == '+' || c == '-') {
      return 'S';
    }
    if (c >= '0' && c <= '9') {
      return 'D';
    }
    if ("yYnNtTfFoO~".indexOf(c) >= 0) {
      return 'M';
    }
    return c == '.' ? '.' : 0;
  }

  private static String tagOf(Object v) {
    if (v == NULL_VALUE) {
      return NULL;
    }
    if (v instanceof Boolean) {
      return BOOL;
    }
    return v instanceof Double ? FLOAT : INT;
  }

  /**
   * yaml.v2 {@code resolve(tag, in)}: returns {resolvedTag, value}; NULL_VALUE stands for nil.
   * Throws when an explicit tag does not fit the text (yaml.v2 fails the whole decode then).
   */
  static Object[] resolve(String tag, String in) throws YamlException {
    boolean resolvable = switch (tag) {
      case "", STR, BOOL, INT, FLOAT, NULL, TIMESTAMP -> true;
      default -> false;
    };
    if (!resolvable) {
      return new Object[] {tag, in};
    }
    Object[] r = resolvePlain(tag, in);
    String rtag = (String) r[0];
    if (tag.isEmpty() || tag.equals(rtag) || tag.equals(STR)) {
      return r;
    }
    if (tag.equals(FLOAT) && rtag.equals(INT) && r[1] instanceof Long l) {
      return new Object[] {FLOAT, (double) l};
    }
    throw new YamlException("cannot decode " + rtag + " `" + in + "` as a " + tag);
  }

  private static Object[] resolvePlain(String tag, String in) {
    char hint = in.isEmpty() ? 'N' : hint(in.charAt(0));
    if (hint != 0 && !tag.equals(STR)) {
      Object mapped = RESOLVE_MAP.get(in);
      if (mapped != null) {
        return new Object[] {tagOf(mapped), mapped};
      }
      if (hint == '.') {
        if (DOT_FLOAT.matcher(in).matches()) {
          return new Object[] {FLOAT, Double.parseDouble(in)};
        }
      } else if (hint == 'D' || hint == 'S') {
        if ((tag.isEmpty() || tag.equals(TIMESTAMP)) && isTimestamp(in)) {
          return new Object[] {TIMESTAMP, in};
        }
        String plain = in.indexOf('_') >= 0 ? in.replace("_", "") : in;
        Object n = parseGoInt(plain, true);
        if (n == null) {
          n = parseGoInt(plain, false);
        }
        if (n != null) {
          return new Object[] {INT, n};
        }
        if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
          double d = Double.parseDouble(plain);
          if (!Double.isInfinite(d)) { // Go's ParseFloat reports overflow as an error
            return new Object[] {FLOAT, d};
          }
        }
        if (plain.startsWith("0b") || plain.startsWith("-0b")) {
          boolean neg = plain.charAt(0) == '-';
          BigInteger v = parseDigits(plain.substring(neg ? 3 : 2), 2);
          if (v != null) {
            v = neg ? v.negate() : v;
            if (v.bitLength() < 64) {
              return new Object[] {INT, v.longValue()};
            }
            if (!neg && v.bitLength() <= 64) {
              return new Object[] {INT, v};
            }
          }
        }
      }
    }
    return new Object[] {STR, in};
  }

  /** Whether the plain text {@code s} would be read back as a string (yaml.v2 encoder's check). */
  static boolean resolvesToString(String s) {
    char hint = s.isEmpty() ? 'N' : hint(s.charAt(0));
    if (hint == 0) {
      return true; // fast path: the common case of text starting with a letter
    }
    if (hint == 'M') {
      // resolvePlain: a word of the table, else a string
      return s.length() > MAX_TABLE_WORD || !RESOLVE_MAP.containsKey(s);
    }
    return STR.equals(resolvePlain("", s)[0]);
  }

  static boolean isBase60Float(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char c = s.charAt(0);
    if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')) || s.indexOf(':') < 0) {
      return false;
    }
    return BASE60_FLOAT.matcher(s).matches();
  }

  /**
   * Go's {@code strconv.ParseInt(s, 0, 64)} ({@code signed}) or {@code ParseUint(s, 0, 64)}.
   * Returns a Long, a BigInteger for uint64 values above int64, or null.
   */
  static Object parseGoInt(String s, boolean signed) {
    int i = 0;
    boolean neg = false;
    if (signed && !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    int base = 10;
    if (s.length() - i >= 2 && s.charAt(i) == '0') {
      char p = Character.toLowerCase(s.charAt(i + 1));
      if (p == 'x') {
        base = 16;
        i += 2;
      } else if (p == 'b') {
        base = 2;
        i += 2;
      } else if (p == 'o') {
        base = 8;
        i += 2;
      } else {
        base = 8;
        i += 1;
      }
    }
    BigInteger v = parseDigits(s.substring(i), base);
    if (v == null) {
      return null;
    }
    if (neg) {
      v = v.negate();
    }
    if (signed) {
      return v.bitLength() < 64 ? (Object) v.longValue() : null;
    }
    if (v.bitLength() > 64) {
      return null;
    }
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private static BigInteger parseDigits(String digits, int base) {
    if (digits.isEmpty()) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), base) < 0 || digits.charAt(i) > 'z') {
        return null;
      }
    }
    return digits.length() > 64 ? null : new BigInteger(digits, base);
  }

  /** yaml.v2's accepted timestamp layouts, with Go's time.Parse range checks. */
  static boolean isTimestamp(String s) {
    if (s.length() < 5 || s.charAt(4) != '-') {
      return false;
    }
    Matcher m = TIMESTAMP_RE.matcher(s);
    if (!m.matches()) {
      return false;
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
      return false;
    }
    String sep = m.group(4);
    if (sep == null) {
      return true;
    }
    String zone = m.group(8);
    if (sep.equals(" ") == (zone != null)) {
      return false; // "T" layouts need a zone, the space layout has none
    }
    return Integer.parseInt(m.group(5)) < 24 && Integer.parseInt(m.group(6)) < 60
        && Integer.parseInt(m.group(7)) < 60;
  }

  // ------------------------------------------------------------------------------------------
  // Go formatting helpers

  /** Go's {@code fmt.Sprint(v)} for decoded YAML values (used to stringify tags). */
  static String sprint(Object v) {
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Double d) {
      return formatFloat(d);
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : " ").append(sprint(l.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      List<Object> keys = new ArrayList<>(m.keySet());
      keys.sort(GoYamlEmitter.KEY_ORDER);
      StringBuilder sb = new StringBuilder("map[");
      for (int i = 0; i < keys.size(); i++) {
        sb.append(i == 0 ? "" : " ").append(sprint(keys.get(i))).append(':').append(sprint(m.get(keys.get(i))));
      }
      return sb.append(']').toString();
    }
    return v.toString(); // Boolean, Long, BigInteger
  }

  /** Go's {@code strconv.FormatFloat(d, 'g', -1, 64)} (also what {@code %v} prints). */
  static String formatFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
    }
    double abs = Math.abs(d);
    BigDecimal exact = new BigDecimal(abs);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == abs) {
        shortest = r;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int nd = digits.length();
    int dp = nd - shortest.scale(); // value = 0.digits * 10^dp
    int exp = dp - 1;
    StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
    if (exp < -4 || exp >= 6) { // shortest 'g' uses %e from exponent 6 (eprec = 6)
      sb.append(digits.charAt(0));
      if (nd > 1) {
        sb.append('.').append(digits, 1, nd);
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ax = Math.abs(exp);
      if (ax < 10) {
        sb.append('0');
      }
      sb.append(ax);
      return sb.toString();
    }
    if (dp > 0) {
      for (int i = 0; i < dp; i++) {
        sb.append(i < nd ? digits.charAt(i) : '0');
      }
    } else {
      sb.append('0');
    }
    int frac = Math.max(nd - dp, 0);
    if (frac > 0) {
      sb.append('.');
      for (int i = 0; i < frac; i++) {
        int idx = dp + i;
        sb.append(idx >= 0 && idx < nd ? digits.charAt(idx) : '0');
      }
    }
    return sb.toString();
  }
}
