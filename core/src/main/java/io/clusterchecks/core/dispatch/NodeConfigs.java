package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.ConfigResponse;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable snapshot of what one worker must run, published by the dispatch thread after each
 * change and read by HTTP threads without locks. The JSON answer is encoded once per version, by
 * the first fetch, and then served as is.
 */
public final class NodeConfigs {
  private final String node;
  private final long lastChange;
  private final List<Config> configs;
  /** The dispatched configs behind {@link #configs}, by position, for their digests; empty for endpoints checks. */
  private final DispatchedConfig[] dispatched;
  private volatile byte[] responseJson;
  /** Someone read this version to answer a worker: only then can a worker echo it. */
  private volatile boolean served;

  NodeConfigs(String node, long lastChange, List<Config> configs) {
    this.node = node;
    this.lastChange = lastChange;
    this.configs = List.copyOf(configs);
    this.dispatched = NONE;
  }

  private NodeConfigs(String node, long lastChange, DispatchedConfig[] dispatched) {
    this.node = node;
    this.lastChange = lastChange;
    this.dispatched = dispatched;
    this.configs = new ConfigsOf(dispatched);
  }

  private static final DispatchedConfig[] NONE = {};

  /** The configs of dispatched configs, read through: one array per snapshot, not two lists. */
  private static final class ConfigsOf extends AbstractList<Config> implements RandomAccess {
    private final DispatchedConfig[] dispatched;

    ConfigsOf(DispatchedConfig[] dispatched) {
      this.dispatched = dispatched;
    }

    @Override
    public Config get(int index) {
      return dispatched[index].config();
    }

    @Override
    public int size() {
      return dispatched.length;
    }
  }

  /** What a worker runs, with the digests a placement copy names them by. */
  static NodeConfigs of(String node, long lastChange, Collection<DispatchedConfig> dispatched) {
    return new NodeConfigs(node, lastChange, dispatched.toArray(NONE));
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

  /**
   * The dispatched configs behind {@link #configs()}, in the same order, with their digests and
   * check IDs (computed once, when the config was prepared); empty for endpoints checks and for a
   * node that runs nothing. Read through, not copied.
   */
  public List<DispatchedConfig> dispatched() {
    return Collections.unmodifiableList(Arrays.asList(dispatched));
  }

  /** How many configs name a digest (none for endpoints checks). */
  int digestCount() {
    return dispatched.length;
  }

  /** The digest of the config at {@code index} of {@link #configs()}. */
  String digest(int index) {
    return dispatched[index].digest();
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
