package io.clusterchecks.core.config;

import io.clusterchecks.core.config.GoYaml.MapNode;
import io.clusterchecks.core.config.GoYaml.Node;
import io.clusterchecks.core.config.GoYaml.Scalar;
import io.clusterchecks.core.config.GoYaml.Seq;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the plainest block YAML (what yaml.v2 marshals for most instances, and most hand-written
 * instances) straight into {@link GoYaml}'s node tree, and gives up on anything else.
 *
 * <p>Why: SnakeYAML's reader, scanner and parser cost several microseconds per instance before a
 * single token (an 8 KiB decoding buffer, a code-point window, token queues), which was most of
 * preparing a one-instance config. The tree built here is the one {@link GoYaml#parse} builds from
 * SnakeYAML's events for the same text; {@code SimpleBlockYamlTest} compares the two on generated
 * texts.
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

  private SimpleBlockYaml(byte[] text) {
    this.text = text;
    this.end = text.length;
  }

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
    if (yaml.length == 0 || yaml.length > MAX_LENGTH || !allowedBytes(yaml)) {
      return null;
    }
    SimpleBlockYaml p = new SimpleBlockYaml(yaml);
    try {
      p.load(0);
      if (p.eof || p.indent != 0 || isSequenceLine(p)) {
        return null;
      }
      Node root = p.mapping(0, -1, 0);
      return p.eof ? root : null;
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
  private Node mapping(int column, int from, int depth) throws NotSimple {
    if (depth > MAX_DEPTH) {
      throw NotSimple.INSTANCE;
    }
    List<Node> kv = new ArrayList<>();
    int start = from < 0 ? contentStart : from;
    while (true) {
      int colon = keyEnd(start);
      kv.add(scalar(start, colon));
      int valueStart = colon + 1;
      if (valueStart < lineEnd) {
        // "key: value"
        kv.add(scalar(valueStart + 1, lineEnd));
        load(next);
      } else {
        load(next);
        if (eof || indent < column) {
          kv.add(new Scalar("", true, null));
        } else if (isSequenceLine(this)) {
          kv.add(sequence(indent, depth + 1));
        } else if (indent > column) {
          kv.add(mapping(indent, -1, depth + 1));
        } else {
          kv.add(new Scalar("", true, null));
        }
      }
      if (eof || indent < column) {
        return new MapNode(kv);
      }
      if (indent > column || isSequenceLine(this)) {
        throw NotSimple.INSTANCE;
      }
      start = contentStart;
    }
  }

  /** A sequence whose dashes sit at column {@code column}, the current line its first item. */
  private Node sequence(int column, int depth) throws NotSimple {
    if (depth > MAX_DEPTH) {
      throw NotSimple.INSTANCE;
    }
    List<Node> items = new ArrayList<>();
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
    return new Seq(items);
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

  /** A plain scalar spanning {@code [from, to)}. */
  private Scalar scalar(int from, int to) throws NotSimple {
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
    return new Scalar(new String(text, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1), true, null);
  }
}
