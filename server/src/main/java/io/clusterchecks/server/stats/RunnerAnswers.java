package io.clusterchecks.server.stats;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.stats.CheckStats;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes the runner API's answers (docs/reference/protocol.md section 6) as strictly as Go's decoder: a string
 * where a number belongs, a fraction in an integer field, trailing data, a top level that is not
 * an object — all are errors, and one error rejects the whole answer. Stats entries with an empty
 * check ID or a null value are dropped (the reference drops the empty key); absent fields read as
 * zero. Thread-safe.
 */
final class RunnerAnswers {
  /** A reasonable ceiling for a runner's check workers; the agent's default is 4. */
  static final int MAX_WORKERS = 10_000;

  private static final ObjectMapper STRICT = strictMapper();
  /** Entries are read mid-stream; trailing data is checked once for the whole document. */
  private static final ObjectReader STATS_ENTRY =
      STRICT.readerFor(CheckStats.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private RunnerAnswers() {}

  private static ObjectMapper strictMapper() {
    JsonMapper.Builder m = ((JsonMapper) ConfigCodec.JSON).rebuild();
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.withCoercionConfig(t, c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
    m.withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
    m.withCoercionConfig(LogicalType.Textual, c -> c
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    return m.build();
  }

  /** The body of {@code /stats}: check ID to stats. Throws on anything but a well-typed JSON object. */
  static Map<String, CheckStats> stats(byte[] body) throws IOException {
    Map<String, CheckStats> out = new LinkedHashMap<>();
    try (JsonParser p = STRICT.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String id = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.VALUE_NULL) {
          continue;
        }
        if (value != JsonToken.START_OBJECT) {
          throw new IOException("stats of check '" + printable(id) + "' are not an object");
        }
        CheckStats s;
        try {
          s = STATS_ENTRY.readValue(p);
        } catch (JacksonException e) {
          throw new IOException("stats of check '" + printable(id) + "': " + firstLine(e.getMessage()), e);
        }
        if (s.averageExecutionTimeMs() < 0) {
          throw new IOException("check '" + printable(id) + "' has a negative AverageExecutionTime");
        }
        if (!id.isEmpty()) {
          out.put(id, s);
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new IOException("malformed JSON object");
      }
      if (p.nextToken() != null) {
        throw new IOException("trailing data after the JSON object");
      }
    } catch (JacksonException e) {
      throw new IOException(e.getMessage(), e);
    }
    return out;
  }

  /** {@code Count} from the body of {@code /workers}. Throws when absent, mistyped or out of range. */
  static int workers(byte[] body) throws IOException {
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JacksonException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException("not a JSON object");
    }
    JsonNode count = root.get("Count");
    if (count == null || !count.isIntegralNumber() || !count.canConvertToInt()) {
      throw new IOException("no integer Count");
    }
    int n = count.intValue();
    if (n < 1 || n > MAX_WORKERS) {
      throw new IOException("Count out of range: " + n);
    }
    return n;
  }

  /** At most 80 characters, control characters replaced, for log lines. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 80; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > 80 ? sb + "…" : sb.toString();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
