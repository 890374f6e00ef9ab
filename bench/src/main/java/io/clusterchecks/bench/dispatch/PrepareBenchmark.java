package io.clusterchecks.bench.dispatch;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatchedConfig;
import io.clusterchecks.core.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What preparing one config for dispatch costs on the source's thread (patch, digest, check IDs,
 * intervals), as {@link Dispatcher#prepare} does it. Scores are microseconds per config. The configs
 * cycle over a batch so the timing is not that of one text the JIT has seen a million times.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Xms2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class PrepareBenchmark {
  private static final int BATCH = 1024;

  Dispatcher preparer;
  List<Config> http;
  List<Config> threeInstances;
  List<Config> endpoints;
  int next;

  @Setup
  public void configs() {
    preparer = BenchConfigs.preparing();
    http = BenchConfigs.httpChecks(BATCH);
    threeInstances = new ArrayList<>(BATCH);
    endpoints = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      threeInstances.add(Config.builder("postgres").clusterCheck(true)
          .instanceYaml(postgres(i, "primary"), postgres(i, "replica-1"), postgres(i, "replica-2"))
          .initConfigYaml("{}").provider("kubernetes-services").serviceId("kube_service://db/pg-" + i)
          .adIdentifiers(List.of("_kube_service://db/pg-" + i)).build());
      endpoints.add(Config.builder("nginx").clusterCheck(true).nodeName("node-" + (i % 50))
          .instanceYaml("nginx_status_url: http://10.1.2." + (i & 255) + ":18080/nginx_status/\n"
              + "min_collection_interval: 30\ntags:\n- kube_endpoint_ip:10.1.2." + (i & 255) + "\n")
          .initConfigYaml("").provider("kubernetes-endpoints")
          .serviceId("kube_endpoint_uid://web/nginx-" + i + "/10.1.2." + (i & 255)).build());
    }
  }

  /** A database instance with nested maps and lists, a quoted value and tags. */
  private static String postgres(int i, String role) {
    return "host: pg-" + i + "-" + role + ".db.svc\nport: 5432\nusername: datadog\n"
        + "password: \"%%env_PG_PASS%%\"\ndbname: app_" + i + "\nmin_collection_interval: 30\n"
        + "ssl: false\nrelations:\n  - relation_name: orders\n    schemas: [public]\n"
        + "collect_activity_metrics: true\ntags:\n  - role:" + role + "\n  - team:data\n";
  }

  private Config pick(List<Config> batch) {
    int i = next + 1;
    if (i == BATCH) {
      i = 0;
    }
    next = i;
    return batch.get(i);
  }

  /** One http_check instance, five keys, two tags (the {@link BenchConfigs} config). */
  @Benchmark
  public List<DispatchedConfig> httpCheck() {
    return preparer.prepare(List.of(pick(http)));
  }

  /** Three database instances with nested values, AD identifiers and a service ID. */
  @Benchmark
  public List<DispatchedConfig> threeInstances() {
    return preparer.prepare(List.of(pick(threeInstances)));
  }

  /** An endpoints check (node name set): tags merged, no {@code empty_default_hostname}. */
  @Benchmark
  public List<DispatchedConfig> endpointsCheck() {
    return preparer.prepare(List.of(pick(endpoints)));
  }
}
