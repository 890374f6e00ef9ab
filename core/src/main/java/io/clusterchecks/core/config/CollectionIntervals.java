package io.clusterchecks.core.config;

import java.util.Map;

/**
 * How often a check instance runs: its {@code min_collection_interval} in seconds, 15 when absent
 * or unusable (the agent's default). The load model divides run time by this interval (docs/reference/dispatcher.md section 10).
 */
public final class CollectionIntervals {
  public static final int DEFAULT_SECONDS = 15;

  private CollectionIntervals() {}

  public static int seconds(ConfigData instance) {
    try {
      return seconds(GoYaml.decode(instance.rawBytes()));
    } catch (GoYaml.YamlException | RuntimeException e) {
      // An instance the agent cannot read runs nowhere; the default keeps the estimate sane.
      return DEFAULT_SECONDS;
    }
  }

  /** The interval of an instance already decoded by {@link GoYaml#decode}. */
  static int seconds(Object decoded) {
    if (decoded instanceof Map<?, ?> map && map.get("min_collection_interval") instanceof Number n) {
      double v = n.doubleValue();
      if (v >= 1 && v <= 86_400) {
        return (int) v;
      }
    }
    return DEFAULT_SECONDS;
  }
}
