package io.clusterchecks.core.config;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON mapper for everything on the wire: {@link Config} and the protocol messages in
 * {@code io.clusterchecks.core.wire}. Immutable once built, so one shared instance is safe.
 */
public final class ConfigCodec {
  /**
   * Unknown fields are ignored (newer peers add fields); absent fields read as zero values (a
   * legacy agent's status has no {@code node_type}), as with Go's decoder; scalars are not coerced
   * across types (a string where a number belongs is an error, as with Go's decoder).
   */
  public static final ObjectMapper JSON = buildMapper();

  private ConfigCodec() {}

  private static ObjectMapper buildMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // Jackson 2's defaults, which Jackson 3 turned: properties in declaration order, null
        // for a primitive reads as its zero value, and what follows the value is not read.
        .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .withCoercionConfig(LogicalType.Textual, c -> c
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
    return mapper;
  }

  public static byte[] toJson(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  public static String toJsonString(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JacksonException e) {
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  /** @throws IOException malformed JSON or a value of the wrong shape (Jackson 3's exceptions are unchecked) */
  public static <T> T fromJson(byte[] json, Class<T> type) throws IOException {
    try {
      return JSON.readValue(json, type);
    } catch (JacksonException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  public static <T> T fromJson(String json, Class<T> type) throws IOException {
    try {
      return JSON.readValue(json, type);
    } catch (JacksonException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
