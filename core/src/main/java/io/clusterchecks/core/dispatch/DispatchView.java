package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The dispatch state as readers see it: an immutable snapshot the dispatch thread publishes at
 * the end of every transition, so the state and stats views, the followers' placement pulls, the
 * balancing loop and the dashboard read it without waiting for that thread. A read made after a
 * change's task ran (a command's future completed) sees the change.
 *
 * <p>It is cheap to publish: it shares the per-node {@link NodeConfigs} snapshots and the list of
 * waiting configs, and holds counters. What is proportional to every config (the state answer's
 * lists, the placement copy) is built by the reader that asks, on its own thread; the placement
 * copy once per placement version, then shared.
 */
final class DispatchView {
  /** One node as shown: what it runs, and whether it is provisional (not reported yet). */
  record NodeEntry(NodeConfigs configs, boolean provisional) {}

  /** Counters for {@link DispatchStats}; {@code nodeCount} counts reporting nodes only. */
  record Counts(int nodeCount, int activeConfigs, int totalConfigs, int endpointsConfigs,
      int unscheduledChecks, Set<String> checkNames, Map<NodeType, Integer> nodeTypes) {}

  static final DispatchView NONE = new DispatchView(false, List.of(), List.of(), 0, 0,
      new Counts(0, 0, 0, 0, 0, Set.of(), Map.of()), null, PlacementChanges.NONE);

  private final boolean active;
  private final List<NodeEntry> nodes;
  private final List<DispatchedConfig> dangling;
  private final long placementVersion;
  private final long stateVersion;
  private final Counts counts;
  private volatile PlacementCopy placement;
  /** The placement's recent changes, up to {@link #placementVersion}. */
  private final PlacementChanges changes;

  DispatchView(boolean active, List<NodeEntry> nodes, List<DispatchedConfig> dangling, long placementVersion,
      long stateVersion, Counts counts, PlacementCopy placement, PlacementChanges changes) {
    this.active = active;
    this.nodes = nodes;
    this.dangling = dangling;
    this.placementVersion = placementVersion;
    this.stateVersion = stateVersion;
    this.counts = counts;
    this.placement = placement != null && placement.version() == placementVersion ? placement : null;
    this.changes = changes;
  }

  /** Warmup is over and configs are placed. */
  boolean active() {
    return active;
  }

  List<NodeEntry> nodes() {
    return nodes;
  }

  List<DispatchedConfig> dangling() {
    return dangling;
  }

  long placementVersion() {
    return placementVersion;
  }

  /** Changes whenever {@link #state()} would differ: the node list, the waiting list or {@link #active()}. */
  long stateVersion() {
    return stateVersion;
  }

  /** The placement copy if a reader built it already (passed on while the placement is unchanged). */
  PlacementCopy placementIfBuilt() {
    return placement;
  }

  /** The placement's recent changes (see {@link PlacementJournal}), ending at {@link #placementVersion}. */
  PlacementChanges placementChanges() {
    return changes;
  }

  /** The node snapshots and the waiting list themselves, read through (no list of every config). */
  ShownNodes shown() {
    return new ShownNodes(stateVersion, new SnapshotsOf(nodes), dangling);
  }

  /** The snapshots of the node entries, read through: one small object per reader, not a copy. */
  private static final class SnapshotsOf extends AbstractList<NodeConfigs> implements RandomAccess {
    private final List<NodeEntry> entries;

    SnapshotsOf(List<NodeEntry> entries) {
      this.entries = entries;
    }

    @Override
    public NodeConfigs get(int index) {
      return entries.get(index).configs();
    }

    @Override
    public int size() {
      return entries.size();
    }
  }

  StateResponse state() {
    List<StateResponse.Node> shown = nodes.stream()
        .map(n -> new StateResponse.Node(n.configs().node(), n.configs().configs(), List.of(), n.provisional()))
        .toList();
    List<Config> waiting = dangling.stream().map(DispatchedConfig::config).toList();
    return new StateResponse("", !active, shown, waiting);
  }

  DispatchStats stats(boolean leading, boolean warmingUp) {
    Counts c = counts;
    return new DispatchStats(leading, warmingUp, c.nodeCount(), c.activeConfigs(), dangling.size(),
        c.totalConfigs(), c.endpointsConfigs(), c.unscheduledChecks(), c.checkNames(), c.nodeTypes());
  }

  /**
   * Where every assigned config runs, by digest, with the version of this placement; built by the
   * first reader of this version (at a million configs, tens of milliseconds of its own thread).
   */
  PlacementCopy placementCopy() {
    PlacementCopy copy = placement;
    if (copy == null) {
      int size = nodes.stream().mapToInt(n -> n.configs().digestCount()).sum();
      Map<String, String> byDigest = new HashMap<>(size * 4 / 3 + 1);
      for (NodeEntry n : nodes) {
        NodeConfigs c = n.configs();
        for (int i = 0; i < c.digestCount(); i++) {
          byDigest.put(c.digest(i), c.node());
        }
      }
      // Benign race: two first readers may both build it; the copies are equal.
      copy = new PlacementCopy(placementVersion, java.util.Collections.unmodifiableMap(byDigest));
      placement = copy;
    }
    return copy;
  }
}
