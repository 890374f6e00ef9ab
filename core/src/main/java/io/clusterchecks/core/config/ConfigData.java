package io.clusterchecks.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * One YAML (or JSON) document of a check config, kept as the exact bytes it arrived in.
 *
 * <p>The Datadog wire format carries these as Go byte slices, which JSON encodes as base64 strings.
 * The bytes are kept verbatim (never re-encoded) because check IDs hash the raw bytes: a runner
 * and this agent must hash the very same bytes to agree on an ID.
 */
public final class ConfigData {
  private final byte[] bytes;

  private ConfigData(byte[] bytes) {
    this.bytes = bytes;
  }

  public static ConfigData of(byte[] bytes) {
    return new ConfigData(bytes.clone());
  }

  /** Takes {@code bytes} without a copy: for arrays made for it and never touched again. */
  static ConfigData wrap(byte[] bytes) {
    return new ConfigData(bytes);
  }

  private static final ConfigData EMPTY_MAP = ofText("{}");
  private static final ConfigData EMPTY_MAP_LINE = ofText("{}\n");

  /**
   * The same bytes, as one shared instance when they are an empty map ({@code {}}, what
   * {@code init_config: {}} marshals to): instances are immutable, and a million configs that
   * each held their own copy of those few bytes spent about 40 bytes apiece on it.
   */
  static ConfigData shared(ConfigData data) {
    if (data != null && data.bytes.length <= 3) {
      if (data.equals(EMPTY_MAP)) {
        return EMPTY_MAP;
      }
      if (data.equals(EMPTY_MAP_LINE)) {
        return EMPTY_MAP_LINE;
      }
    }
    return data;
  }

  public static ConfigData ofText(String text) {
    return new ConfigData(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes the base64 form used on the wire. */
  @JsonCreator
  public static ConfigData fromBase64(String base64) {
    return new ConfigData(Base64.getDecoder().decode(base64));
  }

  @JsonValue
  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A copy of the raw bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The raw bytes without a copy; callers must not modify them. */
  byte[] rawBytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigData other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return text();
  }
}
