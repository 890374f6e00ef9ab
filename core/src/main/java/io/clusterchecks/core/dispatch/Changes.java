package io.clusterchecks.core.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a transition changed and the next publish must hand to readers: nodes whose configs
 * changed (each gets one new version token), Kubernetes nodes whose endpoints checks changed,
 * whether a config changed worker (a new placement version), and whether the set of nodes shown
 * changed. Written by every part of the dispatch state, emptied by {@link Publishing}. Dispatch
 * thread only.
 */
final class Changes {
  final List<NodeState> dirtyNodes = new ArrayList<>();
  final TreeSet<String> dirtyEndpoints = new TreeSet<>();
  /** Which config changed worker, for followers that ask what changed since their copy. */
  final PlacementJournal journal;
  boolean placementMoved;
  boolean nodesChanged;

  Changes(int journalLimit) {
    this.journal = new PlacementJournal(journalLimit);
  }

  /** The config runs on {@code node} now. */
  void placed(DispatchedConfig dc, NodeState node) {
    placementMoved = true;
    journal.placed(dc.digestBits(), node.name);
  }

  /** The config runs nowhere now. */
  void removed(DispatchedConfig dc) {
    placementMoved = true;
    journal.removed(dc.digestBits());
  }

  /** Every config stopped running where it ran (leadership lost): too much to record. */
  void placementCleared() {
    placementMoved = true;
    journal.forget();
  }

  void nodeConfigs(NodeState node) {
    if (!node.dirty) {
      node.dirty = true;
      dirtyNodes.add(node);
    }
  }

  /** The node is gone: nothing to publish for it any more. */
  void nodeGone(NodeState node) {
    if (node.dirty) {
      node.dirty = false;
      dirtyNodes.remove(node);
    }
    nodesChanged = true;
  }

  void endpoints(String k8sNode) {
    dirtyEndpoints.add(k8sNode);
  }

  void clear() {
    dirtyNodes.forEach(n -> n.dirty = false);
    dirtyNodes.clear();
    dirtyEndpoints.clear();
    placementMoved = false;
    nodesChanged = false;
    journal.reset();
  }
}
