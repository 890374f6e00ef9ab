package io.clusterchecks.server.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns successive observations of the placement into timeline events: the dispatcher logs its
 * transitions but publishes no event stream, so the dashboard compares what it sees each tick.
 * A config on a new runner whose previous runner expired was re-dispatched; one that moved
 * between two live runners was rebalanced (or isolated). Many events of one kind in one tick
 * become one summary line, so a fleet-wide change cannot flood the ring.
 */
final class ChangeTracker {
  /** One observation: digest to runner, dangling digests, config labels, live runners, role. */
  record Observation(Map<String, String> assigned, Set<String> dangling, Map<String, String> labels,
      Set<String> runners, String role) {}

  private static final int DETAIL_LIMIT = 12;

  private final EventRing ring;
  private Observation previous;

  ChangeTracker(EventRing ring) {
    this.ring = ring;
  }

  void observe(long now, Observation o) {
    Observation p = previous;
    previous = o;
    if (p == null) {
      ring.add(now, "leadership", "dashboard started; this replica is " + o.role());
      p = new Observation(Map.of(), Set.of(), Map.of(), Set.of(), o.role());
    }
    if (!p.role().equals(o.role())) {
      ring.add(now, "leadership", "this replica is now " + o.role() + " (was " + p.role() + ")");
    }
    Set<String> expired = new HashSet<>(p.runners());
    expired.removeAll(o.runners());
    Set<String> joined = new HashSet<>(o.runners());
    joined.removeAll(p.runners());
    emit(now, "joined", "runner", sorted(joined));
    emit(now, "expired", "runner", sorted(expired));

    Map<String, List<String>> byKind = new HashMap<>();
    Map<String, Set<String>> rebalanced = new HashMap<>();
    for (Map.Entry<String, String> e : o.assigned().entrySet()) {
      String digest = e.getKey();
      String to = e.getValue();
      String from = p.assigned().get(digest);
      String label = o.labels().getOrDefault(digest, digest);
      if (from == null) {
        String kind = p.dangling().contains(digest) ? "re-dispatched" : "dispatched";
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(label + " to " + to);
      } else if (!from.equals(to)) {
        if (expired.contains(from)) {
          byKind.computeIfAbsent("re-dispatched", k -> new ArrayList<>()).add(label + " from " + from + " to " + to);
        } else {
          rebalanced.computeIfAbsent(from + " to " + to, k -> new HashSet<>()).add(label);
        }
      }
    }
    for (String digest : o.dangling()) {
      if (!p.dangling().contains(digest)) {
        String from = p.assigned().get(digest);
        byKind.computeIfAbsent("dangling", k -> new ArrayList<>()).add(
            o.labels().getOrDefault(digest, digest) + (from == null ? "" : " (was on " + from + ")"));
      }
    }
    for (String digest : p.assigned().keySet()) {
      if (!o.assigned().containsKey(digest) && !o.dangling().contains(digest)) {
        byKind.computeIfAbsent("removed", k -> new ArrayList<>()).add(p.labels().getOrDefault(digest, digest));
      }
    }
    for (String digest : p.dangling()) {
      if (!o.assigned().containsKey(digest) && !o.dangling().contains(digest)) {
        byKind.computeIfAbsent("removed", k -> new ArrayList<>()).add(p.labels().getOrDefault(digest, digest));
      }
    }
    for (String kind : List.of("dispatched", "re-dispatched", "dangling", "removed")) {
      List<String> items = byKind.getOrDefault(kind, List.of());
      emit(now, kind, "config", sorted(items));
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
