package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.wire.NodeType;

/**
 * One worker as the dispatch thread sees it: the configs assigned to it, in assignment order, its
 * current version token, and its load. Dispatch thread only.
 */
final class NodeState {
  final String name;
  final DigestMap<DispatchedConfig> configs = DigestMap.set();
  /** 0 until something is assigned, as the reference: a fresh worker echoing 0 is up to date. */
  long version;
  /** Changed since the last publish; gets a new version token at the end of the current task. */
  boolean dirty;
  /** Check workers of the runner; the agent's default until its stats say otherwise. */
  int workers = RunnerStats.DEFAULT_WORKERS;
  /** Load of the configs we dispatched to it (measured or estimated). */
  double configLoad;
  /** Load of checks it runs that are not ours (node checks); counted, never moved. */
  double externalLoad;
  /** What reported: node agents switch load-aware dispatching off while they are in the pool. */
  NodeType type = NodeType.UNKNOWN;
  /**
   * Named by the previous leader's placement but not reported to this leader yet: it holds its
   * configs and is never chosen for others (see {@link ProvisionalNodes}).
   */
  boolean provisional;
  /** The snapshot last published for it (null until its first publish). */
  NodeConfigs published;
  /** How the readers' view last showed it; replaced only when its snapshot or flag changed. */
  DispatchView.NodeEntry shownAs;

  NodeState(String name) {
    this.name = name;
  }

  /** How many configs it runs; the count mode orders nodes by it. */
  int configCount() {
    return configs.size();
  }

  double utilization() {
    return (configLoad + externalLoad) / workers;
  }

  @Override
  public String toString() {
    return name + "(" + configs.size() + " configs)";
  }
}
