package io.clusterchecks.server.settings;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One value for every declared {@link Setting}, read with the setting's own type: {@code
 * values.get(Keys.CLUSTER_AGENT_CMD_PORT)} is an {@code Integer}, no cast at the call site. Only
 * {@link SettingsLoader} fills one ({@link Builder}); what it builds is immutable.
 */
public final class SettingValues {
  private final Map<Setting<?>, Object> values;

  private SettingValues(Map<Setting<?>, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** The value of {@code setting}. */
  public <T> T get(Setting<T> setting) {
    Object v = values.get(setting);
    if (v == null) {
      throw new IllegalArgumentException("not a declared setting: " + setting.key());
    }
    return cast(v);
  }

  /**
   * Safe because {@link Builder#put} takes only a {@code T} for a {@code Setting<T>}: the one cast
   * of the schema, here rather than at each reader.
   */
  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SettingValues other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "SettingValues[" + values.size() + " keys]";
  }

  /** Filled by the loader: every declared default first, then what the sources say. */
  static final class Builder {
    private final Map<Setting<?>, Object> values = new HashMap<>();

    Builder() {
      Keys.ALL.forEach(this::putDefault);
    }

    private <T> void putDefault(Setting<T> s) {
      put(s, s.defaultValue());
    }

    <T> void put(Setting<T> setting, T value) {
      values.put(setting, Objects.requireNonNull(value, setting.key()));
    }

    <T> T get(Setting<T> setting) {
      return cast(values.get(setting));
    }

    SettingValues build() {
      return new SettingValues(values);
    }
  }
}
