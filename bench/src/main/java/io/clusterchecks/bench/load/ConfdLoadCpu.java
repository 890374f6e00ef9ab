package io.clusterchecks.bench.load;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.server.confd.ConfdSource;
import io.clusterchecks.server.confd.ParallelScheduling;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * What loading a generated conf.d costs the agent, in process: {@link ConfdSource#start()} with a
 * real {@link Dispatcher} behind the agent's {@link ParallelScheduling} as its listener (preparation,
 * then the dispatch thread queueing the configs during warmup), until the dispatch thread has taken
 * them. Per file, it reports the CPU time of every thread of the JVM (scanning thread, the common
 * pool that stats, reads and parses, the dispatch thread) and of the whole process (GC and JIT
 * included), the bytes those threads allocated, and the wall time. CPU time and allocation depend
 * far less on the machine's load than wall time does. Each round is a new source and dispatcher
 * on the same files; round 1 is the agent's cold start. Run: see docs/benchmarks.md.
 *
 * <p>Arguments: {@code [files (100000)] [rounds (3)] [directory ($TMPDIR/clusterchecks-confd-<files>)]}.
 */
public final class ConfdLoadCpu {
  private ConfdLoadCpu() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path confd = args.length > 2 ? Path.of(args[2])
        : Path.of(System.getProperty("java.io.tmpdir"), "clusterchecks-confd-" + files);
    ConfdGenerator.generate(confd, files);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf("%,d files in %s, %d cores%n", files, confd, Runtime.getRuntime().availableProcessors());
    for (int r = 1; r <= rounds; r++) {
      System.gc(); // the previous round's configs are garbage: collect them outside the measurement
      TaskScheduler scheduler = TaskScheduler.singleThread("clusterchecks-dispatch");
      Dispatcher dispatcher = new Dispatcher(
          DispatcherSettings.defaults().withExtraTags(List.of("cluster_name:bench", "kube_cluster_name:bench")),
          InstantSource.system(), scheduler, new SimpleMeterRegistry());
      dispatcher.start();
      ThreadTotals totals = new ThreadTotals(threads);
      totals.start();
      long process0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      int loaded;
      try (ConfdSource source = new ConfdSource(confd, new ParallelScheduling(dispatcher))) {
        loaded = source.start();
        long loadedWall = System.nanoTime() - wall0;
        CountDownLatch drained = new CountDownLatch(1);
        scheduler.execute(drained::countDown);
        drained.await();
        long wall = System.nanoTime() - wall0;
        long process = os.getProcessCpuTime() - process0;
        long[] spent = totals.finish();
        long cpu = spent[0];
        long alloc = spent[1];
        System.out.printf("round %d: %,d configs; per file: %.1f us CPU of Java threads, %.1f us CPU of the process,"
                + " %,d bytes allocated; wall %.2f s to start() returning, %.2f s to the dispatch thread done%n",
            r, loaded, cpu / 1000.0 / files, process / 1000.0 / files, alloc / files,
            loadedWall / 1e9, wall / 1e9);
      } finally {
        dispatcher.close();
        scheduler.close();
      }
    }
  }

  /**
   * CPU time and allocated bytes of every thread from {@link #start} to {@link #finish}, sampled
   * every 100 ms: a thread that ends meanwhile (an idle common-pool worker retires after a minute)
   * keeps what it had spent by its last sample, where reading only at the ends would lose it.
   */
  private static final class ThreadTotals extends Thread {
    private final com.sun.management.ThreadMXBean threads;
    private final Map<Long, long[]> first = new HashMap<>();
    private final Map<Long, long[]> last = new HashMap<>();
    private volatile boolean running = true;
    private boolean baselineTaken;

    ThreadTotals(com.sun.management.ThreadMXBean threads) {
      super("thread-totals");
      setDaemon(true);
      this.threads = threads;
      sample(); // the baseline of the threads alive now, before start() runs anything
    }

    @Override
    public void run() {
      while (running) {
        sample();
        LockSupport.parkNanos(100_000_000L);
      }
    }

    /** Stops sampling and answers {CPU nanoseconds, bytes allocated} of every thread but this one. */
    long[] finish() throws InterruptedException {
      running = false;
      join();
      sample();
      long cpu = 0;
      long alloc = 0;
      for (Map.Entry<Long, long[]> e : last.entrySet()) {
        if (e.getKey() == getId()) {
          continue;
        }
        long[] was = first.get(e.getKey());
        cpu += e.getValue()[0] - was[0];
        alloc += e.getValue()[1] - was[1];
      }
      return new long[] {cpu, alloc};
    }

    private synchronized void sample() {
      long[] ids = threads.getAllThreadIds();
      long[] cpu = threads.getThreadCpuTime(ids);
      long[] alloc = threads.getThreadAllocatedBytes(ids);
      for (int i = 0; i < ids.length; i++) {
        if (cpu[i] >= 0 && alloc[i] >= 0) {
          long[] now = {cpu[i], alloc[i]};
          // a thread first seen after the baseline started from zero
          first.putIfAbsent(ids[i], baselineTaken ? new long[2] : now);
          last.put(ids[i], now);
        }
      }
      baselineTaken = true;
    }
  }
}
