package io.clusterchecks.core.dispatch;

import java.util.LinkedHashMap;

/**
 * One worker as the dispatch thread sees it: the configs assigned to it, in assignment order, and
 * its current version token. Dispatch thread only.
 */
final class NodeState {
  final String name;
  final LinkedHashMap<String, DispatchedConfig> configs = new LinkedHashMap<>();
  /** 0 until something is assigned, as the reference: a fresh worker echoing 0 is up to date. */
  long version;
  /** Changed since the last publish; gets a new version token at the end of the current task. */
  boolean dirty;

  NodeState(String name) {
    this.name = name;
  }

  int load() {
    return configs.size();
  }

  @Override
  public String toString() {
    return name + "(" + configs.size() + " configs)";
  }
}
