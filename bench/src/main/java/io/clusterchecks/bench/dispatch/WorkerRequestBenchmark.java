package io.clusterchecks.bench.dispatch;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one worker request costs in process, on a fleet of 10,000 workers running 1,000,000
 * configs: a status (heartbeat plus version check) and a configs fetch. The fetch is measured
 * twice, side by side: from the prepared per-node response, and encoding the answer each time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Xms8g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class WorkerRequestBenchmark {
  static final int WORKERS = 10_000;
  Dispatcher dispatcher;
  NodeStatus[] upToDate;
  String[] names;
  int next;

  @Setup(Level.Trial)
  public void fleet() {
    ManualTime time = new ManualTime();
    dispatcher = BenchConfigs.leadingWith(time, WORKERS);
    dispatcher.schedulePrepared(BenchConfigs.prepared(1_000_000));
    names = new String[WORKERS];
    upToDate = new NodeStatus[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
      names[i] = BenchConfigs.nodeName(i);
      upToDate[i] = new NodeStatus(dispatcher.nodeConfigs(names[i]).orElseThrow().lastChange(), NodeType.CLC_RUNNER);
      dispatcher.nodeConfigs(names[i]).orElseThrow().responseJson();
    }
  }

  private int nextIndex() {
    int i = next + 1;
    if (i == WORKERS) {
      i = 0;
    }
    next = i;
    return i;
  }

  @Benchmark
  public boolean heartbeat() {
    int i = nextIndex();
    return dispatcher.processNodeStatus(names[i], "10.0.0.1", upToDate[i]);
  }

  @Benchmark
  public byte[] fetchPrepared() {
    return dispatcher.nodeConfigs(names[nextIndex()]).orElseThrow().responseJson();
  }

  @Benchmark
  public byte[] fetchEncodingEachTime() {
    return ConfigCodec.toJson(dispatcher.nodeConfigs(names[nextIndex()]).orElseThrow().toResponse());
  }
}
