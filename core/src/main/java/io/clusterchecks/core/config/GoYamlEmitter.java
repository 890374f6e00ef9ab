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
    if (v instanceof Map<?, ?> m) {
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
    } else {
      emitScalar(scalarOf(v));
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
    // each key's scalar is worked out once, and sorting compares the code points it holds
    Scalar[] scalars = new Scalar[keys.length];
    for (int i = 0; i < keys.length; i++) {
      scalars[i] = scalarOf(keys[i]);
    }
    Integer[] order = new Integer[keys.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (sortKeys && keys.length > 1) {
      java.util.Arrays.sort(order, (x, y) -> compareKeys(keys[x], codePointsOfKey(keys[x], scalars[x]),
          keys[y], codePointsOfKey(keys[y], scalars[y])));
    }
    increaseIndent(false, false);
    for (int i : order) {
      Object k = keys[i];
      Scalar key = scalars[i];
      writeIndent();
      if (!key.analysis.multiline && utf8Length(key.text) <= 128) {
        emitKey(k, key, true);
        writeIndicator(":", false, false, false);
      } else {
        writeIndicator("?", true, false, true);
        emitKey(k, key, false);
        writeIndent();
        writeIndicator(":", true, false, true);
      }
      emitNode(m.get(k), true, false);
    }
    popIndent();
  }

  /** A string key's code points (its scalar's text is the string itself), else null. */
  private static int[] codePointsOfKey(Object k, Scalar s) {
    return k instanceof String ? s.codePoints : null;
  }

  /** {@code emitNode(k, true, simpleKey)}, reusing the key's scalar analysis when it is one. */
  private void emitKey(Object k, Scalar key, boolean simpleKey) {
    if (k instanceof Map<?, ?> || k instanceof List<?>) {
      emitNode(k, true, simpleKey);
      return;
    }
    mappingContext = true;
    simpleKeyContext = simpleKey;
    emitScalar(key);
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

  /** {@code codePoints}: the text's code points, worked out once for analysis and writing. */
  private record Scalar(String text, int[] codePoints, Style requested, Analysis analysis) {}

  private static Scalar scalarOf(Object v) {
    String text;
    Style style = Style.PLAIN;
    if (v == null) {
      text = "null";
    } else if (v instanceof String s) {
      text = s;
      boolean canUsePlain = GoYaml.resolvesToString(s) && !GoYaml.isBase60Float(s);
      if (s.indexOf('\n') >= 0) {
        style = Style.LITERAL;
      } else if (!canUsePlain) {
        style = Style.DOUBLE;
      }
    } else if (v instanceof Double d) {
      String g = GoYaml.formatFloat(d);
      text = switch (g) {
        case "+Inf" -> ".inf";
        case "-Inf" -> "-.inf";
        case "NaN" -> ".nan";
        default -> g;
      };
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
      text = v.toString();
    } else {
      text = String.valueOf(v);
    }
    int[] cps = codePoints(text);
    return new Scalar(text, cps, style, analyze(text, cps));
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

  private void emitScalar(Scalar s) {
    Analysis a = s.analysis;
    Style style = s.requested;
    if (simpleKeyContext && a.multiline) {
      style = Style.DOUBLE;
    }
    if (style == Style.PLAIN) {
      if (!a.blockPlainAllowed || (s.text.isEmpty() && simpleKeyContext)) {
        style = Style.SINGLE;
      }
    }
    if (style == Style.SINGLE && !a.singleQuotedAllowed) {
      style = Style.DOUBLE;
    }
    if (style == Style.LITERAL && (!a.blockAllowed || simpleKeyContext)) {
      style = Style.DOUBLE;
    }
    increaseIndent(true, false);
    int[] cps = s.codePoints;
    switch (style) {
      case PLAIN -> writePlain(cps, !simpleKeyContext);
      case SINGLE -> writeSingleQuoted(cps, !simpleKeyContext);
      case DOUBLE -> writeDoubleQuoted(cps, !simpleKeyContext);
      case LITERAL -> writeLiteral(cps);
    }
    popIndent();
  }

  // ... and what the emitter allows (emitterc.go analyze_scalar)

  private record Analysis(boolean multiline, boolean blockPlainAllowed,
                          boolean singleQuotedAllowed, boolean blockAllowed) {}

  private static Analysis analyze(String value, int[] cps) {
    if (value.isEmpty()) {
      return new Analysis(false, true, true, false);
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
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      boolean last = i == cps.length - 1;
      boolean followedByWhitespace = last || isBlank(cps[i + 1]);
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
    return new Analysis(lineBreaks, blockPlain, single, block);
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

  private void writePlain(int[] v, boolean allowBreaks) {
    if (!whitespace) {
      put(' ');
    }
    boolean spaces = false;
    boolean breaks = false;
    for (int i = 0; i < v.length; i++) {
      int c = v[i];
      if (c == ' ') {
        if (allowBreaks && !spaces && column > BEST_WIDTH && i + 1 < v.length && v[i + 1] != ' ') {
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
    return compareKeys(a, a instanceof String as ? codePoints(as) : null, b,
        b instanceof String bs ? codePoints(bs) : null);
  }

  /** {@link #compareKeys(Object, Object)} given each string key's code points (null otherwise). */
  private static int compareKeys(Object a, int[] ar, Object b, int[] br) {
    return less(a, ar, b, br) ? -1 : less(b, br, a, ar) ? 1 : 0;
  }

  private static boolean less(Object a, int[] ar, Object b, int[] br) {
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
    if (!(a instanceof String) || !(b instanceof String)) {
      return ak < bk;
    }
    boolean digits = false;
    for (int i = 0; i < ar.length && i < br.length; i++) {
      if (ar[i] == br[i]) {
        digits = Character.isDigit(ar[i]);
        continue;
      }
      boolean al = Character.isLetter(ar[i]);
      boolean bl = Character.isLetter(br[i]);
      if (al && bl) {
        return ar[i] < br[i];
      }
      if (al || bl) {
        return digits ? al : bl;
      }
      long an = 0;
      long bn = 0;
      if (ar[i] == '0' || br[i] == '0') {
        for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
          if (ar[j] != '0') {
            an = 1;
            bn = 1;
            break;
          }
        }
      }
      int ai = i;
      for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
        an = an * 10 + (ar[ai] - '0');
      }
      int bi = i;
      for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
        bn = bn * 10 + (br[bi] - '0');
      }
      if (an != bn) {
        return an < bn;
      }
      if (ai != bi) {
        return ai < bi;
      }
      return ar[i] < br[i];
    }
    return ar.length < br.length;
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
