package io.clusterchecks.core.config;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The one YAML dialect of the config path: Go's {@code gopkg.in/yaml.v2} 2.4.0, which is what the
 * Datadog agent reads conf.d files with and writes every part a worker receives with
 * (docs/reference/wire-format.md).
 *
 * <p>Values are yaml.v2's generic values: {@code null}, {@link Boolean}, {@link Long},
 * {@link java.math.BigInteger} (uint64 above int64), {@link Double}, {@link String},
 * {@link java.util.List} and {@link Map} with keys of any of the scalar types (a key {@code 1}
 * stays the number 1). Decoding follows YAML 1.1 resolution ({@code y}, {@code off} are booleans,
 * {@code 1e400} stays a string); marshalling sorts map keys at every depth in yaml.v2's natural
 * order ({@code _u < Zed < a2 < a10}).
 *
 * <p>Stateless and thread-safe.
 */
public final class YamlV2 {
  private YamlV2() {}

  /** A text yaml.v2 refuses, with the 1-based position of the problem when known (else -1). */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    SyntaxError(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }

  /** {@code yaml.Unmarshal(text, &iface)}: the first document's value, null for an empty one. */
  public static Object decode(byte[] yaml) throws SyntaxError {
    try {
      return GoYaml.decode(yaml);
    } catch (GoYaml.YamlException e) {
      throw syntaxError(e);
    }
  }

  /** {@link #decode(byte[])} of a UTF-8 text. */
  public static Object decode(String yaml) throws SyntaxError {
    return decode(yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code yaml.Marshal(value)}: keys sorted at every depth, as UTF-8 bytes. */
  public static byte[] marshal(Object value) {
    return GoYamlEmitter.marshal(value, true);
  }

  /** {@link #marshal} as text. */
  public static String marshalToString(Object value) {
    return GoYamlEmitter.marshalToString(value, true);
  }

  /**
   * The value yaml.v2 reads back from {@code marshal(value)}. Usually {@code value} itself; not
   * when a float is integral ({@code 1.0} is written {@code 1} and reads back as an int), a string
   * key is {@code <<} (it reads back as a merge key), or two keys print alike.
   *
   * @throws SyntaxError when the written text does not read back (a {@code <<} key whose value
   *     is not a map)
   */
  public static Object reread(Object value) throws SyntaxError {
    if (value instanceof Map<?, ?> map && RoundTrip.isIdentity(map)) {
      return value;
    }
    return decode(marshal(value));
  }

  /** Go's {@code fmt.Sprint} of a decoded value ({@code ~} prints {@code <nil>}, {@code 1.0} prints {@code 1}). */
  public static String sprint(Object value) {
    return GoYaml.sprint(value);
  }

  private static SyntaxError syntaxError(GoYaml.YamlException e) {
    Throwable cause = e.getCause();
    if (cause instanceof MarkedYAMLException marked) {
      Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
      if (mark != null) {
        String problem = marked.getProblem() != null ? marked.getProblem() : e.getMessage();
        return new SyntaxError(problem, mark.getLine() + 1, mark.getColumn() + 1);
      }
    }
    return new SyntaxError(e.getMessage(), -1, -1);
  }
}
