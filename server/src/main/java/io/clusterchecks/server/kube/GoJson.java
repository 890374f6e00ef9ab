package io.clusterchecks.server.kube;

import tools.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What Go's {@code json.Marshal} writes for a JSON value that {@code json.Unmarshal} has just read
 * into an {@code interface{}}: the reference turns annotation instances (and v1
 * {@code init_configs}, and the {@code logs} annotation) into such text before any template
 * variable is resolved.
 *
 * <p>Why the exact text matters: the resolver reads it back with yaml.v2, so what a worker receives
 * depends on how each number was written. Every number went through a float64: {@code 1.0} is
 * written {@code 1} (an integer once read as YAML), {@code 12345678901234567890} is written
 * {@code 12345678901234567000} (float64's shortest digits), {@code 1e21} is written
 * {@code 1e+21}. A number beyond float64's range is refused, as {@code json.Unmarshal} refuses it.
 * Object keys are sorted bytewise; strings are escaped as Go escapes them ({@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 too).
 *
 * <p>Stateless and thread-safe.
 */
final class GoJson {
  private static final String HEX = "0123456789abcdef";
  /** Go's string order: bytewise on UTF-8, which is code point order. */
  private static final Comparator<String> BYTEWISE =
      (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

  private GoJson() {}

  /** A JSON number that does not fit a float64. */
  static final class OutOfRange extends Exception {
    private static final long serialVersionUID = 1L;

    OutOfRange() {
      super("json: cannot unmarshal a number beyond the range of Go's float64", null, false, false);
    }
  }

  static String marshal(JsonNode node) throws OutOfRange {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) throws OutOfRange {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isNumber()) {
      double d = node.numberValue().doubleValue(); // Jackson 3 throws on a double out of range; Go reads it as infinite, refused below
      if (Double.isInfinite(d) || Double.isNaN(d)) {
        throw new OutOfRange();
      }
      out.append(formatFloat(d));
    } else if (node.isString()) {
      writeString(node.stringValue(), out);
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.propertyNames().forEach(keys::add);
      keys.sort(BYTEWISE);
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        out.append(i == 0 ? "" : ",");
        writeString(keys.get(i), out);
        out.append(':');
        write(node.get(keys.get(i)), out);
      }
      out.append('}');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  /**
   * Go's float64 encoding: shortest digits that read back as {@code d}, without an exponent from
   * 1e-6 up to 1e21, else with one ({@code 1e+21}, {@code 1e-7}).
   */
  static String formatFloat(double d) {
    if (d == 0) {
      return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
    }
    double abs = Math.abs(d);
    BigDecimal shortest = shortestDigits(abs);
    String sign = d < 0 ? "-" : "";
    if (abs >= 1e-6 && abs < 1e21) {
      return sign + shortest.toPlainString();
    }
    String digits = shortest.unscaledValue().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
  }

  private static BigDecimal shortestDigits(double abs) {
    BigDecimal exact = new BigDecimal(abs);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == abs) {
        return rounded.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            unicodeEscape(c, out);
          } else if (Character.isSurrogate(c)) {
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape('\ufffd', out); // Go replaces an unpaired surrogate
            }
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u").append(HEX.charAt(c >> 12 & 0xF)).append(HEX.charAt(c >> 8 & 0xF))
        .append(HEX.charAt(c >> 4 & 0xF)).append(HEX.charAt(c & 0xF));
  }
}
