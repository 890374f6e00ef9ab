package io.clusterchecks.core.dispatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses the worker for a config. Nodes are kept ordered so a choice is O(log n), never a scan
 * of every worker, and ties go to the smallest name, so the choice is the same on every run (the
 * reference's ties follow Go map order, so they are random).
 *
 * <ul>
 *   <li>{@link Mode#LOAD} (advanced dispatching): the lowest utilization, i.e. measured and
 *       estimated load over check workers; then fewest configs. Unlike the reference's random
 *       choice (docs/reference/known-problems.md item 7), a burst of new configs does not pile onto one node, because each
 *       placement adds the config's estimate to the node's load at once.
 *   <li>{@link Mode#COUNT}: the fewest configs, the reference's simple mode.
 * </ul>
 * Callers must {@link #remove} a node before changing anything the order reads and {@link #add}
 * it after. Dispatch thread only.
 */
final class Placement {
  enum Mode { COUNT, LOAD }

  private static final Comparator<NodeState> BY_COUNT =
      Comparator.comparingInt(NodeState::configCount).thenComparing(n -> n.name);
  private static final Comparator<NodeState> BY_UTILIZATION =
      Comparator.comparingDouble(NodeState::utilization).thenComparingInt(NodeState::configCount)
          .thenComparing(n -> n.name);

  private Mode mode = Mode.COUNT;
  private TreeSet<NodeState> nodes = new TreeSet<>(BY_COUNT);

  Mode mode() {
    return mode;
  }

  /** Switches the order; every node is re-sorted. */
  void mode(Mode m) {
    if (m == mode) {
      return;
    }
    mode = m;
    reorder();
  }

  /** Re-sorts every node, after their loads changed all at once (new runner stats). */
  void reorder() {
    List<NodeState> all = new ArrayList<>(nodes);
    nodes = new TreeSet<>(mode == Mode.LOAD ? BY_UTILIZATION : BY_COUNT);
    nodes.addAll(all);
  }

  void add(NodeState node) {
    nodes.add(node);
  }

  void remove(NodeState node) {
    nodes.remove(node);
  }

  /** The node a new config goes to, or null when no node reports. */
  NodeState leastLoaded() {
    return nodes.isEmpty() ? null : nodes.first();
  }

  /** The best node other than {@code excluded}, or null. */
  NodeState leastLoadedExcept(NodeState excluded) {
    for (NodeState n : nodes) {
      if (n != excluded) {
        return n;
      }
    }
    return null;
  }

  int size() {
    return nodes.size();
  }

  void clear() {
    nodes.clear();
  }
}
