package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.ConfigResponse;
import java.util.ArrayList;
import java.util.Collection;
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
  /** The digest of each config, by position; what a placement copy is built from. */
  private final List<String> digests;
  private volatile byte[] responseJson;
  /** Someone read this version to answer a worker: only then can a worker echo it. */
  private volatile boolean served;

  NodeConfigs(String node, long lastChange, List<Config> configs) {
    this.node = node;
    this.lastChange = lastChange;
    this.configs = List.copyOf(configs);
    this.digests = List.of();
  }

  private NodeConfigs(String node, long lastChange, List<Config> configs, List<String> digests) {
    this.node = node;
    this.lastChange = lastChange;
    this.configs = configs;
    this.digests = digests;
  }

  /** What a worker runs, with the digests a placement copy names them by. */
  static NodeConfigs of(String node, long lastChange, Collection<DispatchedConfig> dispatched) {
    List<Config> configs = new ArrayList<>(dispatched.size());
    List<String> digests = new ArrayList<>(dispatched.size());
    for (DispatchedConfig dc : dispatched) {
      configs.add(dc.config());
      digests.add(dc.digest());
    }
    return new NodeConfigs(node, lastChange, java.util.Collections.unmodifiableList(configs),
        java.util.Collections.unmodifiableList(digests));
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

  /** Digests of {@link #configs()}, by position (empty for endpoints checks). */
  List<String> digests() {
    return digests;
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
