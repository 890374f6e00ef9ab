package io.clusterchecks.bench.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.PreparedConfig;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What preparing the {@link BenchConfigs} {@code http_check} costs in CPU time of this thread and
 * in bytes allocated, over rounds of 2 s of CPU each: figures that a loaded machine disturbs far
 * less than wall-clock scores (it still slows a thread's CPU time somewhat, through shared caches).
 * The same 1,024 configs and extra tags as {@link PrepareBenchmark#httpCheck}. Run: see
 * docs/benchmarks.md.
 */
public final class PrepareCpu {
  private PrepareCpu() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    List<Config> http = BenchConfigs.httpChecks(1024);
    List<String> extraTags = List.of("cluster_name:bench", "kube_cluster_name:bench");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int r = 1; r <= rounds; r++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long alloc0 = threads.getCurrentThreadAllocatedBytes();
      long n = 0;
      while (threads.getCurrentThreadCpuTime() - cpu0 < 2_000_000_000L) {
        for (Config c : http) {
          sink += PreparedConfig.of(c, extraTags).checkIds().size();
        }
        n += http.size();
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long alloc = threads.getCurrentThreadAllocatedBytes() - alloc0;
      System.out.printf("round %d: %.2f us of CPU per config, %,d bytes allocated per config%n",
          r, cpu / 1000.0 / n, alloc / n);
    }
    System.out.println("(" + sink + " check IDs)");
  }
}
