package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * Logs one kind of per-worker event (a worker registering, a worker expiring) in a number of lines
 * that does not grow with the fleet. An event that comes alone gets its own line at this log's
 * level, as before; one that comes within {@link #WINDOW} of such a line is part of a burst (a
 * fleet starting, a leader taking over, a network partition) and gets a DEBUG line, and each
 * {@link #WINDOW} of the burst ends with one line at this log's level counting them; a window
 * without an event ends the burst. At 10,000 workers a line per worker was 10,000 lines formatted
 * and written by the dispatch thread in the minute the fleet also fetched its configs
 * (docs/benchmarks.md, "A million configs and 10,000 workers"); the counts are also in the
 * metrics ({@code cluster_checks_nodes_expired_total}, {@code cluster_checks_nodes_reporting}).
 * Dispatch thread only; the window is a timer of the dispatcher's scheduler.
 */
final class BurstLog {
  /** How long a burst's count runs before its line. */
  static final Duration WINDOW = Duration.ofSeconds(10);

  private final Logger log;
  private final boolean warn;
  private final String happened;
  private final TaskScheduler scheduler;
  private final IntSupplier reporting;
  /** A burst is open: events are counted, and a timer will log the count. */
  private boolean open;
  private int counted;
  private String first;
  private String last;

  /**
   * @param warn whether lone events and counts are WARN lines (else INFO)
   * @param happened the count line's verb, e.g. "registered"
   * @param reporting how many nodes report now, for the count line
   */
  BurstLog(Logger log, boolean warn, String happened, TaskScheduler scheduler, IntSupplier reporting) {
    this.log = log;
    this.warn = warn;
    this.happened = happened;
    this.scheduler = scheduler;
    this.reporting = reporting;
  }

  /**
   * {@code node}'s event; {@code format} and {@code args} are its own line (SLF4J style), logged at
   * this log's level when it comes alone and at DEBUG within a burst.
   */
  void event(String node, String format, Object... args) {
    if (!open) {
      write(format, args);
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

  /** Timer: logs the window's count; the burst stays open while events keep coming. */
  private void windowEnds() {
    if (counted == 0) {
      open = false;
      return;
    }
    write("{} more {} {} in the last {} s ({}{}), {} nodes reporting; each node's line is at DEBUG",
        counted, counted == 1 ? "node" : "nodes", happened, WINDOW.toSeconds(), first,
        counted == 1 ? "" : " first, " + last + " last", reporting.getAsInt());
    counted = 0;
    scheduler.schedule(this::windowEnds, WINDOW);
  }

  private void write(String format, Object... args) {
    if (warn) {
      log.warn(format, args);
    } else {
      log.info(format, args);
    }
  }
}
