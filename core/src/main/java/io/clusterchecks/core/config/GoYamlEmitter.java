package io.clusterchecks.core.config;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes the generic values of {@link GoYaml} the way Go's {@code gopkg.in/yaml.v2} v2.4.0
 * {@code Marshal} does (its libyaml-derived emitter with default settings), because the config
 * digest hashes that text.
 *
 * <p>Rules reproduced: block style with 2-space indentation; sequences that are mapping values
 * are not indented ({@code "key:\n- a"}); empty collections as {@code {}} / {@code []}; strings
 * that would read back as another type are double-quoted ({@code "true"}, {@code "123"},
 * {@code ""}, timestamps, base-60 floats); strings that cannot be plain (indicators, leading or
 * trailing spaces, {@code ": "}, {@code " #"}) are single-quoted; non-printable characters force
 * double quotes with escapes; multi-line strings use literal style ({@code |}, {@code |-},
 * {@code |+}); long plain/quoted scalars are folded at spaces once past column 80 (v2.4.0
 * default); keys longer than 128 bytes use the {@code ? key} form; map keys are sorted with
 * yaml.v2's "natural" order (numbers before strings, digit runs compared numerically).
 *
 * <p>With {@code sortKeys=false} map keys keep their insertion order; everything else is the
 * same, which is what the dispatcher uses to produce readable, deterministic instance YAML.
 *
 * <p>Not thread-safe; one instance per marshal call (it is tiny).
 */
final class GoYamlEmitter {
  private static final int BEST_INDENT = 2;
  private static final int BEST_WIDTH = 80;

  private enum Style { PLAIN, SINGLE, DOUBLE, LITERAL }

  /** yaml.v2's map-key order (sorter.go), over our generic value types. */
  static final Comparator<Object> KEY_ORDER = GoYamlEmitter::compareKeys;

  /** The output, UTF-8 encoded as it is written (no text to encode afterwards). */
  private byte[] out = new byte[256];
  private int length;
  private final boolean sortKeys;
  private int column;
  private int indent = -1;
  private int[] indents = new int[16];
  /** The scalar being analysed or written, as chars: reused, read faster than the String. */
  private char[] chars = new char[64];
  /** The string {@link #chars} holds, or null. */
  private String loaded;
  private int depth;
  private boolean whitespace = true;
  private boolean indention = true;
  private boolean mappingContext;
  private boolean simpleKeyContext;

  private GoYamlEmitter(boolean sortKeys) {
    this.sortKeys = sortKeys;
  }

  /** yaml.v2 {@code Marshal(value)}, as UTF-8 bytes. */
  static byte[] marshal(Object value, boolean sortKeys) {
    GoYamlEmitter e = emit(value, sortKeys);
    return Arrays.copyOf(e.out, e.length);
  }

  static String marshalToString(Object value, boolean sortKeys) {
    GoYamlEmitter e = emit(value, sortKeys);
    return new String(e.out, 0, e.length, StandardCharsets.UTF_8);
  }

  private static GoYamlEmitter emit(Object value, boolean sortKeys) {
    GoYamlEmitter e = new GoYamlEmitter(sortKeys);
    e.emitNode(value, false, false);
    e.writeIndent(); // document end
    return e;
  }

  // ------------------------------------------------------------------------------------------
  // Structure

