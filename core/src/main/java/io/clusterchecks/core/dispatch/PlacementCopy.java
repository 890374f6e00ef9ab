package io.clusterchecks.core.dispatch;

import java.util.Map;

/**
 * Where every dispatched config runs (digest to worker name), as of one version of the placement.
 * Versions are the dispatcher's version tokens: strictly increasing within a leader, never
 * repeated across restarts, so "same version" means "same placement" for one leader.
 */
public record PlacementCopy(long version, Map<String, String> byDigest) {
  /** No placement: not leading. */
  public static final PlacementCopy NONE = new PlacementCopy(0, Map.of());

  /** @param byDigest unmodifiable, never changed afterwards (not copied: it can hold a million entries) */
  public PlacementCopy {
    java.util.Objects.requireNonNull(byDigest, "byDigest");
  }
}
