package io.clusterchecks.core.config;

import java.util.List;

/**
 * Receives configs from a config source (conf.d files, Kubernetes annotations). Sources call it
 * with only what changed: configs they now produce, and configs they no longer produce.
 * Implementations must be thread-safe: sources call from their own threads.
 */
public interface ConfigListener {
  void schedule(List<Config> configs);

  void unschedule(List<Config> configs);
}