  private void emitNode(Object v, boolean mapping, boolean simpleKey) {
    mappingContext = mapping;
    simpleKeyContext = simpleKey;
    // Strings first: String is a final class, so that test is one compare, where a test against an
    // interface a String does not implement (Map, List) scans its list of interfaces every time
    if (v instanceof String || !(v instanceof Map<?, ?> || v instanceof List<?>)) {
      String text = textOf(v);
      int analysis = analyze(text);
      emitScalar(text, requestedStyle(v, text, analysis), analysis);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        writeIndicator("{", true, true, false);
        writeIndicator("}", false, false, false);
      } else {
        emitBlockMapping(m);
      }
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        writeIndicator("[", true, true, false);
        writeIndicator("]", false, false, false);
      } else {
        emitBlockSequence(l);
      }
    }
  }

  private void emitBlockSequence(List<?> items) {
    increaseIndent(false, mappingContext && !indention);
    for (Object item : items) {
      writeIndent();
      writeIndicator("-", true, false, true);
      emitNode(item, false, false);
    }
    popIndent();
  }

  private void emitBlockMapping(Map<?, ?> m) {
    Object[] keys = m.keySet().toArray();
    if (sortKeys && keys.length > 1) {
      Arrays.sort(keys, KEY_ORDER);
    }
    increaseIndent(false, false);
    for (Object k : keys) {
      String text = textOf(k);
      int analysis = analyze(text);
      writeIndent();
      if ((analysis & MULTILINE) == 0 && utf8Length(text) <= 128) {
        emitKey(k, text, analysis, true);
        writeIndicator(":", false, false, false);
      } else {
        writeIndicator("?", true, false, true);
        emitKey(k, text, analysis, false);
        writeIndent();
        writeIndicator(":", true, false, true);
      }
      emitNode(m.get(k), true, false);
    }
    popIndent();
  }

  /** {@code emitNode(k, true, simpleKey)}, reusing the key's text and analysis when it is a scalar. */
  private void emitKey(Object k, String text, int analysis, boolean simpleKey) {
    if (!(k instanceof String) && (k instanceof Map<?, ?> || k instanceof List<?>)) { // String: see emitNode
      emitNode(k, true, simpleKey);
      return;
    }
    mappingContext = true;
    simpleKeyContext = simpleKey;
    emitScalar(text, requestedStyle(k, text, analysis), analysis);
  }

  private static int utf8Length(String s) {
    if (s.length() * 3 <= 128) {
      return s.length(); // at most 3 bytes per char: surely short enough, whatever the exact count
    }
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private void increaseIndent(boolean flow, boolean indentless) {
    if (depth == indents.length) {
      indents = Arrays.copyOf(indents, depth * 2);
    }
    indents[depth++] = indent;
    if (indent < 0) {
      indent = flow ? BEST_INDENT : 0;
    } else if (!indentless) {
      indent += BEST_INDENT;
    }
  }

  private void popIndent() {
    indent = indents[--depth];
  }

  // ------------------------------------------------------------------------------------------
  // Scalars: what the Go encoder asks for (encode.go) ...

  /** The text a scalar value is written from. */
  private static String textOf(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Double d) {
      String g = GoYaml.formatFloat(d);
      return switch (g) {
        case "+Inf" -> ".inf";
        case "-Inf" -> "-.inf";
        case "NaN" -> ".nan";
        default -> g;
      };
    }
    return v.toString(); // Boolean, Long, Integer, BigInteger and anything else
  }

  /** The style the Go encoder asks for: strings that would read back as another type are quoted. */
  private static Style requestedStyle(Object v, String text, int analysis) {
    if (!(v instanceof String)) {
      return Style.PLAIN;
    }
    if ((analysis & PRINTABLE_ASCII) == 0 && text.indexOf('\n') >= 0) {
      return Style.LITERAL;
    }
    return GoYaml.resolvesToString(text) && !GoYaml.isBase60Float(text) ? Style.PLAIN : Style.DOUBLE;
  }

  /** {@code s.codePoints().toArray()}, without a stream: scalars are short and many. */
  static int[] codePoints(String s) {
    int n = s.length();
    int[] out = new int[n];
    int count = 0;
    for (int i = 0; i < n; ) {
      int c = s.codePointAt(i);
      out[count++] = c;
      i += Character.charCount(c);
    }
    return count == n ? out : Arrays.copyOf(out, count);
  }

  private void emitScalar(String text, Style requested, int analysis) {
    Style style = requested;
    if (simpleKeyContext && (analysis & MULTILINE) != 0) {
      style = Style.DOUBLE;
    }
    if (style == Style.PLAIN) {
      if ((analysis & BLOCK_PLAIN_ALLOWED) == 0 || (text.isEmpty() && simpleKeyContext)) {
        style = Style.SINGLE;
      }
    }
    if (style == Style.SINGLE && (analysis & SINGLE_QUOTED_ALLOWED) == 0) {
      style = Style.DOUBLE;
    }
    if (style == Style.LITERAL && ((analysis & BLOCK_ALLOWED) == 0 || simpleKeyContext)) {
      style = Style.DOUBLE;
    }
    increaseIndent(true, false);
    // plain is what nearly every scalar is written as; the quoted and literal writers, rare,
    // work on the code points as an array
    switch (style) {
      case PLAIN -> {
        if ((analysis & PRINTABLE_ASCII) != 0) {
          writePlainAscii(text, !simpleKeyContext);
        } else {
          writePlain(text, !simpleKeyContext);
        }
      }
      case SINGLE -> writeSingleQuoted(codePoints(text), !simpleKeyContext);
      case DOUBLE -> writeDoubleQuoted(codePoints(text), !simpleKeyContext);
      case LITERAL -> writeLiteral(codePoints(text));
    }
    popIndent();
  }

  // ... and what the emitter allows (emitterc.go analyze_scalar), as bits: no record, no array
  // of code points, since most scalars are short and the analysis runs for every one

  private static final int MULTILINE = 1;
  private static final int BLOCK_PLAIN_ALLOWED = 2;
  private static final int SINGLE_QUOTED_ALLOWED = 4;
  private static final int BLOCK_ALLOWED = 8;
  /** Every char is printable ASCII: each is one code point and one byte, none a line break. */
  private static final int PRINTABLE_ASCII = 16;

  /**
   * Copies {@code s} into {@link #chars}; returns its length. A scalar is written right after it
   * is analysed, so the writer finds it already there (same String object) and copies nothing.
   */
  private int load(String s) {
    int n = s.length();
    if (s == loaded) {
      return n;
    }
    loaded = s;
    if (n > chars.length) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    s.getChars(0, n, chars, 0);
    return n;
  }

  private int analyze(String value) {
    int n = load(value);
    char[] v = chars;
    if (n == 0) {
      return BLOCK_PLAIN_ALLOWED | SINGLE_QUOTED_ALLOWED;
    }
    int ascii = analyzePrintableAscii(v, n);
    if (ascii >= 0) {
      return ascii;
    }
    boolean blockIndicators = value.startsWith("---") || value.startsWith("...");
    boolean lineBreaks = false;
    boolean special = false;
    boolean leadingSpace = false;
    boolean leadingBreak = false;
    boolean trailingSpace = false;
    boolean trailingBreak = false;
    boolean breakSpace = false;
    boolean spaceBreak = false;
    boolean precededByWhitespace = true;
    boolean previousSpace = false;
    boolean previousBreak = false;
    int c = Character.codePointAt(v, 0, n);
    for (int i = 0; ; ) {
      int next = i + Character.charCount(c);
      boolean last = next >= n;
      int following = last ? -1 : Character.codePointAt(v, next, n);
      boolean followedByWhitespace = last || isBlank(following);
      if (i == 0) {
        switch (c) {
          case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' ->
              blockIndicators = true;
          case '?', ':' -> blockIndicators |= followedByWhitespace;
          case '-' -> blockIndicators |= followedByWhitespace;
          default -> { }
        }
      } else if (c == ':') {
        blockIndicators |= followedByWhitespace;
      } else if (c == '#') {
        blockIndicators |= precededByWhitespace;
      }
      if (!isPrintable(c)) {
        special = true;
      }
      if (c == ' ') {
        leadingSpace |= i == 0;
        trailingSpace |= last;
        breakSpace |= previousBreak;
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        leadingBreak |= i == 0;
        trailingBreak |= last;
        spaceBreak |= previousSpace;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = isBlank(c) || isBreak(c) || c == 0;
      if (last) {
        break;
      }
      i = next;
      c = following;
    }
    boolean blockPlain = true;
    boolean single = true;
    boolean block = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      blockPlain = false;
    }
    if (trailingSpace) {
      block = false;
    }
    if (breakSpace) {
      blockPlain = false;
      single = false;
    }
    if (spaceBreak || special) {
      blockPlain = false;
      single = false;
      block = false;
    }
    if (lineBreaks || blockIndicators) {
      blockPlain = false;
    }
    return (lineBreaks ? MULTILINE : 0) | (blockPlain ? BLOCK_PLAIN_ALLOWED : 0)
        | (single ? SINGLE_QUOTED_ALLOWED : 0) | (block ? BLOCK_ALLOWED : 0);
  }

  /**
   * {@link #analyze} of {@code n > 0} chars that are all printable ASCII, or -1 when one is not.
   *
   * <p>Why: nearly every key and value is printable ASCII, and then most of the general analysis
   * cannot apply (no line break, no non-printable character, no surrogate pair, the only blank a
   * space), so only the indicators and the leading and trailing spaces are left to find: one pass
   * over the chars instead of a code point walk with a dozen flags.
   */
  private static int analyzePrintableAscii(char[] v, int n) {
    char first = v[0];
    boolean indicators = switch (first) {
      case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' -> true;
      case '?', ':', '-' -> n == 1 || v[1] == ' ';
      default -> false;
    };
    if (n >= 3 && (first == '-' || first == '.') && v[1] == first && v[2] == first) {
      indicators = true; // "---" or "..." at the start
    }
    for (int i = 0; i < n; i++) {
      char c = v[i];
      if (c < 0x20 || c > 0x7E) {
        return -1;
      }
      if (i > 0) {
        if (c == ':') {
          indicators |= i + 1 == n || v[i + 1] == ' ';
        } else if (c == '#') {
          indicators |= v[i - 1] == ' ';
        }
      }
    }
    boolean trailingSpace = v[n - 1] == ' ';
    boolean blockPlain = !indicators && first != ' ' && !trailingSpace;
    return PRINTABLE_ASCII | (blockPlain ? BLOCK_PLAIN_ALLOWED : 0) | SINGLE_QUOTED_ALLOWED
        | (trailingSpace ? 0 : BLOCK_ALLOWED);
  }

  static boolean isPrintable(int c) {
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
  }

  private static boolean isBreak(int c) {
    return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  private static boolean isBlank(int c) {
    return c == ' ' || c == '\t';
  }

  // ------------------------------------------------------------------------------------------
  // Writers

  private void put(char c) {
    write(c);
  }

  /** Appends the code point as UTF-8 (a lone surrogate as '?', as String.getBytes does). */
  private void write(int codePoint) {
    if (length + 4 > out.length) {
      out = Arrays.copyOf(out, out.length * 2);
    }
    int c = codePoint;
    if (c < 0x80) {
      out[length++] = (byte) c;
    } else if (c < 0x800) {
      out[length++] = (byte) (0xC0 | c >> 6);
      out[length++] = (byte) (0x80 | c & 0x3F);
    } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
      out[length++] = '?';
    } else if (c < 0x10000) {
      out[length++] = (byte) (0xE0 | c >> 12);
      out[length++] = (byte) (0x80 | c >> 6 & 0x3F);
      out[length++] = (byte) (0x80 | c & 0x3F);
    } else {
      out[length++] = (byte) (0xF0 | c >> 18);
      out[length++] = (byte) (0x80 | c >> 12 & 0x3F);
      out[length++] = (byte) (0x80 | c >> 6 & 0x3F);
      out[length++] = (byte) (0x80 | c & 0x3F);
    }
    column++;
  }

  private void putBreak() {
    write('\n');
    column = 0;
  }

  private void writeBreak(int c) {
    if (c == '\n') {
      putBreak();
    } else {
      write(c);
      column = 0;
    }
  }

  private void writeIndent() {
    int ind = Math.max(indent, 0);
    if (!indention || column > ind || (column == ind && !whitespace)) {
      putBreak();
    }
    while (column < ind) {
      put(' ');
    }
    whitespace = true;
    indention = true;
  }

  private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
    if (needWhitespace && !whitespace) {
      put(' ');
    }
    for (int i = 0; i < indicator.length(); i++) {
      put(indicator.charAt(i));
    }
    whitespace = isWhitespace;
    indention = indention && isIndention;
  }

  private void writePlain(String text, boolean allowBreaks) {
    if (!whitespace) {
      put(' ');
    }
    boolean spaces = false;
    boolean breaks = false;
    int n = load(text);
    char[] v = chars;
    for (int i = 0, next; i < n; i = next) {
      int c = Character.codePointAt(v, i, n);
      next = i + Character.charCount(c);
      if (c == ' ') {
        // the next code point is a space exactly when the next char is
        if (allowBreaks && !spaces && column > BEST_WIDTH && next < n && v[next] != ' ') {
          writeIndent();
        } else {
          write(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c == '\n') {
          putBreak();
        }
        writeBreak(c);
        indention = true;
        breaks = true;
      } else {
        if (breaks) {
          writeIndent();
        }
        write(c);
        indention = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace = false;
    indention = false;
  }

  /**
   * {@link #writePlain} of a text whose chars are all printable ASCII: each char is its own byte,
   * so it is stored as is, with no code point decoding, UTF-8 encoding or line-break cases. Spaces
   * still fold past the width exactly as there.
   */
  private void writePlainAscii(String text, boolean allowBreaks) {
    if (!whitespace) {
      put(' ');
    }
    boolean spaces = false;
    int n = load(text);
    char[] v = chars;
    for (int i = 0; i < n; i++) {
      char c = v[i];
      if (c == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && i + 1 < n && v[i + 1] != ' ') {
          writeIndent();
        } else {
          write(c);
        }
        spaces = true;
      } else {
        if (length == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[length++] = (byte) c;
        column++;
        indention = false;
        spaces = false;
      }
    }
    whitespace = false;
    indention = false;
  }

  private void writeSingleQuoted(int[] v, boolean allowBreaks) {
    writeIndicator("'", true, false, false);
    boolean spaces = false;
    boolean breaks = false;
    for (int i = 0; i < v.length; i++) {
      int c = v[i];
      if (c == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1 && v[i + 1] != ' ') {
          writeIndent();
        } else {
          write(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c == '\n') {
          putBreak();
        }
        writeBreak(c);
        indention = true;
        breaks = true;
      } else {
        if (breaks) {
          writeIndent();
        }
        if (c == '\'') {
          put('\'');
        }
        write(c);
        indention = false;
        spaces = false;
        breaks = false;
      }
    }
    writeIndicator("'", false, false, false);
    whitespace = false;
    indention = false;
  }

  private void writeDoubleQuoted(int[] v, boolean allowBreaks) {
    boolean spaces = false;
    writeIndicator("\"", true, false, false);
    for (int i = 0; i < v.length; i++) {
      int c = v[i];
      if (!isPrintable(c) || c == 0xFEFF || isBreak(c) || c == '"' || c == '\\') {
        put('\\');
        switch (c) {
          case 0x00 -> put('0');
          case 0x07 -> put('a');
          case 0x08 -> put('b');
          case 0x09 -> put('t');
          case 0x0A -> put('n');
          case 0x0B -> put('v');
          case 0x0C -> put('f');
          case 0x0D -> put('r');
          case 0x1B -> put('e');
          case 0x22 -> put('"');
          case 0x5C -> put('\\');
          case 0x85 -> put('N');
          case 0xA0 -> put('_');
          case 0x2028 -> put('L');
          case 0x2029 -> put('P');
          default -> {
            int width;
            if (c <= 0xFF) {
              put('x');
              width = 2;
            } else if (c <= 0xFFFF) {
              put('u');
              width = 4;
            } else {
              put('U');
              width = 8;
            }
            for (int k = (width - 1) * 4; k >= 0; k -= 4) {
              put(Character.toUpperCase(Character.forDigit((c >> k) & 0xF, 16)));
            }
          }
        }
        spaces = false;
      } else if (c == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1) {
          writeIndent();
          if (v[i + 1] == ' ') {
            put('\\');
          }
        } else {
          write(c);
        }
        spaces = true;
      } else {
        write(c);
        spaces = false;
      }
    }
    writeIndicator("\"", false, false, false);
    whitespace = false;
    indention = false;
  }

  private void writeLiteral(int[] v) {
    writeIndicator("|", true, false, false);
    if (v.length > 0 && (v[0] == ' ' || isBreak(v[0]))) {
      writeIndicator(String.valueOf((char) ('0' + BEST_INDENT)), false, false, false);
    }
    String chomp = null;
    if (v.length == 0 || !isBreak(v[v.length - 1])) {
      chomp = "-";
    } else if (v.length == 1 || isBreak(v[v.length - 2])) {
      chomp = "+";
    }
    if (chomp != null) {
      writeIndicator(chomp, false, false, false);
    }
    putBreak();
    indention = true;
    whitespace = true;
    boolean breaks = true;
    for (int c : v) {
      if (isBreak(c)) {
        writeBreak(c);
        indention = true;
        breaks = true;
      } else {
        if (breaks) {
          writeIndent();
        }
        write(c);
        indention = false;
        breaks = false;
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Key order (sorter.go)

  /** reflect.Kind ordinals yaml.v2 compares when the kinds differ. */
  private static int kind(Object v) {
    if (v instanceof Boolean) {
      return 1;
    }
    if (v instanceof Long || v instanceof Integer) {
      return 2;
    }
    if (v instanceof BigInteger) {
      return 11;
    }
    if (v instanceof Double) {
      return 14;
    }
    if (v == null) {
      return 20; // a nil interface key stays reflect.Interface
    }
    return v instanceof String ? 24 : 25;
  }

  private static Double keyFloat(Object v) {
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return null;
  }

  private static int compareKeys(Object a, Object b) {
    if (a instanceof String as && b instanceof String bs) {
      // chars first: a key without a surrogate is its own code points, read in place
      int ab = lessStrings(as, null, bs, null);
      if (ab == 1) {
        return -1;
      }
      int ba = ab == SURROGATE ? SURROGATE : lessStrings(bs, null, as, null);
      if (ab != SURROGATE && ba != SURROGATE) {
        return ba == 1 ? 1 : 0;
      }
    }
    int[] ar = a instanceof String as ? codePointsIfSurrogates(as) : null;
    int[] br = b instanceof String bs ? codePointsIfSurrogates(bs) : null;
    return less(a, ar, b, br) ? -1 : less(b, br, a, ar) ? 1 : 0;
  }

  /**
   * A string's code points as an array when it holds a surrogate, else null: without one, its
   * chars are its code points and are read in place (no array per comparison).
   */
  private static int[] codePointsIfSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return codePoints(s);
      }
    }
    return null;
  }

  /**
   * Code point {@code i} of a string key: from {@code cps} when given, else the char, or -1 when
   * that char is a surrogate (half of a code point: the chars cannot decide, see {@link #SURROGATE}).
   */
  private static int at(String s, int[] cps, int i) {
    if (cps != null) {
      return cps[i];
    }
    char c = s.charAt(i);
    return Character.isSurrogate(c) ? -1 : c;
  }

  private static int count(String s, int[] cps) {
    return cps != null ? cps.length : s.length();
  }

  /** {@code cps}: {@link #codePointsIfSurrogates} of a string key. */
  private static boolean less(Object a, int[] acps, Object b, int[] bcps) {
    int ak = kind(a);
    int bk = kind(b);
    Double af = keyFloat(a);
    Double bf = keyFloat(b);
    if (af != null && bf != null) {
      if (af.doubleValue() != bf.doubleValue()) {
        return af < bf;
      }
      if (ak != bk) {
        return ak < bk;
      }
      return numLess(a, b);
    }
    if (!(a instanceof String as) || !(b instanceof String bs)) {
      return ak < bk;
    }
    return lessStrings(as, acps, bs, bcps) == 1;
  }

  /**
   * What {@link #lessStrings} answers, read on chars, when a surrogate takes part in the decision:
   * up to that point chars and code points are the same, past it they are not (a character
   * beyond the BMP can be a letter or a digit), so the caller decides on code points.
   */
  private static final int SURROGATE = -1;

  /**
   * sorter.go's order of two strings: 1 when {@code a} sorts first, 0 when not, {@link #SURROGATE}
   * when read on chars ({@code cps} null) and a surrogate is met before the answer. With code
   * points given for a string holding surrogates, always 1 or 0.
   */
  private static int lessStrings(String as, int[] acps, String bs, int[] bcps) {
    int an0 = count(as, acps);
    int bn0 = count(bs, bcps);
    boolean digits = false;
    for (int i = 0; i < an0 && i < bn0; i++) {
      int ai0 = at(as, acps, i);
      int bi0 = at(bs, bcps, i);
      if (ai0 < 0 || bi0 < 0) {
        return SURROGATE;
      }
      if (ai0 == bi0) {
        digits = Character.isDigit(ai0);
        continue;
      }
      boolean al = Character.isLetter(ai0);
      boolean bl = Character.isLetter(bi0);
      if (al && bl) {
        return ai0 < bi0 ? 1 : 0;
      }
      if (al || bl) {
        return (digits ? al : bl) ? 1 : 0;
      }
      long an = 0;
      long bn = 0;
      if (ai0 == '0' || bi0 == '0') {
        // before i, every char was equal and not a surrogate
        for (int j = i - 1; j >= 0 && Character.isDigit(at(as, acps, j)); j--) {
          if (at(as, acps, j) != '0') {
            an = 1;
            bn = 1;
            break;
          }
        }
      }
      int ai = i;
      for (; ai < an0 && Character.isDigit(at(as, acps, ai)); ai++) {
        an = an * 10 + (at(as, acps, ai) - '0');
      }
      int bi = i;
      for (; bi < bn0 && Character.isDigit(at(bs, bcps, bi)); bi++) {
        bn = bn * 10 + (at(bs, bcps, bi) - '0');
      }
      if ((ai < an0 && at(as, acps, ai) < 0) || (bi < bn0 && at(bs, bcps, bi) < 0)) {
        return SURROGATE; // the digit run might go on in a code point beyond the BMP
      }
      if (an != bn) {
        return an < bn ? 1 : 0;
      }
      if (ai != bi) {
        return ai < bi ? 1 : 0;
      }
      return ai0 < bi0 ? 1 : 0;
    }
    // the shorter string was read whole without a surrogate: counting the longer one's chars or
    // code points gives the same answer
    return an0 < bn0 ? 1 : 0;
  }

  private static boolean numLess(Object a, Object b) {
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return !x && y;
    }
    if (a instanceof BigInteger x && b instanceof BigInteger y) {
      return x.compareTo(y) < 0;
    }
    if (a instanceof Double x && b instanceof Double y) {
      return x < y;
    }
    return ((Number) a).longValue() < ((Number) b).longValue();
  }
}
