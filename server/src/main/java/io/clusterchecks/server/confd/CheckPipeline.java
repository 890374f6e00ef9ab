package io.clusterchecks.server.confd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Checks items (stat, read, parse) on a pool while the caller is still listing them, and records
 * the results on the caller's thread, in the order the items were added.
 *
 * <p>Why: a full scan used to list every file first (one thread, the other core idle), then check
 * them all on every core, then record every result (one thread again). Here items are cut into
 * slices as they are added; a full slice goes to the pool at once, and between additions the
 * caller records the slices already checked. The caller also checks slices itself whenever the
 * pool has a backlog, and at {@link #finish()}: on two cores the common pool has one worker, and
 * the caller would otherwise wait while there is work. A slice is checked by whoever claims it
 * first, so one the pool never gets to (or a pool that runs nothing) costs no more than checking
 * it on the caller.
 *
 * <p>Recording starts only once a slice is full or at {@link #finish()}, so a small scan (under a
 * slice) is checked and recorded on the caller alone, as before. If checking an item throws, the
 * slices before it are recorded, the rest are dropped, and the exception is thrown to the caller
 * from {@link #add} or {@link #finish()}. Used by one thread (the caller); not reusable.
 *
 * @param <I> what is checked; made by the caller, so it must not change once added
 * @param <O> what checking gives
 */
final class CheckPipeline<I, O> {
  /** Unclaimed slices from which the caller checks one itself rather than only listing on. */
  private static final int BACKLOG = 2;

  private final Function<I, O> check;
  private final Consumer<O> record;
  private final int sliceSize;
  private final Executor pool;
  /** Slices handed to the pool and not recorded yet, oldest first. */
  private final ArrayDeque<Slice> pending = new ArrayDeque<>();
  private List<I> filling;
  private int added;
  private volatile boolean failed;

  /**
   * @param check run on the pool or the caller; must not touch what {@code record} changes
   * @param record run on the caller, once per item, in the order added
   */
  CheckPipeline(Function<I, O> check, Consumer<O> record, int sliceSize, Executor pool) {
    if (sliceSize < 1) {
      throw new IllegalArgumentException("sliceSize must be positive: " + sliceSize);
    }
    this.check = check;
    this.record = record;
    this.sliceSize = sliceSize;
    this.pool = pool;
    this.filling = new ArrayList<>(sliceSize);
  }

  /** How many items were added. */
  int added() {
    return added;
  }

  /** Adds an item; may record earlier ones, and may check a slice on this thread. */
  void add(I item) {
    filling.add(item);
    added++;
    if (filling.size() < sliceSize) {
      return;
    }
    Slice slice = new Slice(filling);
    filling = new ArrayList<>(sliceSize);
    pending.add(slice);
    pool.execute(slice::runIfUnclaimed);
    recordDone();
    if (unclaimed() >= BACKLOG) {
      for (Slice s : pending) {
        if (s.claim()) {
          s.run();
          break;
        }
      }
    }
    recordDone();
  }

  /** Checks what is left (here and on the pool) and records everything not recorded yet. */
  void finish() {
    if (!filling.isEmpty()) {
      pending.add(new Slice(filling)); // not handed to the pool: this thread checks it if it gets to it first
      filling = List.of();
    }
    while (!pending.isEmpty()) {
      recordDone();
      Slice todo = null;
      for (Slice s : pending) {
        if (s.claim()) {
          todo = s;
          break;
        }
      }
      if (todo != null) {
        todo.run();
      } else if (!pending.isEmpty()) {
        pending.peek().await();
      }
    }
  }

  /** Unclaimed slices, counted up to {@link #BACKLOG} (the claimed ones are at the head). */
  private int unclaimed() {
    int n = 0;
    for (Slice s : pending) {
      if (!s.claimed.get() && ++n == BACKLOG) {
        break;
      }
    }
    return n;
  }

  /** Records the checked slices at the head of the queue. */
  private void recordDone() {
    while (!pending.isEmpty() && pending.peek().done.getCount() == 0) {
      Slice s = pending.poll();
      if (s.failure != null) {
        failed = true; // slices still unclaimed are dropped
        pending.clear();
        throwUnchecked(s.failure);
      }
      for (O result : s.results) {
        record.accept(result);
      }
    }
  }

  private static void throwUnchecked(Throwable t) {
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t); // check is a Function: nothing else is thrown
  }

  /** Items checked together; claimed by the pool or the caller, whichever comes first. */
  private final class Slice {
    final List<I> items;
    final AtomicBoolean claimed = new AtomicBoolean();
    final CountDownLatch done = new CountDownLatch(1);
    /** Written before {@link #done} counts down, read after: the latch orders them. */
    List<O> results;
    Throwable failure;

    Slice(List<I> items) {
      this.items = items;
    }

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    void runIfUnclaimed() {
      if (!failed && claim()) {
        run();
      }
    }

    void run() {
      try {
        List<O> out = new ArrayList<>(items.size());
        for (I item : items) {
          out.add(check.apply(item));
        }
        results = out;
      } catch (RuntimeException | Error e) {
        failure = e;
      } finally {
        done.countDown();
      }
    }

    /** Waits until checked; an interrupt is kept for later, as the scan must record what it checked. */
    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
