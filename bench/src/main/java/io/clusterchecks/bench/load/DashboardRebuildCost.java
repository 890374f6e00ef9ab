package io.clusterchecks.bench.load;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.server.dashboard.Dashboard;
import io.clusterchecks.server.dashboard.DashboardSources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the dashboard's sampler costs while configs keep moving, in process, with no page open:
 * a real {@link Dispatcher} holding N configs over W workers (each reporting every 10 s), the
 * agent's {@link Dashboard} started, and one new config scheduled every second for the window,
 * so one worker's configs change each second, as while a fleet trickles in or out. Reports the
 * bytes the dashboard thread allocated and its CPU time over the window (ThreadMXBean: independent
 * of the machine's load, unlike wall time). Run: see docs/benchmarks.md.
 *
 * <p>Arguments: {@code [configs (1000000)] [workers (10000)] [seconds (60)] [warm-up seconds (30)]}. The
 * warm-up must outlast the rebuild pacing after the dashboard's first look (20 times that look,
 * {@code SnapshotBuilder.REBUILD_PACING}), or the window sees no rebuild at all: at a million
 * configs before {@code 6b3653e} that look took seconds, so give it minutes there.
 */
public final class DashboardRebuildCost {
  private static final String SAMPLER = "clusterchecks-dashboard";

  private final Dispatcher dispatcher;
  private final int workers;
  private long lastReport;

  private DashboardRebuildCost(Dispatcher dispatcher, int workers) {
    this.dispatcher = dispatcher;
    this.workers = workers;
  }

  public static void main(String[] args) throws Exception {
    int configs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    TaskScheduler dispatch = TaskScheduler.singleThread("clusterchecks-dispatch");
    Dispatcher dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO),
        InstantSource.system(), dispatch, new SimpleMeterRegistry());
    dispatcher.start();
    DashboardRebuildCost fleet = new DashboardRebuildCost(dispatcher, workers);
    fleet.reportAll(0);
    List<Config> all = new ArrayList<>(configs);
    for (int i = 0; i < configs; i++) {
      all.add(check(i));
    }
    dispatcher.schedule(all);
    all = null;
    long t0 = System.nanoTime();
    while (dispatcher.stats().activeConfigs() < configs) {
      fleet.reportIfDue();
      Thread.sleep(100);
    }
    say("%,d configs on %,d workers after %.1f s", configs, workers, (System.nanoTime() - t0) / 1e9);

    DashboardSources sources = new DashboardSources(dispatcher, (force, dryRun) -> new CompletableFuture<>(),
        () -> new DashboardSources.LeadershipView("leader", "", ""), Map::of, node -> Optional.empty(), Map::of,
        new DashboardSources.Band(0.95, 1.02, 1.04));
    try (Dashboard dashboard = new Dashboard(sources, "0123456789abcdef0123456789abcdef-bench", null, false)) {
      dashboard.start();
      // Its first look reads every config once; then one worker's configs change each second.
      for (int s = 0; s < warmup; s++) {
        dispatcher.schedule(List.of(check(configs + seconds + s)));
        fleet.reportIfDue();
        Thread.sleep(1_000);
      }
      long sampler = samplerThreadId();
      long bytes0 = threads.getThreadAllocatedBytes(sampler);
      long cpu0 = threads.getThreadCpuTime(sampler);
      long w0 = System.nanoTime();
      for (int s = 0; s < seconds; s++) {
        dispatcher.schedule(List.of(check(configs + s)));
        fleet.reportIfDue();
        Thread.sleep(1_000);
      }
      double wall = (System.nanoTime() - w0) / 1e9;
      double mib = (threads.getThreadAllocatedBytes(sampler) - bytes0) / 1048576.0;
      double cpu = (threads.getThreadCpuTime(sampler) - cpu0) / 1e9;
      say("| %,d | %,d | %.0f s | %,.1f MiB/min | %.3f CPU s/min |", configs, workers, wall, mib / wall * 60,
          cpu / wall * 60);
    } finally {
      dispatcher.close();
    }
  }

  private static Config check(int i) {
    return Config.builder("http_check").clusterCheck(true)
        .instanceYaml("name: check-" + i + "\nurl: http://service-" + i + ".example:8080/health\n")
        .source("bench").build();
  }

  /** Every worker reports every 10 s, as a real one does, so none expires. */
  private void reportIfDue() {
    long now = System.nanoTime();
    if (now - lastReport >= Duration.ofSeconds(10).toNanos()) {
      reportAll(NodeStatus.HEARTBEAT_ONLY);
      lastReport = now;
    }
  }

  private void reportAll(long lastChange) {
    for (int w = 0; w < workers; w++) {
      dispatcher.processNodeStatus("worker-" + w, "", new NodeStatus(lastChange, NodeType.CLC_RUNNER));
    }
  }

  private static long samplerThreadId() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(SAMPLER)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + SAMPLER + " thread")).getId();
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
