package io.clusterchecks.core.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node tree {@link GoYaml#parse} would return for the text {@link GoYamlEmitter} writes for a
 * map, built from the map without writing or parsing anything.
 *
 * <p>Why: after patching, the digest, the check ID's instance name and the collection interval
 * are all read from the patched instance YAML, which the patcher has just emitted from a map it
 * holds. Parsing that text again costs more than everything else in preparing a config. But only
 * the parse result counts (outputs must stay byte-exact), so the tree is built here only when it
 * is certain to equal, for {@link GoYaml#toGeneric} and {@link CheckIds#instanceName(GoYaml.Node)},
 * what the parse would give; otherwise {@link #nodeOf} answers null and the caller parses.
 *
 * <p>Certain means: keys are strings (not {@code <<}, which would read back as a merge key) short
 * enough for the emitter's simple-key form; strings hold only characters the emitter writes
 * verbatim on one line (printable, no line breaks: no escapes, no literal blocks, and folding of
 * long lines reads back as the one space it replaced); integers, booleans and nulls, whose plain
 * text reads back as themselves; floats whose text is checked to read back as the same float
 * ({@code 1.0} is written {@code 1} and reads back as an int); nesting shallow enough that the
 * parser's recursion cannot fail where ours did not; and a text within the parser's length limit.
 * Anything else (uint64 values, non-string keys...) is left to the parser.
 *
 * <p>A string becomes a quoted scalar whatever style the emitter picked: the emitter writes one
 * plain only when it resolves back to that string, so decoding gives the string either way, and
 * {@link CheckIds} treats a plain and a quoted string alike (a string is never an int, a bool or
 * a null tag list, and is its own text as a name).
 */
final class RoundTrip {
  /** Deeper values are left to the parser, whose own limits then apply exactly as before. */
  private static final int MAX_DEPTH = 64;
  /** The emitter writes longer keys in the {@code ? key} form. */
  private static final int MAX_SIMPLE_KEY_BYTES = 128;

  private RoundTrip() {}

  /**
   * The tree of the text emitted (unsorted) for {@code map}, {@code emittedLength} bytes long, or
   * null when it is not certain.
   */
  static GoYaml.Node nodeOf(Map<Object, Object> map, int emittedLength) {
    if (emittedLength >= GoYaml.codePointLimit()) {
      return null;
    }
    return node(map, 0);
  }

  /**
   * The tree {@link #nodeOf} gives for {@code map}, with only the entries whose keys are in
   * {@code keys}, for a map {@link #isIdentity} is certain of and a text within the parser's limit:
   * the entries a reader of a few fields looks at, without building the rest.
   */
  static GoYaml.MapNode nodeOfEntries(Map<Object, Object> map, java.util.Set<String> keys) {
    List<GoYaml.Node> kv = new ArrayList<>();
    for (Map.Entry<Object, Object> e : map.entrySet()) {
      if (keys.contains(e.getKey())) {
        kv.add(new GoYaml.Scalar((String) e.getKey(), false, null));
        kv.add(node(e.getValue(), 1));
      }
    }
    return new GoYaml.MapNode(kv);
  }

  /**
   * Whether yaml.v2 reads {@code value} back from its marshalled text as an equal value (the
   * certain cases above); false means "read the text to know", not "differs".
   */
  static boolean isIdentity(Object value) {
    return certain(value, 0);
  }

  /** Whether {@link #node} gives a tree for {@code v}, without building it. */
  private static boolean certain(Object v, int depth) {
    if (v instanceof String s) {
      return verbatim(s);
    }
    if (v == null || v instanceof Long || v instanceof Boolean) {
      return true;
    }
    if (v instanceof Double d) {
      return floatNode(d) != null;
    }
    if (depth >= MAX_DEPTH) {
      return false;
    }
    if (v instanceof List<?> list) {
      for (Object item : list) {
        if (!certain(item, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (v instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key) || !simpleKey(key) || !certain(e.getValue(), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static GoYaml.Node node(Object v, int depth) {
    if (v instanceof String s) {
      return verbatim(s) ? new GoYaml.Scalar(s, false, null) : null;
    }
    if (v == null) {
      return new GoYaml.Scalar("null", true, null);
    }
    if (v instanceof Long || v instanceof Boolean) {
      return new GoYaml.Scalar(v.toString(), true, null);
    }
    if (v instanceof Double d) {
      return floatNode(d);
    }
    if (depth >= MAX_DEPTH) {
      return null;
    }
    if (v instanceof List<?> list) {
      List<GoYaml.Node> items = new ArrayList<>(list.size());
      for (Object item : list) {
        GoYaml.Node n = node(item, depth + 1);
        if (n == null) {
          return null;
        }
        items.add(n);
      }
      return new GoYaml.Seq(items);
    }
    if (v instanceof Map<?, ?> map) {
      List<GoYaml.Node> kv = new ArrayList<>(map.size() * 2);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key) || !simpleKey(key)) {
          return null;
        }
        GoYaml.Node value = node(e.getValue(), depth + 1);
        if (value == null) {
          return null;
        }
        kv.add(new GoYaml.Scalar(key, false, null));
        kv.add(value);
      }
      return new GoYaml.MapNode(kv);
    }
    return null;
  }

  private static boolean simpleKey(String key) {
    if (!verbatim(key) || "<<".equals(key)) {
      return false;
    }
    return key.length() * 3 <= MAX_SIMPLE_KEY_BYTES
        || key.getBytes(StandardCharsets.UTF_8).length <= MAX_SIMPLE_KEY_BYTES;
  }

  /** Whether the emitter writes {@code s} on one line without escapes. */
  private static boolean verbatim(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // Surrogates are outside the printable ranges, so characters beyond the BMP are refused.
      if (!GoYamlEmitter.isPrintable(c) || c == '\n' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  private static GoYaml.Node floatNode(double d) {
    if (!Double.isFinite(d)) {
      return null;
    }
    GoYaml.Scalar s = new GoYaml.Scalar(GoYaml.formatFloat(d), true, null);
    try {
      return Double.valueOf(d).equals(GoYaml.scalarValue(s)) ? s : null;
    } catch (GoYaml.YamlException e) {
      return null;
    }
  }
}
