package io.clusterchecks.core.dispatch;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * Chooses the worker for a config: the one with the fewest configs, ties to the smallest name, so
 * the choice is the same on every run (the reference's ties follow Go map order, so they are
 * random). Nodes are kept ordered by (load, name): a choice is O(log n), never a scan of every
 * worker. Callers must {@link #remove} a node before changing its load and {@link #add} it after.
 * Dispatch thread only.
 */
final class Placement {
  private static final Comparator<NodeState> BY_LOAD_THEN_NAME =
      Comparator.comparingInt(NodeState::load).thenComparing(n -> n.name);

  private final TreeSet<NodeState> nodes = new TreeSet<>(BY_LOAD_THEN_NAME);

  void add(NodeState node) {
    nodes.add(node);
  }

  void remove(NodeState node) {
    nodes.remove(node);
  }

  /** The least-loaded node, or null when no node reports. */
  NodeState leastLoaded() {
    return nodes.isEmpty() ? null : nodes.first();
  }

  int size() {
    return nodes.size();
  }

  void clear() {
    nodes.clear();
  }
}
