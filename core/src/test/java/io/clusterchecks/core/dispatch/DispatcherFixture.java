package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;

/** A dispatcher on manual time, with helpers that read like the reference's test scenarios. */
final class DispatcherFixture {
  final ManualTime time = new ManualTime();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final DispatcherSettings settings;
  final Dispatcher dispatcher;

  DispatcherFixture(DispatcherSettings settings) {
    this.settings = settings;
    dispatcher = new Dispatcher(settings, time, time, registry);
  }

  DispatcherFixture() {
    this(DispatcherSettings.defaults());
  }

  /** Leads and ends warmup at once. */
  DispatcherFixture active() {
    dispatcher.start();
    time.advance(settings.warmupDuration());
    return this;
  }

  static Config clusterCheck(String name) {
    return Config.builder(name).clusterCheck(true).instanceYaml("name: " + name + "\nurl: http://" + name)
        .initConfigYaml("{}").source("test:" + name).build();
  }

  static Config endpointsCheck(String name, String k8sNode) {
    return clusterCheck(name).toBuilder().nodeName(k8sNode).build();
  }

  boolean report(String node, long lastChange) {
    return dispatcher.processNodeStatus(node, "", new NodeStatus(lastChange, NodeType.CLC_RUNNER));
  }

  boolean report(String node, long lastChange, NodeType type, String ip) {
    return dispatcher.processNodeStatus(node, ip, new NodeStatus(lastChange, type));
  }

  /** Reports with the version the node currently has, as a worker that is up to date would. */
  void heartbeat(String node) {
    report(node, NodeStatus.HEARTBEAT_ONLY);
  }

  void schedule(Config... configs) {
    dispatcher.schedule(List.of(configs));
  }

  void unschedule(Config... configs) {
    dispatcher.unschedule(List.of(configs));
  }

  /** Check names the node runs, from its published snapshot. */
  List<String> checksOn(String node) {
    return dispatcher.nodeConfigs(node).orElseThrow(() -> new AssertionError("node " + node + " is unknown"))
        .configs().stream().map(Config::checkName).toList();
  }

  long versionOf(String node) {
    return dispatcher.nodeConfigs(node).orElseThrow().lastChange();
  }

  DispatchStats stats() {
    return dispatcher.stats();
  }

  double gauge(String name, String... tags) {
    var search = registry.find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var g = search.gauge();
    return g == null ? Double.NaN : g.value();
  }
}
