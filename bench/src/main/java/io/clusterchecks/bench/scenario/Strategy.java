package io.clusterchecks.bench.scenario;

import java.util.List;

/**
 * One dispatching strategy as the simulation drives it: where a new config goes, what happens when
 * runners join or leave, and what the periodic rebalance does. A strategy only changes the
 * placement through {@link World#assign}, which counts moves.
 */
public interface Strategy {
  String name();

  /** Where a new config goes (a live runner). */
  SimRunner place(World w, int config);

  /**
   * Runners joined and/or left in one membership update (already applied to {@link World#alive()}).
   * {@code orphans} are the configs of the runners that left, unplaced; they must all be placed
   * again. Default: each orphan in turn as if it were new.
   */
  default void membership(World w, List<SimRunner> joined, List<SimRunner> left, int[] orphans) {
    for (int c : orphans) {
      w.assign(c, place(w, c));
    }
  }

  /** New configs, born together (the start, a burst). Default: each in turn. */
  default void placeAll(World w, int[] configs) {
    for (int c : configs) {
      w.assign(c, place(w, c));
    }
  }

  /** The periodic rebalance, right after a stats collection. */
  default void rebalance(World w) {}

  /** Whether {@link #rebalance} does anything (for the CPU column). */
  default boolean rebalances() {
    return false;
  }
}
