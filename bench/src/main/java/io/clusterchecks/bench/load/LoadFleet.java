package io.clusterchecks.bench.load;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * W workers speaking the protocol as a cluster check runner does (reference/protocol.md section 8):
 * a status every period, spread evenly over the period, echoing the last version token; a configs
 * fetch when the answer is "not up to date". Built on the worker library's {@link
 * ClusterAgentClient}, one client for all (its HTTP client keeps TLS connections alive and reuses
 * them). Each request's latency is recorded; a worker keeps only how many configs it holds.
 *
 * <p>Statuses and fetches run on pools of their own, and a worker whose fetch is still in flight
 * skips its status ticks until the fetch ends, as a real worker's loop (status, then fetch) would:
 * each worker is sequential, but one worker's slow fetch never delays another worker's status.
 * With one pool for both, slow fetches queued every worker's statuses behind them and the agent
 * expired workers that a real fleet would have kept alive (measured at 1,000,000 configs).
 */
final class LoadFleet implements AutoCloseable {
  private final ClusterAgentClient client;
  private final int count;
  private final Duration period;
  private final AtomicLongArray lastChange;
  private final int[] held;
  private final AtomicLong configsHeld = new AtomicLong();
  private final AtomicLong statusRequests = new AtomicLong();
  private final AtomicLong configRequests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicInteger busy = new AtomicInteger();
  private final Latencies status = new Latencies();
  private final Latencies configs = new Latencies();
  private final StatusTimeline timeline = new StatusTimeline();
  /** Per worker: when its last status that was answered started (System.nanoTime), 0 before. */
  private final AtomicLongArray lastAnsweredStart;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "load-timer"));
  private final ExecutorService pool;
  private final ExecutorService fetchPool;
  /** Per worker: 1 while its fetch is in flight (its status ticks are skipped meanwhile). */
  private final AtomicIntegerArray fetching;
  private final AtomicLong skippedTicks = new AtomicLong();

  LoadFleet(ClusterAgentClient client, int count, Duration period, int threads) {
    this.client = client;
    this.count = count;
    this.period = period;
    this.lastChange = new AtomicLongArray(count);
    this.lastAnsweredStart = new AtomicLongArray(count);
    this.held = new int[count];
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> daemon(r, "load-worker-" + n.incrementAndGet()));
    this.fetchPool = Executors.newFixedThreadPool(threads, r -> daemon(r, "load-fetch-" + n.incrementAndGet()));
    this.fetching = new AtomicIntegerArray(count);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  static String id(int i) {
    return "load-worker-" + i;
  }

  void start() {
    long periodMicros = period.toNanos() / 1000;
    for (int i = 0; i < count; i++) {
      int worker = i;
      timer.scheduleAtFixedRate(() -> pool.execute(() -> poll(worker)),
          periodMicros * i / count, periodMicros, TimeUnit.MICROSECONDS);
    }
  }

  private void poll(int i) {
    if (fetching.get(i) == 1) {
      skippedTicks.incrementAndGet();
      return;
    }
    busy.incrementAndGet();
    try {
      long t0 = System.nanoTime();
      boolean upToDate;
      try {
        upToDate = client.postStatus(id(i), new NodeStatus(lastChange.get(i), NodeType.CLC_RUNNER)).isUpToDate();
      } catch (ClusterAgentException e) {
        timeline.add(t0, (System.nanoTime() - t0) / 1000, false);
        throw e;
      } finally {
        statusRequests.incrementAndGet();
      }
      long took = (System.nanoTime() - t0) / 1000;
      status.add(took);
      timeline.add(t0, took, true);
      lastAnsweredStart.set(i, t0);
      if (!upToDate && fetching.compareAndSet(i, 0, 1)) {
        fetchPool.execute(() -> fetch(i));
      }
    } catch (ClusterAgentException e) {
      errors.incrementAndGet();
    } finally {
      busy.decrementAndGet();
    }
  }

  private void fetch(int i) {
    try {
      long t1 = System.nanoTime();
      ConfigResponse r;
      try {
        r = client.getConfigs(id(i));
      } finally {
        configRequests.incrementAndGet();
      }
      configs.add((System.nanoTime() - t1) / 1000);
      synchronized (held) {
        configsHeld.addAndGet(r.configs().size() - held[i]);
        held[i] = r.configs().size();
      }
      lastChange.set(i, r.lastChange());
    } catch (ClusterAgentException e) {
      errors.incrementAndGet();
    } finally {
      fetching.set(i, 0);
    }
  }

  /** Status ticks skipped because that worker's fetch was still in flight. */
  long skippedTicks() {
    return skippedTicks.get();
  }

  /** How many workers had a status answered that started at or after {@code sinceNanos}. */
  int answeredSince(long sinceNanos) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (lastAnsweredStart.get(i) >= sinceNanos) {
        n++;
      }
    }
    return n;
  }

  StatusTimeline timeline() {
    return timeline;
  }

  /** The highest leadership term among the tokens the workers hold (0: none yet). */
  long newestTerm() {
    long term = 0;
    for (int i = 0; i < count; i++) {
      term = Math.max(term, Dispatcher.termOf(lastChange.get(i)));
    }
    return term;
  }

  /** Configs held by workers whose last fetch was answered in {@code term} or later. */
  long configsHeldSinceTerm(long term) {
    long n = 0;
    synchronized (held) {
      for (int i = 0; i < count; i++) {
        if (Dispatcher.termOf(lastChange.get(i)) >= term) {
          n += held[i];
        }
      }
    }
    return n;
  }

  long configsHeld() {
    return configsHeld.get();
  }

  long requests() {
    return statusRequests.get() + configRequests.get();
  }

  long statusRequests() {
    return statusRequests.get();
  }

  long configRequests() {
    return configRequests.get();
  }

  long errors() {
    return errors.get();
  }

  Latencies statusLatencies() {
    return status;
  }

  Latencies configsLatencies() {
    return configs;
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    pool.shutdownNow();
    fetchPool.shutdownNow();
    pool.awaitTermination(15, TimeUnit.SECONDS);
  }
}
