package io.clusterchecks.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
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
        .build();
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  public static byte[] toJson(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toJsonString(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T fromJson(byte[] json, Class<T> type) throws IOException {
    return JSON.readValue(json, type);
  }

  public static <T> T fromJson(String json, Class<T> type) throws IOException {
    return JSON.readValue(json, type);
  }
}
