package io.clusterchecks.core.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The window of the placement's history readers see: the batches of changes from its oldest
 * version to its newest (the placement version of the view that holds it), each batch what
 * changed to make its version. Immutable for readers; {@link PlacementJournal} builds each window
 * from the previous one in constant time, sharing the batches.
 */
final class PlacementChanges {
  /** No history: not leading, or no placement version yet. */
  static final PlacementChanges NONE = new PlacementChanges(null, null, 0);

  /**
   * The changes that made one placement version. {@code next} is written once, by the dispatch
   * thread, before any window that reaches past this batch is published; a reader of an older
   * window stops at its own newest batch and never reads it.
   */
  static final class Batch {
    final long version;
    final long[] digests;
    final String[] workers;
    Batch next;

    Batch(long version, long[] digests, String[] workers) {
      this.version = version;
      this.digests = digests;
      this.workers = workers;
    }

    long cost() {
      return digests.length + PlacementJournal.BATCH_COST;
    }
  }

  private final Batch oldest;
  private final Batch newest;
  private final long cost;

  private PlacementChanges(Batch oldest, Batch newest, long cost) {
    this.oldest = oldest;
    this.newest = newest;
    this.cost = cost;
  }

  /** A window that knows only {@code version}: changes since it can be told from the next one on. */
  static PlacementChanges startingAt(long version) {
    Batch b = new Batch(version, new long[0], new String[0]);
    return new PlacementChanges(b, b, b.cost());
  }

  /** This window and {@code batch}, without its oldest batches while it costs more than {@code limit}. */
  PlacementChanges append(Batch batch, int limit) {
    newest.next = batch;
    Batch first = oldest;
    long total = cost + batch.cost();
    while (total > limit && first != batch) {
      total -= first.cost();
      first = first.next;
    }
    return new PlacementChanges(first, batch, total);
  }

  /** The oldest version changes can be told since; 0 when none. */
  long oldestVersion() {
    return oldest == null ? 0 : oldest.version;
  }

  /** The newest version: that of the placement as of this window. */
  long newestVersion() {
    return newest == null ? 0 : newest.version;
  }

  /** What this window costs against the journal's limit. */
  long cost() {
    return cost;
  }

  /**
   * What changed from the placement of {@code version} to this window's newest: each config's
   * last worker, or its removal. Empty when {@code version} is not one of this window's (older
   * than its oldest, of another term, never issued): the reader then needs the whole placement.
   * Built on the caller's thread, proportional to the changes since {@code version}.
   */
  Optional<PlacementDelta> since(long version) {
    if (oldest == null || version <= 0) {
      return Optional.empty();
    }
    Batch from = oldest;
    while (from.version != version) {
      if (from == newest) {
        return Optional.empty();
      }
      from = from.next;
    }
    LinkedHashMap<Long, String> last = new LinkedHashMap<>();
    for (Batch b = from; b != newest; ) {
      b = b.next;
      for (int i = 0; i < b.digests.length; i++) {
        last.put(b.digests[i], b.workers[i]);
      }
    }
    Map<String, String> placed = new HashMap<>(last.size() * 4 / 3 + 1);
    List<String> removed = new ArrayList<>();
    last.forEach((digest, worker) -> {
      String hex = Long.toHexString(digest);
      if (worker == null) {
        removed.add(hex);
      } else {
        placed.put(hex, worker);
      }
    });
    return Optional.of(new PlacementDelta(version, newest.version, placed, removed));
  }
}
