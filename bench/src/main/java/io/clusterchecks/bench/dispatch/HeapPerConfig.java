package io.clusterchecks.bench.dispatch;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.time.ManualTime;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Heap held per dispatched config at 1,000,000 configs over 10,000 workers: the retained heap of
 * the dispatcher after a full GC, divided by the config count; then again once every worker has
 * fetched (prepared responses cached). Run: see docs/benchmarks.md.
 */
public final class HeapPerConfig {
  private HeapPerConfig() {}

  public static void main(String[] args) {
    int configs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    ManualTime time = new ManualTime();
    long base = usedAfterGc();
    Dispatcher d = BenchConfigs.leadingWith(time, workers);
    List<Config> raw = BenchConfigs.httpChecks(configs);
    d.schedule(raw);
    raw = null;
    long dispatched = usedAfterGc();
    for (int i = 0; i < workers; i++) {
      d.nodeConfigs(BenchConfigs.nodeName(i)).orElseThrow().responseJson();
    }
    long withResponses = usedAfterGc();
    System.out.printf("configs=%d workers=%d%n", configs, workers);
    System.out.printf("heap per config, dispatch state only:          %d bytes%n", (dispatched - base) / configs);
    System.out.printf("heap per config, with prepared responses too: %d bytes%n", (withResponses - base) / configs);
    System.out.printf("(check: %d configs active)%n", d.stats().activeConfigs());
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
