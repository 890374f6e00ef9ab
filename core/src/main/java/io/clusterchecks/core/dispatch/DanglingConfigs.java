package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configs no worker runs, oldest first, and the unscheduled-check rule
 * (docs/reference/dispatcher.md section 6): a config waiting longer than the threshold is flagged
 * once, exactly when it passes it (one timer, for the next config due), and unflagged once when it
 * leaves. Dispatch thread only.
 *
 * <p>Readers get an immutable list of the waiting configs after each change. Re-dispatching takes
 * configs from the head, so while only the head was taken since the last list, the next list is a
 * view of the last one past the taken head, not a copy: a re-dispatch in chunks does not copy a
 * million waiting configs for every chunk. Any other change (a config joins, or leaves from the
 * middle) copies the list once, at the next publish.
 */
final class DanglingConfigs {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final DispatchMetrics metrics;
  private final long unscheduledMillis;
  /** Insertion order is dangling-since order: a config is only ever appended. */
  private final LinkedHashMap<String, DanglingConfig> byDigest = new LinkedHashMap<>();
  private int unscheduledCount;
  private TaskScheduler.Cancellable timer;
  private List<DispatchedConfig> published = List.of();
  private int takenFromHead;
  private boolean changed;

  DanglingConfigs(DispatchMetrics metrics, Duration unscheduledThreshold) {
    this.metrics = metrics;
    this.unscheduledMillis = unscheduledThreshold.toMillis();
  }

  /** The config waits for a node from {@code nowMillis}. */
  void add(DispatchedConfig dc, long nowMillis) {
    byDigest.put(dc.digest(), new DanglingConfig(dc, nowMillis, false));
    changed = true;
  }

  /** The config no longer waits (removed by its source); false when it did not wait. */
  boolean remove(DispatchedConfig dc) {
    DanglingConfig d = byDigest.isEmpty() ? null : byDigest.remove(dc.digest());
    if (d == null) {
      return false;
    }
    changed = true;
    unflag(d);
    return true;
  }

  /** Takes the config that has waited longest, or null when none waits. */
  DispatchedConfig takeOldest() {
    Iterator<DanglingConfig> it = byDigest.values().iterator();
    if (!it.hasNext()) {
      return null;
    }
    DanglingConfig d = it.next();
    it.remove();
    takenFromHead++;
    unflag(d);
    return d.config();
  }

  private void unflag(DanglingConfig d) {
    if (d.unscheduled()) {
      unscheduledCount--;
      metrics.unscheduled(d.config().checkName(), d.config().config().source(), -1);
    }
  }

  int size() {
    return byDigest.size();
  }

  boolean isEmpty() {
    return byDigest.isEmpty();
  }

  boolean contains(DispatchedConfig dc) {
    return !byDigest.isEmpty() && byDigest.containsKey(dc.digest());
  }

  int unscheduledCount() {
    return unscheduledCount;
  }

  /** Timer: flags every config older than the threshold, once. */
  void flagUnscheduled(long nowMillis) {
    timer = null;
    int flagged = 0;
    for (Map.Entry<String, DanglingConfig> e : byDigest.entrySet()) {
      DanglingConfig d = e.getValue();
      if (d.unscheduled()) {
        continue;
      }
      if (d.since() + unscheduledMillis > nowMillis) {
        break; // later entries became dangling later still
      }
      e.setValue(d.flagged());
      unscheduledCount++;
      String source = d.config().config().source();
      metrics.unscheduled(d.config().checkName(), source, +1);
      // One line per config, as the reference logs, for the first few of a round; a round that
      // flags a whole conf.d nobody runs (a million configs, no worker) says the rest in one line.
      if (++flagged <= WaitingConfigs.DETAIL_LOG_LIMIT) {
        LOG.warn("Detected unscheduled check config. Name:{}, Source:{}", d.config().checkName(), source);
      }
    }
    if (flagged > WaitingConfigs.DETAIL_LOG_LIMIT) {
      LOG.warn("Detected {} more unscheduled check configs ({} in all; each counted in the unscheduled metric)",
          flagged - WaitingConfigs.DETAIL_LOG_LIMIT, unscheduledCount);
    }
  }

  /** Arms the timer for the next config due to be flagged, unless armed already. */
  void armTimer(TaskScheduler scheduler, InstantSource clock, Runnable check) {
    // Every transition ends here: when every waiting config is flagged already (a million of them
    // while no worker reports), there is nothing to look for.
    if (timer != null || unscheduledCount == byDigest.size()) {
      return;
    }
    for (DanglingConfig d : byDigest.values()) {
      if (!d.unscheduled()) {
        long due = d.since() + unscheduledMillis;
        timer = scheduler.schedule(check, Duration.ofMillis(Math.max(0, due - clock.millis())));
        return;
      }
    }
  }

  /** The waiting configs, oldest first, as of now: immutable, shared with readers. */
  List<DispatchedConfig> snapshot() {
    if (changed) {
      published = byDigest.values().stream().map(DanglingConfig::config).toList();
    } else if (takenFromHead > 0) {
      published = published.subList(takenFromHead, published.size());
    }
    changed = false;
    takenFromHead = 0;
    return published;
  }

  /** Leadership lost: nothing waits, no timer, no flags. */
  void clear() {
    byDigest.clear();
    unscheduledCount = 0;
    changed = true;
    takenFromHead = 0;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
