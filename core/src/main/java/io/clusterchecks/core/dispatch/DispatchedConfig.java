package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import java.util.List;

/**
 * A config as the dispatcher holds it: already patched for workers (docs/reference/wire-format.md section 3), with the digest that
 * identifies it on both sides and the check IDs that runners report stats under (docs/reference/wire-format.md section 4).
 * Computed once, off the dispatch thread, by {@link ConfigPreparer}.
 *
 * @param config the patched config, exactly as workers receive it
 * @param digest the digest of the patched config
 * @param checkIds one check ID per instance
 * @param intervalSeconds each instance's collection interval, aligned with {@code checkIds}
 */
public record DispatchedConfig(Config config, String digest, List<String> checkIds, List<Integer> intervalSeconds) {
  public DispatchedConfig {
    checkIds = List.copyOf(checkIds);
    intervalSeconds = List.copyOf(intervalSeconds);
    if (intervalSeconds.size() != checkIds.size()) {
      throw new IllegalArgumentException("one interval per check ID");
    }
  }

  public String checkName() {
    return config.checkName();
  }

  public boolean isEndpointsCheck() {
    return config.isEndpointsCheck();
  }

  /** {@code name:digest}, the way logs name a config. */
  public String label() {
    return config.checkName() + ":" + digest;
  }
}
