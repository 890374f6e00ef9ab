package io.clusterchecks.core.dispatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed in the placement from version {@code since} to version {@code version}: the
 * configs (by digest) that run on a worker now, with that worker, and the configs that run nowhere
 * any more. Each digest appears once, with its last state, so the order of applying does not
 * matter.
 */
public record PlacementDelta(long since, long version, Map<String, String> placed, List<String> removed) {
  public PlacementDelta {
    placed = Map.copyOf(placed);
    removed = List.copyOf(removed);
  }

  /** How many configs changed. */
  public int size() {
    return placed.size() + removed.size();
  }

  /**
   * The placement of {@link #version()} from that of {@link #since()}; {@code base} is not
   * changed. Unmodifiable.
   */
  public Map<String, String> applyTo(Map<String, String> base) {
    Objects.requireNonNull(base, "base");
    Map<String, String> next = new HashMap<>(Math.max(base.size(), base.size() + placed.size()) * 4 / 3 + 1);
    next.putAll(base);
    removed.forEach(next::remove);
    next.putAll(placed);
    return java.util.Collections.unmodifiableMap(next);
  }
}
