package io.clusterchecks.core.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Which worker runs each config, and the choice of worker for the next one: the digest-to-node
 * map, the nodes ordered for that choice ({@link Placement}) and the loads that order reads
 * ({@link LoadModel}). Every change records what readers must be told in {@link Changes}.
 * Dispatch thread only.
 */
final class Assignments {
  private final DigestMap<NodeState> byDigest = DigestMap.map();
  private final Placement choice = new Placement();
  private final LoadModel loads = new LoadModel();
  private final Changes changes;

  Assignments(Changes changes) {
    this.changes = changes;
  }

  /** The node running the config, or null when it is not assigned. */
  NodeState nodeOf(String digest) {
    return byDigest.get(digest);
  }

  NodeState nodeOf(DispatchedConfig dc) {
    return byDigest.get(dc.digestBits());
  }

  int size() {
    return byDigest.size();
  }

  Placement choice() {
    return choice;
  }

  LoadModel loads() {
    return loads;
  }

  /** The node a new config goes to, or null when none reports. */
  NodeState leastLoaded() {
    return choice.leastLoaded();
  }

  /** A node that reports may be chosen from now on; its load is summed from its configs again. */
  void offer(NodeState node) {
    node.configLoad = sumOfLoads(node);
    choice.add(node);
  }

  void assign(DispatchedConfig dc, NodeState node) {
    choice.remove(node);
    node.configs.put(dc, dc);
    node.configLoad += loads.load(dc);
    if (!node.provisional) {
      choice.add(node);
    }
    byDigest.put(dc, node);
    changes.placed(dc, node);
    changes.nodeConfigs(node);
  }

  /** Takes the config off its node; returns the node, or null when it was not assigned. */
  NodeState unassign(DispatchedConfig config) {
    NodeState node = byDigest.remove(config.digestBits());
    if (node == null) {
      return null;
    }
    choice.remove(node);
    DispatchedConfig dc = node.configs.remove(config.digestBits());
    node.configLoad = node.configs.isEmpty() ? 0 : node.configLoad - loads.load(dc);
    if (!node.provisional) {
      choice.add(node);
    }
    changes.removed(dc);
    changes.nodeConfigs(node);
    return node;
  }

  void move(DispatchedConfig dc, NodeState to) {
    unassign(dc);
    assign(dc, to);
  }

  /** The node is gone: returns its configs, in assignment order, assigned to nobody now. */
  List<DispatchedConfig> release(NodeState node) {
    choice.remove(node);
    List<DispatchedConfig> released = new ArrayList<>(node.configs.values());
    for (DispatchedConfig dc : released) {
      byDigest.remove(dc.digestBits());
      changes.removed(dc);
    }
    node.configs.clear();
    node.configLoad = 0;
    return released;
  }

  /** Loads were re-measured: every node's load is summed again and the choice re-sorted. */
  void resum(Iterable<NodeState> nodes) {
    for (NodeState n : nodes) {
      n.configLoad = sumOfLoads(n);
    }
    choice.reorder();
  }

  private double sumOfLoads(NodeState node) {
    double sum = 0;
    for (DispatchedConfig dc : node.configs.values()) {
      sum += loads.load(dc);
    }
    return sum;
  }

  /** Leadership lost. */
  void clear() {
    if (!byDigest.isEmpty()) {
      changes.placementCleared();
    }
    byDigest.clear();
    choice.clear();
    loads.clear();
  }
}
