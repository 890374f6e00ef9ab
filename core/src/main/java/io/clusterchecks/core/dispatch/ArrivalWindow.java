package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import java.time.Duration;

/**
 * Spreads configs that wait for a node over the workers that arrive, instead of giving them all
 * to the first that reports. When configs wait and no worker reports (a cold start, a leader whose
 * warmup ended before any worker reached it, every worker expired), the first worker to report
 * opens the window; waiting configs, and configs added meanwhile, keep waiting until it closes,
 * then go to the least-loaded of every worker that reported by then.
 *
 * <p>Why a window rather than placing at once by the least-loaded rule: with no worker reporting
 * there is nothing to weigh the first reporter against (the previous placement's provisional nodes
 * help only after a leader change, and not at all when they expired or there was no copy), so any
 * rule that places at once gives the first reporter everything, and moving configs off it later
 * would be the churn we avoid. The cost is bounded and falls only on configs that had no worker
 * anyway: they wait one window longer. The window is fixed from the first report (a steady
 * trickle of arrivals never extends it). Dispatch thread only.
 */
final class ArrivalWindow {
  private final Duration length;
  private TaskScheduler.Cancellable timer;

  ArrivalWindow(Duration length) {
    this.length = length;
  }

  /** Whether waiting configs are held now. */
  boolean holding() {
    return timer != null;
  }

  Duration length() {
    return length;
  }

  /**
   * Opens the window, which calls {@code close} when it ends. Returns false, and does nothing,
   * when the window is off (zero) or already open.
   */
  boolean open(TaskScheduler scheduler, Runnable close) {
    if (length.isZero() || timer != null) {
      return false;
    }
    timer = scheduler.schedule(() -> {
      timer = null;
      close.run();
    }, length);
    return true;
  }

  /** Leadership lost: the window goes with the leader state. */
  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
