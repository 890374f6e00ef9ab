package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.time.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The dispatch thread and its clock, stepped by a test. Tasks run at once unless the test holds
 * them, so it can line up dispatch work (a config, an expiry timer) and then choose where an HTTP
 * thread's call lands: before that work, after it, or in the middle of a task, at the dispatch
 * thread's n-th clock read, where a real thread could interleave. Timers are {@link ManualTime}'s,
 * fired into the same queue; a timer cancelled before its queued task runs does not run, as with
 * a real scheduled executor.
 */
final class SteppedDispatchThread implements TaskScheduler, InstantSource {
  final ManualTime time = new ManualTime();
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private boolean holding;
  private boolean draining;
  private int readsBeforeLanding;
  private Runnable landing;
  private boolean drainAtOutsideRead;

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (!holding) {
      drain();
    }
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    boolean[] cancelled = {false};
    Cancellable timer = time.schedule(() -> execute(() -> {
      if (!cancelled[0]) {
        task.run();
      }
    }), delay);
    return () -> {
      cancelled[0] = true;
      timer.cancel();
    };
  }

  @Override
  public boolean inSchedulerThread() {
    return draining;
  }

  @Override
  public Instant instant() {
    if (drainAtOutsideRead && !draining) {
      drainAtOutsideRead = false;
      drain();
    }
    if (landing != null && draining && readsBeforeLanding-- == 0) {
      Runnable r = landing;
      landing = null;
      r.run();
    }
    return time.instant();
  }

  /** Queues tasks and timers' work until {@link #settle()}. */
  void hold() {
    holding = true;
  }

  /**
   * Runs {@code httpCall} when the dispatch thread, draining, has read the clock {@code reads}
   * times (0: at its first read); if it reads the clock fewer times, the call runs after it.
   */
  void landAtRead(int reads, Runnable httpCall) {
    readsBeforeLanding = reads;
    landing = httpCall;
  }

  /**
   * Runs the queued work when a thread other than the dispatch thread next reads the clock: in
   * the middle of an HTTP thread's call, after it checked whether this replica leads and before
   * it records the heartbeat. Work that call queues is held until {@link #settle()}.
   */
  void drainAtNextOutsideRead() {
    drainAtOutsideRead = true;
  }

  /** While holding: runs the task at the head of the queue, and only it; false when none is queued. */
  boolean runNext() {
    Runnable r = queue.poll();
    if (r == null) {
      return false;
    }
    draining = true;
    try {
      r.run();
    } finally {
      draining = false;
    }
    return true;
  }

  int queued() {
    return queue.size();
  }

  /** Runs everything queued and every timer due now, then stops holding. */
  void settle() {
    holding = false;
    drainAtOutsideRead = false;
    do {
      drain();
      if (landing != null) {
        Runnable r = landing;
        landing = null;
        r.run();
      }
      time.advance(Duration.ZERO);
    } while (!queue.isEmpty());
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      Runnable r;
      while ((r = queue.poll()) != null) {
        r.run();
      }
    } finally {
      draining = false;
    }
  }

  @Override
  public void close() {
    queue.clear();
    time.close();
  }
}
