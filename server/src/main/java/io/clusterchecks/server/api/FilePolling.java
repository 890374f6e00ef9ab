package io.clusterchecks.server.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The daemon thread that re-reads a watched file (token, certificate) at a fixed delay. */
final class FilePolling {
  private FilePolling() {}

  /** Runs {@code poll} every {@code interval}, first after one interval; shut it down to stop. */
  static ScheduledExecutorService every(Duration interval, String threadName, Runnable poll) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return executor;
  }
}
