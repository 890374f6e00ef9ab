package io.clusterchecks.bench.dispatch;

import io.clusterchecks.core.dispatch.DispatchedConfig;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.time.ManualTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per config to schedule a whole batch onto a fleet: placement, bookkeeping and publishing
 * the per-node snapshots, on the dispatch thread. Scores are microseconds per config.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Xms8g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class ScheduleBenchmark {

  /** 1,000 workers, 100,000 configs. */
  @State(Scope.Benchmark)
  public static class Fleet1k {
    List<DispatchedConfig> prepared;
    List<Config> raw;
    Dispatcher dispatcher;

    @Setup(Level.Trial)
    public void prepare() {
      raw = BenchConfigs.httpChecks(100_000);
      prepared = BenchConfigs.prepared(100_000);
    }

    @Setup(Level.Invocation)
    public void fleet() {
      dispatcher = null;
      System.gc(); // the previous invocation's state is garbage: collect it outside the measurement
      dispatcher = BenchConfigs.leadingWith(new ManualTime(), 1_000);
    }
  }

  /** 10,000 workers, 1,000,000 configs. */
  @State(Scope.Benchmark)
  public static class Fleet10k {
    List<DispatchedConfig> prepared;
    Dispatcher dispatcher;

    @Setup(Level.Trial)
    public void prepare() {
      prepared = BenchConfigs.prepared(1_000_000);
    }

    @Setup(Level.Invocation)
    public void fleet() {
      dispatcher = null;
      System.gc(); // the previous invocation's state is garbage: collect it outside the measurement
      dispatcher = BenchConfigs.leadingWith(new ManualTime(), 10_000);
    }
  }

  @Benchmark
  @OperationsPerInvocation(100_000)
  public long dispatch100kOn1kWorkers(Fleet1k f) {
    f.dispatcher.schedulePrepared(f.prepared);
    return f.dispatcher.nodeConfigs(BenchConfigs.nodeName(0)).orElseThrow().lastChange();
  }

  @Benchmark
  @OperationsPerInvocation(1_000_000)
  public long dispatch1MOn10kWorkers(Fleet10k f) {
    f.dispatcher.schedulePrepared(f.prepared);
    return f.dispatcher.nodeConfigs(BenchConfigs.nodeName(0)).orElseThrow().lastChange();
  }

  /** The whole path from a source: patch, digest and check IDs on the caller, then dispatch. */
  @Benchmark
  @OperationsPerInvocation(100_000)
  public long prepareAndDispatch100kOn1kWorkers(Fleet1k f) {
    f.dispatcher.schedule(f.raw);
    return f.dispatcher.nodeConfigs(BenchConfigs.nodeName(0)).orElseThrow().lastChange();
  }
}
