package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.ConfigResponse;
import java.util.List;

/**
 * An immutable snapshot of what one worker must run, published by the dispatch thread after each
 * change and read by HTTP threads without locks. The JSON answer is encoded once per version, by
 * the first fetch, and then served as is.
 */
public final class NodeConfigs {
  private final String node;
  private final long lastChange;
  private final List<Config> configs;
  private volatile byte[] responseJson;
  /** Someone read this version to answer a worker: only then can a worker echo it. */
  private volatile boolean served;

  NodeConfigs(String node, long lastChange, List<Config> configs) {
    this.node = node;
    this.lastChange = lastChange;
    this.configs = List.copyOf(configs);
  }

  public String node() {
    return node;
  }

  /** The version token the worker echoes in its next status. */
  public long lastChange() {
    return lastChange;
  }

  void markServed() {
    if (!served) {
      served = true;
    }
  }

  boolean served() {
    return served;
  }

  public List<Config> configs() {
    return configs;
  }

  public ConfigResponse toResponse() {
    return new ConfigResponse(lastChange, configs);
  }

  /** {@code {"last_change":..,"configs":[..]}}, encoded on first use; callers must not modify it. */
  public byte[] responseJson() {
    byte[] json = responseJson;
    if (json == null) {
      // Benign race: two first readers may both encode; the results are equal.
      json = ConfigCodec.toJson(toResponse());
      responseJson = json;
    }
    return json;
  }
}
