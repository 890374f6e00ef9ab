package io.clusterchecks.core.dispatch;

import java.util.Map;
import java.util.Objects;

/**
 * Where every dispatched config runs (digest to worker name), as of one version of the placement.
 * Versions are the dispatcher's version tokens, (term, counter): strictly increasing within a
 * leadership, and greater in every later term, so "same version" means "same placement" and a
 * copy from an older term is recognisably a deposed leader's.
 */
public record PlacementCopy(long version, Map<String, String> byDigest) {
  /** No placement: not leading. */
  public static final PlacementCopy NONE = new PlacementCopy(0, Map.of());

  /** The leadership term this copy was made in; 0 for {@link #NONE}. */
  public long term() {
    return VersionClock.termOf(version);
  }

  /** @param byDigest unmodifiable, never changed afterwards (not copied: it can hold a million entries) */
  public PlacementCopy {
    Objects.requireNonNull(byDigest, "byDigest");
  }
}
