package io.clusterchecks.server.api;

import io.clusterchecks.core.wire.NodeStatus;

/**
 * Reads the status body every worker sends every few seconds, {@code {"last_change":N,"node_type":N}},
 * straight from its bytes: under load Jackson's data binding of this two-field document was the
 * largest part of a heartbeat's own time (docs/benchmarks.md, "Worker API against bare Jetty").
 *
 * <p>It only recognizes: one object whose members are {@code last_change} and {@code node_type},
 * each at most once, in either order, either absent, their values plain JSON integers (no
 * fraction, exponent, leading zero, {@code -0} or {@code null}) small enough not to overflow,
 * JSON whitespace between tokens. Anything else (another member, an escape in a name, a string
 * value, a number out of that range, trailing bytes, another encoding) answers null, and the
 * caller decodes with Jackson: so every error, and every value Jackson reads otherwise, stays
 * Jackson's.
 */
final class PlainStatusBody {
  private static final String LAST_CHANGE = "\"last_change\"";
  private static final String NODE_TYPE = "\"node_type\"";
  /** 18 digits never overflow a long; 9 never overflow an int. */
  private static final int MAX_LONG_DIGITS = 18;
  private static final int MAX_INT_DIGITS = 9;

  private PlainStatusBody() {}

  /** The status {@code body} holds, or null when it is not in the shape described above. */
  static NodeStatus read(byte[] body) {
    Cursor c = new Cursor(body);
    if (!c.skipSpaceAndTake('{')) {
      return null;
    }
    long lastChange = 0;
    long nodeType = 0;
    boolean sawLastChange = false;
    boolean sawNodeType = false;
    if (c.skipSpaceAndTake('}')) {
      return c.atEndAfterSpace() ? new NodeStatus(0, 0) : null;
    }
    while (true) {
      c.skipSpace();
      boolean isLastChange;
      if (c.take(LAST_CHANGE)) {
        isLastChange = true;
      } else if (c.take(NODE_TYPE)) {
        isLastChange = false;
      } else {
        return null; // another member, or a name with an escape
      }
      if (isLastChange ? sawLastChange : sawNodeType) {
        return null; // a member seen twice: Jackson decides which value counts
      }
      sawLastChange |= isLastChange;
      sawNodeType |= !isLastChange;
      if (!c.skipSpaceAndTake(':')) {
        return null;
      }
      c.skipSpace();
      long value = c.integer(isLastChange ? MAX_LONG_DIGITS : MAX_INT_DIGITS);
      if (c.failed) {
        return null;
      }
      if (isLastChange) {
        lastChange = value;
      } else {
        nodeType = value;
      }
      if (c.skipSpaceAndTake('}')) {
        return c.atEndAfterSpace() ? new NodeStatus(lastChange, (int) nodeType) : null;
      }
      if (!c.take(',')) {
        return null;
      }
    }
  }

  /** A read position in the body; {@link #failed} once a number is malformed. */
  private static final class Cursor {
    private final byte[] b;
    private int i;
    boolean failed;

    Cursor(byte[] b) {
      this.b = b;
    }

    void skipSpace() {
      while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
        i++;
      }
    }

    boolean take(char expected) {
      if (i < b.length && b[i] == expected) {
        i++;
        return true;
      }
      return false;
    }

    boolean skipSpaceAndTake(char expected) {
      skipSpace();
      return take(expected);
    }

    /** An ASCII token, byte for byte. */
    boolean take(String token) {
      if (b.length - i < token.length()) {
        return false;
      }
      for (int k = 0; k < token.length(); k++) {
        if (b[i + k] != token.charAt(k)) {
          return false;
        }
      }
      i += token.length();
      return true;
    }

    boolean atEndAfterSpace() {
      skipSpace();
      return i == b.length;
    }

    /** A JSON integer of at most {@code maxDigits} digits, not {@code -0}, not followed by . e E. */
    long integer(int maxDigits) {
      boolean negative = take('-');
      int start = i;
      long v = 0;
      while (i < b.length && b[i] >= '0' && b[i] <= '9') {
        v = v * 10 + (b[i] - '0');
        i++;
      }
      int digits = i - start;
      boolean leadingZero = digits > 1 && b[start] == '0';
      boolean fraction = i < b.length && (b[i] == '.' || b[i] == 'e' || b[i] == 'E');
      if (digits == 0 || digits > maxDigits || leadingZero || fraction || (negative && v == 0)) {
        failed = true;
        return 0;
      }
      return negative ? -v : v;
    }
  }
}
