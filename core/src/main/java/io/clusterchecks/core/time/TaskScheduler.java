package io.clusterchecks.core.time;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the dispatcher runs its work: one logical thread for every state change, and timers.
 * Production uses {@link #singleThread(String)}; tests and simulations use {@link ManualTime},
 * which runs tasks on the caller and fires timers only when time is advanced.
 */
public interface TaskScheduler extends AutoCloseable {

  /** Runs the task on the scheduler's thread, after every task submitted before it. */
  void execute(Runnable task);

  /** Runs the task once after the delay; the returned handle cancels it if it has not run. */
  Cancellable schedule(Runnable task, Duration delay);

  /** Whether the calling thread is the one that runs this scheduler's tasks. */
  boolean inSchedulerThread();

  @Override
  void close();

  /** A pending timer. Cancelling a timer that already ran does nothing. */
  interface Cancellable {
    void cancel();
  }

  /** A daemon single-thread scheduler named {@code name}. */
  static TaskScheduler singleThread(String name) {
    return new SingleThread(name);
  }

  /** The production scheduler: a single-thread {@link ScheduledExecutorService}. */
  final class SingleThread implements TaskScheduler {
    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    private SingleThread(String name) {
      this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        thread = t;
        return t;
      });
    }

    @Override
    public void execute(Runnable task) {
      executor.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public boolean inSchedulerThread() {
      return Thread.currentThread() == thread;
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
