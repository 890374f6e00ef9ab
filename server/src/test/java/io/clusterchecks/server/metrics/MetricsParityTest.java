package io.clusterchecks.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.server.Agent;
import io.clusterchecks.server.testing.LeaderAndFollower;
import io.clusterchecks.worker.ClusterAgentClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas, a leader and a follower, with two workers: one reports to the leader, one to the
 * follower (which forwards). Every series of the reference is then read from each replica's real
 * {@code /metrics} socket, by the reference's name and labels, and its value checked against what
 * the sequence did.
 */
class MetricsParityTest {
  @TempDir
  Path tmp;

  private LeaderAndFollower replicas;

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  void everyReferenceSeriesHasTheReferenceNameLabelsAndValue() throws Exception {
    Path confd = tmp.resolve("conf.d");
    write(confd.resolve("http_check.d/a.yaml"), "cluster_check: true\ninit_config:\ninstances:\n  - name: a\n    url: http://a/\n");
    write(confd.resolve("http_check.d/b.yaml"), "cluster_check: true\ninit_config:\ninstances:\n  - name: b\n    url: http://b/\n");
    write(confd.resolve("tcp_check.d/c.yaml"), "cluster_check: true\ninit_config:\ninstances:\n"
        + "  - name: c1\n    host: c\n    port: 1\n  - name: c2\n    host: c\n    port: 2\n");
    replicas = new LeaderAndFollower(confd);
    Agent leader = replicas.leader;
    Agent follower = replicas.follower;

    // w1 reports to the leader and gets every config (it is the only worker then).
    ClusterAgentClient toLeader = LeaderAndFollower.client(leader);
    toLeader.postStatus("w1", new NodeStatus(0, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.dispatcher().stats().activeConfigs() == 3);
    // w2 reports to the follower, which forwards to the leader.
    LeaderAndFollower.client(follower).postStatus("w2", new NodeStatus(0, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.dispatcher().stats().nodeCount() == 2);
    List<Config> onW1 = toLeader.getConfigs("w1").configs();
    assertThat(onW1).hasSize(3);
    Map<String, String> expectedIds = new HashMap<>();
    onW1.forEach(c -> CheckIds.checkIds(c).forEach(id -> expectedIds.put(id, c.checkName())));
    assertThat(expectedIds).hasSize(4);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape s = Scrape.fetch(leader.metricsPort());
      assertThat(s.value("api_requests", "handler", "postCheckStatus", "status", "200", "forwarded", "false"))
          .as("w1's report and w2's, forwarded").contains(2.0);
      assertThat(s.value("api_requests", "handler", "getCheckConfigs", "status", "200", "forwarded", "false"))
          .contains(1.0);
      assertThat(s.value("api_requests_total", "handler", "postCheckStatus", "status", "200", "forwarded", "false"))
          .as("the Prometheus-convention name, same value").contains(2.0);
      assertThat(s.types()).containsEntry("api_requests", "counter").containsEntry("api_requests_total", "counter");
      assertThat(s.find("forwarded_requests")).as("the leader forwards nothing").isEmpty();
      assertThat(s.value("api_request_duration_seconds_count", "handler", "postCheckStatus")).contains(2.0);
      assertThat(s.value("api_request_duration_seconds_bucket", "handler", "postCheckStatus", "le", "+Inf"))
          .contains(2.0);
      assertThat(s.types()).containsEntry("api_request_duration_seconds", "histogram");

      assertThat(s.value("cluster_checks_nodes_reporting", "join_leader", "true")).contains(2.0);
      assertThat(s.value("cluster_checks_configs_dangling", "join_leader", "true")).contains(0.0);
      assertThat(s.value("cluster_checks_configs_dispatched", "node", "w1", "join_leader", "true")).contains(3.0);
      assertThat(s.value("cluster_checks_rebalancing_decisions", "join_leader", "true")).contains(0.0);
      assertThat(s.value("cluster_checks_successful_rebalancing_moves", "join_leader", "true")).contains(0.0);
      assertThat(s.types()).containsEntry("cluster_checks_rebalancing_decisions", "counter");
      assertThat(s.value("cluster_checks_rebalancing_duration_seconds", "join_leader", "true")).contains(0.0);

      List<Scrape.Sample> info = s.find("cluster_checks_configs_info");
      assertThat(info).hasSize(4).allSatisfy(i -> {
        assertThat(i.value()).isEqualTo(1.0);
        assertThat(i.labels()).containsEntry("node", "w1").containsEntry("join_leader", "true")
            .containsOnlyKeys("node", "check_name", "check_id", "join_leader");
        assertThat(i.labels().get("check_name")).isEqualTo(expectedIds.get(i.labels().get("check_id")));
      });
      assertThat(info.stream().map(i -> i.labels().get("check_id")).collect(Collectors.toSet()))
          .isEqualTo(expectedIds.keySet());

      assertThat(s.value("leader_election_is_leader", "is_leader", "true", "join_leader", "true")).contains(1.0);
      assertThat(s.find("leader_election_is_leader", "is_leader", "false")).isEmpty();
      assertProcessSeries(s);
    });

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape s = Scrape.fetch(follower.metricsPort());
      assertThat(s.value("api_requests", "handler", "postCheckStatus", "status", "200", "forwarded", "true"))
          .contains(1.0);
      assertThat(s.value("forwarded_requests", "handler", "postCheckStatus")).contains(1.0);
      assertThat(s.value("forwarded_requests_total", "handler", "postCheckStatus")).contains(1.0);
      assertThat(s.types()).containsEntry("forwarded_requests", "counter");
      assertThat(s.value("api_request_duration_seconds_count", "handler", "postCheckStatus")).contains(1.0);
      assertThat(s.value("leader_election_is_leader", "is_leader", "false", "join_leader", "true")).contains(1.0);
      assertThat(s.samples()).as("dispatcher series only on the leader")
          .noneMatch(x -> x.name().startsWith("cluster_checks_") || x.name().startsWith("endpoint_checks_"));
      assertThat(s.types().keySet()).noneMatch(n -> n.startsWith("cluster_checks_"));
      assertProcessSeries(s);
    });
  }

  private static void assertProcessSeries(Scrape s) {
    for (String name : Set.of("jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count", "process_files_open_files",
        "process_files_max_files", "process_uptime_seconds", "process_start_time_seconds")) {
      assertThat(s.has(name)).as(name).isTrue();
    }
    assertThat(s.value("process_files_open_files")).hasValueSatisfying(v -> assertThat(v).isPositive());
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
