package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ParallelSchedulingTest {
  private static final String WORKER = "clc-runner-0";

  /** A leading dispatcher past warmup with one worker, excluding {@code skipped} checks. */
  private static Dispatcher leading(ManualTime time) {
    DispatcherSettings s = DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO)
        .withNodeExpirationTimeout(Duration.ofDays(1)).withExcludeChecks(Set.of("skipped"))
        .withExtraTags(List.of("cluster_name:test"));
    Dispatcher d = new Dispatcher(s, time, time, new SimpleMeterRegistry());
    d.start();
    time.advance(Duration.ZERO);
    d.processNodeStatus(WORKER, "10.0.0.1", new NodeStatus(0, NodeType.CLC_RUNNER));
    return d;
  }

  /** Distinct configs, with an excluded check and a config the patcher refuses among them. */
  private static List<Config> configs(int count) {
    List<Config> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String check = i % 97 == 5 ? "skipped" : "http_check";
      String instance = i % 101 == 7 ? "- not a map\n" : "name: svc-" + i + "\nurl: http://10.0.0." + i + "\n";
      out.add(Config.builder(check).clusterCheck(true).instanceYaml(instance)
          .provider("file").source("file:/conf.d/http_check.d/svc-" + i + ".yaml").build());
    }
    return out;
  }

  /** What the worker is given after {@code listenerOf(dispatcher)} gets {@code configs}. */
  private static List<Config> dispatched(List<Config> configs, Function<Dispatcher, ConfigListener> listenerOf) {
    ManualTime time = new ManualTime();
    try (Dispatcher d = leading(time)) {
      listenerOf.apply(d).schedule(configs);
      time.advance(Duration.ZERO);
      return d.nodeConfigs(WORKER).orElseThrow().configs();
    }
  }

  @Test
  void aLargeBatchIsDispatchedAsTheDispatcherAloneWould() {
    List<Config> batch = configs(5_000);
    List<Config> alone = dispatched(batch, d -> d);
    List<Config> parallel = dispatched(batch, ParallelScheduling::new);
    assertThat(alone).hasSize(5_000 - 52 - 50 + 1); // excluded every 97th from 5, refused every 101st from 7
    assertThat(parallel).containsExactlyInAnyOrderElementsOf(alone);
  }

  @Test
  void aSmallBatchAndUnschedulingGoStraightThrough() {
    ManualTime time = new ManualTime();
    try (Dispatcher d = leading(time)) {
      ConfigListener listener = new ParallelScheduling(d);
      List<Config> batch = configs(10);
      listener.schedule(batch);
      time.advance(Duration.ZERO);
      assertThat(d.nodeConfigs(WORKER).orElseThrow().configs()).hasSize(8); // #5 is excluded, #7 refused
      listener.unschedule(batch.subList(0, 4));
      time.advance(Duration.ZERO);
      assertThat(d.nodeConfigs(WORKER).orElseThrow().configs()).hasSize(4);
    }
  }
}
