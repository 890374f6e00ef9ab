package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.PreparedConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns configs from a source into {@link DispatchedConfig}s: filters (docs/reference/dispatcher.md section 2 steps 1 to 3), patches
 * (docs/reference/wire-format.md section 3), hashes. Pure and thread-safe, so it runs on the source's thread and keeps YAML work off
 * the dispatch thread.
 */
final class ConfigPreparer {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigPreparer.class);

  private final Set<String> excludeChecks;
  private final List<String> extraTags;

  ConfigPreparer(Set<String> excludeChecks, List<String> extraTags) {
    this.excludeChecks = excludeChecks;
    this.extraTags = extraTags;
  }

  /**
   * Prepares configs to schedule. Excluded, non-cluster, metrics-excluded and unpatchable configs
   * are dropped, each with a log line saying why.
   */
  List<DispatchedConfig> forSchedule(List<Config> configs) {
    List<DispatchedConfig> out = new ArrayList<>(configs.size());
    for (Config c : configs) {
      if (excludeChecks.contains(c.checkName())) {
        LOG.info("Excluding check due to config: {}", c.checkName());
        continue;
      }
      DispatchedConfig d = prepare(c);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** Prepares configs to unschedule; no exclude filter, as the reference (docs/reference/dispatcher.md section 2). */
  List<DispatchedConfig> forUnschedule(List<Config> configs) {
    List<DispatchedConfig> out = new ArrayList<>(configs.size());
    for (Config c : configs) {
      DispatchedConfig d = prepare(c);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  private DispatchedConfig prepare(Config c) {
    if (!c.clusterCheck()) {
      LOG.debug("Ignoring config {}: not a cluster check", c.checkName());
      return null;
    }
    if (c.metricsExcluded()) {
      LOG.debug("Ignoring config {} from {}: metrics excluded", c.checkName(), c.source());
      return null;
    }
    try {
      PreparedConfig p = PreparedConfig.of(c, extraTags);
      return new DispatchedConfig(p.config(), p.digest(), p.checkIds(), p.intervalSeconds());
    } catch (RuntimeException e) {
      LOG.warn("Skipping config {} from {}: cannot prepare it for dispatch: {}",
          c.checkName(), c.source(), e.getMessage());
      return null;
    }
  }
}
