package io.clusterchecks.bench.dispatch;

import io.clusterchecks.core.dispatch.DispatchedConfig;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic configs and a leading dispatcher on manual time, shared by the benchmarks. Lives in
 * the dispatcher's package to reach the package-private transitions, so the measurement covers
 * the dispatch thread's work only (preparation is measured apart).
 */
final class BenchConfigs {
  private BenchConfigs() {}

  /** An HTTP probe per config, as a Service annotation would produce. */
  static List<Config> httpChecks(int count) {
    List<Config> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(Config.builder("http_check").clusterCheck(true)
          .instanceYaml("name: svc-" + i + "\nurl: http://10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "."
              + (i & 255) + ":8080/health\ntimeout: 5\ntags:\n- team:bench\n- service:svc-" + i + "\n")
          .initConfigYaml("{}")
          .provider("file").source("file:/etc/datadog-agent/conf.d/http_check.d/conf.yaml").build());
    }
    return out;
  }

  static List<DispatchedConfig> prepared(int count) {
    try (Dispatcher d = preparing()) {
      return d.prepare(httpChecks(count));
    }
  }

  /** A dispatcher used only to prepare configs, with the extra tags an agent adds. */
  static Dispatcher preparing() {
    ManualTime time = new ManualTime();
    return new Dispatcher(DispatcherSettings.defaults().withExtraTags(List.of("cluster_name:bench", "kube_cluster_name:bench")),
        time, time, new SimpleMeterRegistry());
  }

  /** A dispatcher past warmup with {@code workers} nodes reporting. */
  static Dispatcher leadingWith(ManualTime time, int workers) {
    DispatcherSettings s = DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO)
        .withNodeExpirationTimeout(Duration.ofDays(1));
    Dispatcher d = new Dispatcher(s, time, time, new SimpleMeterRegistry());
    d.start();
    time.advance(Duration.ZERO);
    for (int i = 0; i < workers; i++) {
      d.processNodeStatus(nodeName(i), "10.0.0.1", new NodeStatus(0, NodeType.CLC_RUNNER));
    }
    return d;
  }

  static String nodeName(int i) {
    return "clc-runner-" + i;
  }
}
