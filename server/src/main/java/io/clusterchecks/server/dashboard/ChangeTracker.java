package io.clusterchecks.server.dashboard;

import io.clusterchecks.core.dispatch.DispatchedConfig;
import io.clusterchecks.core.dispatch.NodeConfigs;
import io.clusterchecks.core.dispatch.ShownNodes;
import java.util.AbstractList;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns successive observations of the placement into timeline events: the dispatcher logs its
 * transitions but publishes no event stream, so the dashboard compares what it sees each tick.
 * A config on a new runner whose previous runner expired was re-dispatched; one that moved
 * between two live runners was rebalanced (or isolated). Many events of one kind in one tick
 * become one summary line, so a fleet-wide change cannot flood the ring.
 *
 * <p>Only what changed is compared. The dispatcher replaces a node's snapshot exactly when that
 * node's configs change and keeps its waiting list while it is unchanged, so a config of a node
 * whose snapshot is the same object did not move: the configs read are those of the nodes that
 * changed (and the waiting ones, when they changed), never a map of every config, which at a
 * million configs was rebuilt at every look while configs moved and outlived young collections.
 * Configs are matched by {@link DispatchedConfig#equals} (its digest), as the placement names them.
 */
final class ChangeTracker {
  private static final int DETAIL_LIMIT = 12;

  private final EventRing ring;
  /** The role of the last observation; null before the first. */
  private String role;
  /** The nodes of the last observation, in name order (as {@link ShownNodes} lists them). */
  private List<NodeConfigs> nodes = List.of();
  private List<DispatchedConfig> waiting = List.of();
  private boolean runnersChanged;
  private long configsRead;

  ChangeTracker(EventRing ring) {
    this.ring = ring;
  }

  /** The runners of the last observation, looked up in its name-ordered list (no copy). */
  Set<String> runners() {
    List<NodeConfigs> shown = nodes;
    List<String> names = new AbstractList<>() {
      @Override
      public String get(int index) {
        return shown.get(index).node();
      }

      @Override
      public int size() {
        return shown.size();
      }
    };
    return new AbstractSet<>() {
      @Override
      public boolean contains(Object o) {
        return o instanceof String name && Collections.binarySearch(names, name) >= 0;
      }

      @Override
      public Iterator<String> iterator() {
        return names.iterator();
      }

      @Override
      public int size() {
        return names.size();
      }
    };
  }

  /** Whether a runner joined or expired at the last observation. */
  boolean runnersChanged() {
    return runnersChanged;
  }

  /** How many configs the last observation read (tests: only those of the nodes that changed). */
  long configsRead() {
    return configsRead;
  }

  void observe(long now, ShownNodes shown, String role) {
    if (this.role == null) {
      ring.add(now, "leadership", "dashboard started; this replica is " + role);
    } else if (!this.role.equals(role)) {
      ring.add(now, "leadership", "this replica is now " + role + " (was " + this.role + ")");
    }
    this.role = role;
    configsRead = 0;
    // Both lists are in name order: one walk finds the runners that joined or expired and the
    // nodes whose snapshot changed, with no map of the fleet.
    List<NodeConfigs> current = shown.nodes();
    List<String> joined = new ArrayList<>();
    List<String> expiredNames = new ArrayList<>();
    List<NodeConfigs> changedBefore = new ArrayList<>();
    List<NodeConfigs> changedAfter = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < nodes.size() || j < current.size()) {
      NodeConfigs before = i < nodes.size() ? nodes.get(i) : null;
      NodeConfigs after = j < current.size() ? current.get(j) : null;
      int order = before == null ? 1 : after == null ? -1 : before.node().compareTo(after.node());
      if (order < 0) {
        expiredNames.add(before.node());
        changedBefore.add(before);
        i++;
      } else if (order > 0) {
        joined.add(after.node());
        changedAfter.add(after);
        j++;
      } else {
        if (before != after) {
          changedBefore.add(before);
          changedAfter.add(after);
        }
        i++;
        j++;
      }
    }
    runnersChanged = !joined.isEmpty() || !expiredNames.isEmpty();
    emit(now, "joined", "runner", joined);
    emit(now, "expired", "runner", expiredNames);
    Set<String> expired = new HashSet<>(expiredNames);

    // What left the nodes that changed, and what came to them; a config that left and came back
    // to the same node did not move.
    Map<DispatchedConfig, String> left = new HashMap<>();
    for (NodeConfigs before : changedBefore) {
      for (DispatchedConfig dc : read(before)) {
        left.put(dc, before.node());
      }
    }
    Map<DispatchedConfig, String> came = new HashMap<>();
    for (NodeConfigs after : changedAfter) {
      for (DispatchedConfig dc : read(after)) {
        if (after.node().equals(left.get(dc))) {
          left.remove(dc);
        } else {
          came.put(dc, after.node());
        }
      }
    }
    // The waiting list is the same object while it is unchanged; then nothing joined or left it.
    boolean waitingChanged = shown.waiting() != waiting;
    Set<DispatchedConfig> waitedBefore = waitingChanged ? readAll(waiting) : Set.of();
    Set<DispatchedConfig> waitsNow = waitingChanged ? readAll(shown.waiting()) : Set.of();

    Map<String, List<String>> byKind = new HashMap<>();
    Map<String, Set<String>> rebalanced = new HashMap<>();
    for (Map.Entry<DispatchedConfig, String> e : came.entrySet()) {
      String label = e.getKey().label();
      String to = e.getValue();
      String from = left.get(e.getKey());
      if (from == null) {
        String kind = waitedBefore.contains(e.getKey()) ? "re-dispatched" : "dispatched";
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(label + " to " + to);
      } else if (expired.contains(from)) {
        byKind.computeIfAbsent("re-dispatched", k -> new ArrayList<>()).add(label + " from " + from + " to " + to);
      } else {
        rebalanced.computeIfAbsent(from + " to " + to, k -> new HashSet<>()).add(label);
      }
    }
    for (DispatchedConfig dc : waitingChanged ? shown.waiting() : List.<DispatchedConfig>of()) {
      if (!waitedBefore.contains(dc)) {
        String from = left.get(dc);
        byKind.computeIfAbsent("dangling", k -> new ArrayList<>()).add(
            dc.label() + (from == null ? "" : " (was on " + from + ")"));
      }
    }
    for (DispatchedConfig dc : left.keySet()) {
      if (!came.containsKey(dc) && !waitsNow.contains(dc)) {
        byKind.computeIfAbsent("removed", k -> new ArrayList<>()).add(dc.label());
      }
    }
    for (DispatchedConfig dc : waitedBefore) {
      if (!came.containsKey(dc) && !waitsNow.contains(dc)) {
        byKind.computeIfAbsent("removed", k -> new ArrayList<>()).add(dc.label());
      }
    }
    for (String kind : List.of("dispatched", "re-dispatched", "dangling", "removed")) {
      emit(now, kind, "config", sorted(byKind.getOrDefault(kind, List.of())));
    }
    if (!rebalanced.isEmpty()) {
      int moves = rebalanced.values().stream().mapToInt(Set::size).sum();
      List<String> pairs = rebalanced.entrySet().stream()
          .map(e -> e.getValue().size() + " from " + e.getKey())
          .sorted()
          .toList();
      ring.add(now, "rebalanced", moves + (moves == 1 ? " config moved: " : " configs moved: ")
          + join(pairs));
    }
    nodes = current;
    waiting = shown.waiting();
  }

  private List<DispatchedConfig> read(NodeConfigs snapshot) {
    List<DispatchedConfig> configs = snapshot.dispatched();
    configsRead += configs.size();
    return configs;
  }

  private Set<DispatchedConfig> readAll(List<DispatchedConfig> configs) {
    configsRead += configs.size();
    return new HashSet<>(configs);
  }

  private void emit(long now, String kind, String noun, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    if (items.size() == 1) {
      ring.add(now, kind, noun + " " + items.get(0));
    } else {
      ring.add(now, kind, items.size() + " " + noun + "s: " + join(items));
    }
  }

  private static String join(List<String> items) {
    String shown = String.join(", ", items.subList(0, Math.min(DETAIL_LIMIT, items.size())));
    return items.size() > DETAIL_LIMIT ? shown + ", ... (" + (items.size() - DETAIL_LIMIT) + " more)" : shown;
  }

  private static List<String> sorted(Collection<String> items) {
    return items.stream().sorted().toList();
  }
}
