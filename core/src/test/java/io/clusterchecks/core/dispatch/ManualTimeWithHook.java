package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.ManualTime;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock over {@link ManualTime} that runs an action at its next read: lets a test make another
 * thread's call land exactly where the code under test reads the time.
 */
final class ManualTimeWithHook implements InstantSource {
  final ManualTime time = new ManualTime();
  private Runnable next;

  void onNextRead(Runnable action) {
    next = action;
  }

  @Override
  public Instant instant() {
    Runnable r = next;
    if (r != null) {
      next = null;
      r.run();
    }
    return time.instant();
  }
}
