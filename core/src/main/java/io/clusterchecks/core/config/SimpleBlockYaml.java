package io.clusterchecks.core.config;

import io.clusterchecks.core.config.GoYaml.MapNode;
import io.clusterchecks.core.config.GoYaml.Node;
import io.clusterchecks.core.config.GoYaml.Scalar;
import io.clusterchecks.core.config.GoYaml.Seq;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the plainest block YAML (what yaml.v2 marshals for most instances, and most hand-written
 * instances) straight into {@link GoYaml}'s node tree, or straight into the generic values
 * {@link GoYaml#toGeneric} would decode from that tree, and gives up on anything else.
 *
 * <p>Why: SnakeYAML's reader, scanner and parser cost several microseconds per instance before a
 * single token (an 8 KiB decoding buffer, a code-point window, token queues), which was most of
 * preparing a one-instance config. The tree built here is the one {@link GoYaml#parse} builds from
 * SnakeYAML's events for the same text; {@code SimpleBlockYamlTest} compares the two on generated
 * texts. Decoding to values skips the tree altogether (a node per scalar, then a value per node),
 * and notes on the way whether yaml.v2 would read the value back from its marshalled text as
 * itself ({@link RoundTrip#isIdentity}), which the patcher would otherwise check in a second walk.
 *
 * <p>Accepted (else {@link #parse} returns null and the caller uses SnakeYAML): printable ASCII
 * lines of spaces then content, no tab, carriage return, blank or trailing-space line; a mapping
 * at the top; mapping lines {@code key: value} or {@code key:} (then a deeper mapping, a sequence
 * at the same or a deeper indent, or nothing: an empty plain scalar); sequence lines
 * {@code - value} or {@code - key: value} (a mapping item continued at two more spaces); and plain
 * scalars only: no character that can begin or end anything else ({@code # ' " [ ] { } & * ! | > %
 * @ ` ? , \ <} anywhere, no leading {@code -} {@code :} {@code .} or space, no {@code ": "} inside,
 * no trailing {@code :}).
 */
final class SimpleBlockYaml {
  /** Longer texts go to SnakeYAML, which applies its own length limits. */
  private static final int MAX_LENGTH = 16 * 1024;
  /** Deeper nesting goes to SnakeYAML, which applies its own depth limit. */
  private static final int MAX_DEPTH = 32;
  /** SnakeYAML refuses longer simple keys; leave them to it. */
  private static final int MAX_KEY = 512;
  /** The emitter writes longer keys in the {@code ? key} form, which RoundTrip leaves alone. */
  private static final int MAX_SIMPLE_KEY = 128;

  private final byte[] text;
  private final int end;
  /** Start of the current line's content, its indent, and the end of the line (before '\n'). */
  private int lineStart;
  private int contentStart;
  private int lineEnd;
  private int indent;
  /** The line after the current one starts here. */
  private int next;
  private boolean eof;
  /** Build generic values (else nodes). */
  private final boolean values;
  /** Values only: nothing met so far that RoundTrip is not certain of. */
  private boolean readsBack = true;

  private SimpleBlockYaml(byte[] text, boolean values) {
    this.text = text;
    this.end = text.length;
    this.values = values;
  }

  /**
   * A document decoded to generic values, and whether {@link RoundTrip#isIdentity} holds for
   * them (false: not known, not "differs").
   */
  record Decoded(Object value, boolean readsBack) {}

  /** Thrown inside to give up; never escapes {@link #parse}. */
  private static final class NotSimple extends Exception {
    private static final long serialVersionUID = 1L;
    static final NotSimple INSTANCE = new NotSimple();

    private NotSimple() {
      super(null, null, false, false);
    }
  }

  /** The node tree of {@code yaml}, or null when it is not of the plain kind read here. */
  static Node parse(byte[] yaml) {
    SimpleBlockYaml p = new SimpleBlockYaml(yaml, false);
    return (Node) p.document();
  }

  /**
   * {@code GoYaml.toGeneric(parse(yaml))} without the tree, or null when {@link #parse} would
   * give up.
   */
  static Decoded decode(byte[] yaml) {
    SimpleBlockYaml p = new SimpleBlockYaml(yaml, true);
    Object value = p.document();
    return value == null ? null : new Decoded(value, p.readsBack);
  }

  /** The root mapping (a node or a value), or null when the text is not of the plain kind. */
  private Object document() {
    if (end == 0 || end > MAX_LENGTH || !allowedBytes(text)) {
      return null;
    }
    try {
      load(0);
      if (eof || indent != 0 || isSequenceLine(this)) {
        return null;
      }
      Object root = mapping(0, -1, 0);
      return eof ? root : null;
    } catch (NotSimple e) {
      return null;
    }
  }

  private static boolean allowedBytes(byte[] yaml) {
    for (byte b : yaml) {
      switch (b) {
        case '\n' -> { }
        case '#', '\'', '"', '[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`', '?', ',', '\\', '<' -> {
          return false;
        }
        default -> {
          if (b < 0x20 || b > 0x7e) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Makes the line starting at {@code at} current. */
  private void load(int at) throws NotSimple {
    if (at >= end) {
      eof = true;
      return;
    }
    lineStart = at;
    int i = at;
    while (i < end && text[i] == ' ') {
      i++;
    }
    contentStart = i;
    indent = i - at;
    int e = i;
    while (e < end && text[e] != '\n') {
      e++;
    }
    lineEnd = e;
    next = e + 1;
    if (contentStart == lineEnd || text[lineEnd - 1] == ' ') {
      throw NotSimple.INSTANCE; // blank line or trailing space
    }
  }

  private static boolean isSequenceLine(SimpleBlockYaml p) {
    return p.text[p.contentStart] == '-' && (p.contentStart + 1 == p.lineEnd || p.text[p.contentStart + 1] == ' ');
  }

  /**
   * A mapping whose keys sit at column {@code column}; the current line holds its first key from
   * {@code from} (-1: from the line's content).
   */
  private Object mapping(int column, int from, int depth) throws NotSimple {
    if (depth > MAX_DEPTH) {
      throw NotSimple.INSTANCE;
    }
    // one of the two, by mode; a map's put keeps a repeated key in its first place with the last
    // value, as GoYaml.toGeneric's does
    List<Node> kv = values ? null : new ArrayList<>();
    Map<Object, Object> map = values ? new LinkedHashMap<>() : null;
    int start = from < 0 ? contentStart : from;
    while (true) {
      int colon = keyEnd(start);
      Object key = key(start, colon);
      Object value;
      int valueStart = colon + 1;
      if (valueStart < lineEnd) {
        // "key: value"
        value = scalar(valueStart + 1, lineEnd);
        load(next);
      } else {
        load(next);
        if (eof || indent < column) {
          value = emptyScalar();
        } else if (isSequenceLine(this)) {
          value = sequence(indent, depth + 1);
        } else if (indent > column) {
          value = mapping(indent, -1, depth + 1);
        } else {
          value = emptyScalar();
        }
      }
      if (values) {
        map.put(key, value);
      } else {
        kv.add((Node) key);
        kv.add((Node) value);
      }
      if (eof || indent < column) {
        return values ? map : new MapNode(kv);
      }
      if (indent > column || isSequenceLine(this)) {
        throw NotSimple.INSTANCE;
      }
      start = contentStart;
    }
  }

  /** A sequence whose dashes sit at column {@code column}, the current line its first item. */
  private Object sequence(int column, int depth) throws NotSimple {
    if (depth > MAX_DEPTH) {
      throw NotSimple.INSTANCE;
    }
    List<Object> items = new ArrayList<>();
    while (!eof && indent == column && isSequenceLine(this)) {
      int item = contentStart + 2;
      if (item >= lineEnd || text[item] == ' ') {
        throw NotSimple.INSTANCE; // "-" alone, or more spaces after the dash
      }
      if (hasKeyIndicator(item)) {
        items.add(mapping(column + 2, item, depth + 1));
      } else {
        items.add(scalar(item, lineEnd));
        load(next);
      }
    }
    if (!eof && indent > column) {
      throw NotSimple.INSTANCE;
    }
    if (values) {
      return items;
    }
    @SuppressWarnings("unchecked")
    List<Node> nodes = (List<Node>) (List<?>) items; // built of nodes in this mode
    return new Seq(nodes);
  }

  /** Whether the line from {@code from} holds {@code ": "} or ends with {@code ':'}. */
  private boolean hasKeyIndicator(int from) {
    for (int i = from; i < lineEnd; i++) {
      if (text[i] == ':' && (i + 1 == lineEnd || text[i + 1] == ' ')) {
        return true;
      }
    }
    return false;
  }

  /** The position of the ':' ending the key that starts at {@code from}. */
  private int keyEnd(int from) throws NotSimple {
    for (int i = from; i < lineEnd && i - from <= MAX_KEY; i++) {
      if (text[i] == ':' && (i + 1 == lineEnd || text[i + 1] == ' ')) {
        return i;
      }
    }
    throw NotSimple.INSTANCE;
  }

  /** The value of a key line's "key:" part, or not at all. */
  private Object emptyScalar() {
    return values ? null : new Scalar("", true, null);
  }

  /**
   * A mapping key spanning {@code [from, to)}. As a value, RoundTrip is certain of a string key
   * short enough for the emitter's simple form (128 bytes; ASCII here, a byte per char); a key
   * that reads as a number, a boolean or null is left to it (it cannot be {@code <<}: no '<'
   * passes {@link #allowedBytes}).
   */
  private Object key(int from, int to) throws NotSimple {
    Object key = scalar(from, to);
    if (values && !(key instanceof String && to - from <= MAX_SIMPLE_KEY)) {
      readsBack = false;
    }
    return key;
  }

  /**
   * A plain scalar spanning {@code [from, to)}: its node, or its value. RoundTrip is certain of
   * every value read here (printable ASCII strings on one line, ints, booleans, nulls; nesting
   * within {@link #MAX_DEPTH}, under RoundTrip's) except uint64 values and floats, which it checks
   * itself.
   */
  private Object scalar(int from, int to) throws NotSimple {
    String plain = plainText(from, to);
    if (!values) {
      return new Scalar(plain, true, null);
    }
    Object value;
    try {
      value = GoYaml.plainValue(plain);
    } catch (GoYaml.YamlException e) {
      throw NotSimple.INSTANCE; // not for an untagged scalar; if it were, the full path reports it
    }
    if (value instanceof Double || value instanceof java.math.BigInteger) {
      readsBack &= RoundTrip.isIdentity(value);
    }
    return value;
  }

  /** The text of a plain scalar spanning {@code [from, to)}. */
  private String plainText(int from, int to) throws NotSimple {
    if (from >= to) {
      throw NotSimple.INSTANCE;
    }
    byte first = text[from];
    byte last = text[to - 1];
    if (first == '-' || first == ':' || first == '.' || first == ' ' || last == ':' || last == ' ') {
      throw NotSimple.INSTANCE;
    }
    for (int i = from; i < to - 1; i++) {
      if (text[i] == ':' && text[i + 1] == ' ') {
        throw NotSimple.INSTANCE;
      }
    }
    return new String(text, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
