package io.clusterchecks.core.dispatch;

import java.util.Arrays;

/**
 * The recent history of the placement, so that a follower holding the copy of version V is sent
 * only what changed since V ({@link PlacementChanges#since}) instead of the whole placement (about
 * 50 MB at a million configs). Every change of a config's worker made during a transition is
 * recorded here; the publish that gives the placement a new version closes them into one batch
 * under that version, and the window readers see is the run of batches up to it.
 *
 * <p>Memory is bounded by {@code limit}, counted in recorded changes (plus {@link #BATCH_COST} per
 * batch, so a churn of one-change batches is bounded too): the oldest batches leave the window
 * first; a transition that changes more than the limit (the first placement after a warmup,
 * a step-down) is not recorded at all and starts a new window at its version, as does a new
 * leadership. A change costs a long and a reference; configs themselves are not held, so a
 * removed config is not kept alive by the journal. Dispatch thread only.
 */
final class PlacementJournal {
  /** About 3 MB at the limit; at a million configs over 10,000 workers, some 2,600 workers' moves. */
  static final int DEFAULT_LIMIT = 1 << 18;
  /** What a batch costs against the limit besides its changes (its object and arrays). */
  static final int BATCH_COST = 4;

  private final int limit;
  private long[] digests = new long[16];
  /** The worker each digest now runs on; null when it runs nowhere any more. */
  private String[] workers = new String[16];
  private int pending;
  /** Changes since the last batch were not all recorded: the next version starts a new window. */
  private boolean lost;
  private PlacementChanges window = PlacementChanges.NONE;

  PlacementJournal(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** The config now runs on {@code worker}. */
  void placed(long digest, String worker) {
    record(digest, worker);
  }

  /** The config runs nowhere now (removed, or its worker is gone). */
  void removed(long digest) {
    record(digest, null);
  }

  private void record(long digest, String worker) {
    if (lost) {
      return;
    }
    if (pending + BATCH_COST >= limit) {
      forget();
      return;
    }
    if (pending == digests.length) {
      int grown = Math.min(limit, pending * 2);
      digests = Arrays.copyOf(digests, grown);
      workers = Arrays.copyOf(workers, grown);
    }
    digests[pending] = digest;
    workers[pending] = worker;
    pending++;
  }

  /** Too much changed to record it (or everything did): the next version starts a new window. */
  void forget() {
    lost = true;
    dropPending();
  }

  /**
   * The placement got {@code version}: what was recorded since the previous one becomes its
   * batch, and the window reaches back as far as the limit allows. Returns the new window.
   */
  PlacementChanges cut(long version) {
    if (lost || window == PlacementChanges.NONE) {
      window = PlacementChanges.startingAt(version);
    } else {
      window = window.append(new PlacementChanges.Batch(version, Arrays.copyOf(digests, pending),
          Arrays.copyOf(workers, pending)), limit);
    }
    lost = false;
    dropPending();
    return window;
  }

  /** A leadership starts or ends: versions of another term are never continued. */
  void reset() {
    window = PlacementChanges.NONE;
    lost = false;
    dropPending();
  }

  PlacementChanges window() {
    return window;
  }

  private void dropPending() {
    Arrays.fill(workers, 0, pending, null);
    pending = 0;
    if (digests.length > 1024) {
      // A large transition's buffers are not kept for the small ones that follow.
      digests = new long[16];
      workers = new String[16];
    }
  }
}
