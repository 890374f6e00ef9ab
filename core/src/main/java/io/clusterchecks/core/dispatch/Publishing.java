package io.clusterchecks.core.dispatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Ends every transition: gives each node whose configs changed one new version token and an
 * immutable {@link NodeConfigs}, publishes the endpoints checks of the Kubernetes nodes that
 * changed, and publishes a new {@link DispatchView}. The work is proportional to what changed
 * plus the number of nodes, never to every config. Dispatch thread only.
 */
final class Publishing {
  /** Where snapshots go; implemented by {@link Dispatcher}. */
  interface Sink {
    void publishNode(NodeConfigs snapshot);

    void unpublishNode(String node);

    void publishEndpoints(NodeConfigs snapshot);

    void unpublishEndpoints(String k8sNode);

    void publishView(DispatchView view);

    /** Whether configs are placed and rebalanced by load now. */
    void loadAware(boolean on);
  }

  private final Sink sink;
  private final Changes changes;
  private final DispatchMetrics metrics;
  /** Tokens of the current leadership term; replaced by {@link #lead}. */
  private VersionClock versions = new VersionClock(1);
  /** Reporting and provisional nodes, by name: what the state view shows. */
  private final TreeMap<String, NodeState> shown = new TreeMap<>();
  private List<DispatchView.NodeEntry> entries = List.of();
  private long placementVersion;
  /** Counts the views whose state answer differs from the previous one's (only grows). */
  private long stateVersion;
  private DispatchView view = DispatchView.NONE;

  Publishing(Sink sink, Changes changes, DispatchMetrics metrics) {
    this.sink = sink;
    this.changes = changes;
    this.metrics = metrics;
  }

  Sink sink() {
    return sink;
  }

  /** A leadership starts: every token it issues carries its term. */
  void lead(long term) {
    versions = new VersionClock(term);
    placementVersion = 0;
    changes.journal.reset();
  }

  /** The node is shown from now on (it registered, or holds configs as a provisional node). */
  void show(NodeState node) {
    shown.put(node.name, node);
    changes.nodesChanged = true;
  }

  /** A fresh node answers with an empty list at version 0 rather than "unknown". */
  void publishEmpty(NodeState node) {
    node.published = new NodeConfigs(node.name, 0, List.of());
    sink.publishNode(node.published);
  }

  /** The node is gone: its snapshot and gauges go. */
  void hide(NodeState node) {
    shown.remove(node.name);
    changes.nodeGone(node);
    node.published = null;
    sink.unpublishNode(node.name);
    metrics.removeNode(node.name);
  }

  /** The placement as of the last publish; built by the caller's thread, here the dispatch thread. */
  PlacementCopy placementCopy() {
    return view.placementCopy();
  }

  /**
   * Publishes what changed and a new view of the whole state: the per-node snapshots of the nodes
   * that changed, then the view, whose node list is rebuilt (references only) when a node changed.
   */
  void publish(boolean active, ConfigInventory inventory, NodeRegistry registry, Assignments assignments,
      DanglingConfigs dangling) {
    boolean nodesChanged = changes.nodesChanged || !changes.dirtyNodes.isEmpty();
    for (NodeState node : changes.dirtyNodes) {
      node.dirty = false;
      node.version = versions.next();
      node.published = NodeConfigs.of(node.name, node.version, node.configs.values());
      sink.publishNode(node.published);
      metrics.dispatched(node.name, node.configs.size());
    }
    changes.dirtyNodes.clear();
    for (String k8sNode : changes.dirtyEndpoints) {
      Collection<DispatchedConfig> forNode = inventory.endpointsOf(k8sNode);
      if (forNode == null) {
        sink.unpublishEndpoints(k8sNode);
        metrics.endpointsDispatched(k8sNode, 0);
      } else {
        sink.publishEndpoints(new NodeConfigs(k8sNode, 0, forNode.stream().map(DispatchedConfig::config).toList()));
        metrics.endpointsDispatched(k8sNode, forNode.size());
      }
    }
    changes.dirtyEndpoints.clear();
    if (changes.placementMoved || (active && placementVersion == 0)) {
      placementVersion = versions.next();
      changes.journal.cut(placementVersion);
    }
    changes.placementMoved = false;
    changes.nodesChanged = false;
    if (nodesChanged) {
      List<DispatchView.NodeEntry> list = new ArrayList<>(shown.size());
      for (NodeState n : shown.values()) {
        if (n.published == null) {
          continue;
        }
        DispatchView.NodeEntry e = n.shownAs;
        if (e == null || e.configs() != n.published || e.provisional() != n.provisional) {
          e = new DispatchView.NodeEntry(n.published, n.provisional);
          n.shownAs = e;
        }
        list.add(e);
      }
      entries = java.util.Collections.unmodifiableList(list);
    }
    DispatchView.Counts counts = new DispatchView.Counts(registry.size(), assignments.size(), inventory.size(),
        inventory.endpointsCount(), dangling.unscheduledCount(), inventory.checkNames(), registry.typeCounts());
    List<DispatchedConfig> waiting = dangling.snapshot();
    // The node list and the waiting list are rebuilt only when they change, so identity says it.
    if (entries != view.nodes() || waiting != view.dangling() || active != view.active()) {
      stateVersion++;
    }
    view = new DispatchView(active, entries, waiting, placementVersion, stateVersion, counts,
        view.placementIfBuilt(), changes.journal.window());
    sink.publishView(view);
    metrics.nodesReporting(registry.size());
    metrics.dangling(dangling.size());
  }

  /** Leadership lost: nothing shown, nothing pending. */
  void clear() {
    shown.values().forEach(n -> n.published = null);
    shown.clear();
    entries = List.of();
    changes.clear();
    placementVersion = 0;
  }
}
