package io.clusterchecks.core.stats;

import java.util.Map;

/**
 * What one runner reported: per check ID stats ({@code /api/v1/clcrunner/stats}) and its number
 * of check workers ({@code /api/v1/clcrunner/workers}; the reference assumes 4 when unknown).
 *
 * @param node the worker (node) name the dispatcher knows the runner by
 * @param collectedAtMillis when the stats were fetched
 */
public record RunnerStats(String node, Map<String, CheckStats> checks, int workers, long collectedAtMillis) {
  /** The agent's default {@code check_runners}, assumed when a runner does not say. */
  public static final int DEFAULT_WORKERS = 4;

  public RunnerStats {
    checks = Map.copyOf(checks);
    if (workers < 1) {
      workers = DEFAULT_WORKERS;
    }
  }
}
