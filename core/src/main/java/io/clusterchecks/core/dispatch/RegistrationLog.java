package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * Logs workers registering, in a number of lines that does not grow with the fleet. A worker
 * that registers alone gets its INFO line, as before; one that registers within {@link #WINDOW}
 * of an INFO line is part of a burst (a fleet starting, a leader taking over, workers coming back
 * after a pause) and gets a DEBUG line, and each {@link #WINDOW} of the burst ends with one INFO
 * line counting them; a window without a registration ends the burst. At 10,000 workers a line
 * per worker was 10,000 lines formatted and written by the dispatch thread in the minute the
 * fleet also fetches its configs (docs/benchmarks.md, "A million configs and 10,000 workers").
 * Dispatch thread only; the window is a timer of the dispatcher's scheduler.
 */
final class RegistrationLog {
  /** How long a burst's count runs before its line. */
  static final Duration WINDOW = Duration.ofSeconds(10);

  private final Logger log;
  private final TaskScheduler scheduler;
  private final IntSupplier reporting;
  /** A burst is open: registrations are counted, and a timer will log the count. */
  private boolean open;
  private int counted;
  private String first;
  private String last;

  /** @param reporting how many nodes report now, for the burst's line */
  RegistrationLog(Logger log, TaskScheduler scheduler, IntSupplier reporting) {
    this.log = log;
    this.scheduler = scheduler;
    this.reporting = reporting;
  }

  /**
   * A worker registered; {@code format} and {@code args} are its own line (SLF4J style), logged at
   * INFO when it registers alone and at DEBUG within a burst.
   */
  void registered(String node, String format, Object... args) {
    if (!open) {
      log.info(format, args);
      open = true;
      scheduler.schedule(this::windowEnds, WINDOW);
      return;
    }
    log.debug(format, args);
    if (counted == 0) {
      first = node;
    }
    last = node;
    counted++;
  }

  /** Timer: logs the window's count; the burst stays open while registrations keep coming. */
  private void windowEnds() {
    if (counted == 0) {
      open = false;
      return;
    }
    log.info("{} more {} registered in the last {} s ({}{}), {} nodes reporting; each node's line is at DEBUG",
        counted, counted == 1 ? "node" : "nodes", WINDOW.toSeconds(), first,
        counted == 1 ? "" : " first, " + last + " last", reporting.getAsInt());
    counted = 0;
    scheduler.schedule(this::windowEnds, WINDOW);
  }
}
