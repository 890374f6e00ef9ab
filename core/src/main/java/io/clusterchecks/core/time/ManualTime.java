package io.clusterchecks.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.PriorityQueue;

/**
 * A clock and a scheduler that move only when told to, for deterministic tests and simulations.
 *
 * <p>{@link #execute} runs tasks on the calling thread (queued if a task is already running, so
 * tasks never nest); timers fire in deadline order, each with the clock set to its deadline, when
 * {@link #advance} passes them. Methods are synchronized, so a test may drive time from its own
 * thread while HTTP threads of a server under test enqueue work; the work still runs one task at
 * a time.
 */
public final class ManualTime implements InstantSource, TaskScheduler {
  private Instant now;
  private long sequence;
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> a.deadline.equals(b.deadline)
          ? Long.compare(a.sequence, b.sequence)
          : a.deadline.compareTo(b.deadline));
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  public ManualTime(Instant start) {
    this.now = start;
  }

  /** Starts at a fixed, arbitrary instant so runs are reproducible. */
  public ManualTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public synchronized void execute(Runnable task) {
    queue.add(task);
    drain();
  }

  private void drain() {
    if (running) {
      return;
    }
    running = true;
    try {
      Runnable r;
      while ((r = queue.poll()) != null) {
        r.run();
      }
    } finally {
      running = false;
    }
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Timer t = new Timer(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
    timers.add(t);
    return () -> t.cancelled = true;
  }

  @Override
  public boolean inSchedulerThread() {
    return true;
  }

  /** Moves the clock forward, firing every timer due on the way, in order. */
  public synchronized void advance(Duration d) {
    Instant target = now.plus(d);
    while (true) {
      Timer t = timers.peek();
      if (t == null || t.deadline.isAfter(target)) {
        break;
      }
      timers.poll();
      if (t.cancelled) {
        continue;
      }
      now = t.deadline;
      execute(t.task);
    }
    now = target;
  }

  public void advanceSeconds(long seconds) {
    advance(Duration.ofSeconds(seconds));
  }

  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  /** Timers not yet fired nor cancelled. */
  public synchronized long pendingTimers() {
    return timers.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public synchronized void close() {
    timers.clear();
    queue.clear();
  }

  private static final class Timer {
    final Instant deadline;
    final long sequence;
    final Runnable task;
    boolean cancelled;

    Timer(Instant deadline, long sequence, Runnable task) {
      this.deadline = deadline;
      this.sequence = sequence;
      this.task = task;
    }
  }
}
