package io.clusterchecks.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.server.Agent;
import io.clusterchecks.server.testing.LeaderAndFollower;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.clusterchecks.simulator.SyntheticCosts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and the Grafana dashboard in {@code deploy/} read only series that the agent
 * really exposes: every metric name their queries use is found in real scrapes of a leader and a
 * follower driven through everything that makes series appear (runner stats, a rebalance, an
 * endpoints check, a forward, a failed stats collection, expiries, an unscheduled check, a GC).
 * The rules also pass {@code promtool check rules}, and {@code promtool test rules} with
 * {@code alerts_test.yaml}: each alert fires on its situation and stays quiet otherwise.
 */
class DashboardsAndAlertsTest {
  private static final Path ALERTS = Path.of("deploy", "prometheus", "alerts.yaml");
  private static final Path ALERTS_TEST = Path.of("deploy", "prometheus", "alerts_test.yaml");
  private static final Path DASHBOARD = Path.of("deploy", "grafana", "clusterchecks.json");

  /** PromQL words that are not series: functions, aggregations, operators, modifiers. */
  private static final Set<String> PROMQL_WORDS = Set.of(
      "sum", "avg", "min", "max", "count", "rate", "irate", "increase", "delta", "histogram_quantile",
      "vector", "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
      "offset", "bool", "abs", "absent", "clamp_min", "clamp_max", "topk", "bottomk", "changes",
      "label_replace", "time", "e", "inf", "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @TempDir
  Path tmp;

  static Path repoFile(Path relative) {
    for (Path p : List.of(relative, Path.of("..").resolve(relative))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(relative + " not found from " + Path.of("").toAbsolutePath());
  }

  /** The metric names a PromQL expression reads. */
  static Set<String> metricNames(String expr) {
    String e = expr
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ")            // string literals
        .replaceAll("\\{[^}]*}", " ")                          // label matchers
        .replaceAll("\\[[^]]*]", " ")                          // ranges
        .replaceAll("\\$\\w+", " ")                            // Grafana variables
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
        .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(e);
    while (m.find()) {
      if (!PROMQL_WORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  static List<String> alertExpressions() throws IOException {
    JsonNode rules = new YAMLMapper().readTree(repoFile(ALERTS).toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        assertThat(rule.get("alert").asString()).matches("ClusterChecks[A-Za-z]+");
        assertThat(rule.at("/labels/severity").asString()).isIn("critical", "warning");
        assertThat(rule.at("/annotations/summary").asString()).isNotBlank();
        assertThat(rule.at("/annotations/runbook").asString()).startsWith("docs/operations.md#");
        exprs.add(rule.get("expr").asString());
      }
    }
    return exprs;
  }

  static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(repoFile(DASHBOARD).toFile());
    Set<Integer> ids = new HashSet<>();
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
      JsonNode pos = panel.get("gridPos");
      assertThat(pos.get("x").asInt() + pos.get("w").asInt()).as(panel.get("title").asString()).isLessThanOrEqualTo(24);
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.get("expr").asString());
      }
    }
    return exprs;
  }

  @Test
  void theMetricNameParserSeesOnlySeries() {
    assertThat(metricNames("sum by (node) (increase(cluster_checks_failed_stats_collection{node=~\"a.*\"}[10m])) > 3"))
        .containsExactly("cluster_checks_failed_stats_collection");
    assertThat(metricNames("histogram_quantile(0.99, sum by (handler, le) (rate(api_request_duration_seconds_bucket[$__rate_interval])))"))
        .containsExactly("api_request_duration_seconds_bucket");
    assertThat(metricNames("count(a) > 0 and on() (sum(b{x=\"y\"}) or on() vector(0)) == 0")).containsExactly("a", "b");
  }

  @Test
  void everySeriesTheAlertsAndTheDashboardReadIsExposed() throws Exception {
    Set<String> used = new TreeSet<>();
    alertExpressions().forEach(e -> used.addAll(metricNames(e)));
    dashboardExpressions().forEach(e -> used.addAll(metricNames(e)));
    assertThat(used).as("the parser found the series").contains("leader_election_is_leader", "api_requests",
        "cluster_checks_busyness", "jvm_gc_pause_seconds_sum");

    Set<String> exposed = exposedAfterEverything();
    assertThat(exposed).as("series the agent exposed").containsAll(used);
  }

  /** Sample names of every scrape taken while driving a leader and a follower through it all. */
  private Set<String> exposedAfterEverything() throws Exception {
    Path confd = tmp.resolve("conf.d");
    write(confd.resolve("heavy.d/h.yaml"), "name: heavy");
    write(confd.resolve("light.d/l.yaml"), "name: light");
    int runnerPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      runnerPort = s.getLocalPort();
    }
    Set<String> exposed = new TreeSet<>();
    try (LeaderAndFollower replicas = new LeaderAndFollower(confd, Map.of(
        "DD_CLUSTER_CHECKS_ADVANCED_DISPATCHING_ENABLED", "true",
        "DD_CLUSTER_CHECKS_CLC_RUNNERS_PORT", Integer.toString(runnerPort),
        "DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", "2",
        "DD_CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD", "2",
        "DD_CLUSTER_CHECKS_REBALANCE_PERIOD", "1h"))) {
      Agent leader = replicas.leader;
      SimulatedWorkerFleet fleet = SimulatedWorkerFleet.builder(LeaderAndFollower.url(leader), LeaderAndFollower.TOKEN)
          .count(2).pollInterval(Duration.ofMillis(200))
          .workerCustomizer(b -> b.nodeExpirationTimeout(Duration.ofSeconds(2)))
          .runnerApi(true).runnerToken(LeaderAndFollower.TOKEN).runnerPort(runnerPort).runnerTls(true)
          .runnerCosts(SyntheticCosts.builder().checkName("heavy", SyntheticCosts.Cost.of(3000)).build())
          .build();
      try {
        fleet.startAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> leader.dispatcher().stats().activeConfigs() == 2);
        // A worker through the follower (forwarded), with no address: its stats cannot be collected.
        LeaderAndFollower.client(replicas.follower).postStatus("no-address", new NodeStatus(0, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.dispatcher().stats().nodeCount() == 3);
        // It reports once and expires after 2 s, and a collection that no longer lists it drops its
        // series; the agent also collects on its own when a runner joins, so report again right
        // before the collection whose failure is scraped.
        LeaderAndFollower.client(replicas.follower).postStatus("no-address", new NodeStatus(0, 0));
        leader.collectRunnerStats().get(10, TimeUnit.SECONDS);
        exposed.addAll(names(Scrape.fetch(leader.metricsPort())));
        await().atMost(Duration.ofSeconds(10)).until(
            () -> Scrape.fetch(leader.metricsPort()).has("cluster_checks_busyness"));
        LeaderAndFollower.client(leader).rebalance(true, false);
        leader.dispatcher().schedule(List.of(Config.builder("http_check").clusterCheck(true).provider("kube_endpoints")
            .nodeName("k8s-node-1").instanceYaml("url: http://10.0.0.5/\n").build()));
        await().atMost(Duration.ofSeconds(10)).until(
            () -> Scrape.fetch(leader.metricsPort()).has("endpoint_checks_configs_dispatched"));
        exposed.addAll(names(Scrape.fetch(leader.metricsPort())));
        exposed.addAll(names(Scrape.fetch(replicas.follower.metricsPort())));
      } finally {
        fleet.close();
      }
      // Every worker goes silent: they expire, and the checks they ran become unscheduled.
      System.gc();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        Scrape s = Scrape.fetch(leader.metricsPort());
        return s.has("cluster_checks_unscheduled_check") && s.has("jvm_gc_pause_seconds_count");
      });
      exposed.addAll(names(Scrape.fetch(leader.metricsPort())));
    }
    return exposed;
  }

  private static Set<String> names(Scrape s) {
    Set<String> names = new TreeSet<>();
    s.samples().forEach(x -> names.add(x.name()));
    return names;
  }

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    boolean installed = onPath("promtool");
    if (System.getenv("CI") != null) {
      assertThat(installed).as("CI installs promtool (Debian package prometheus, see .ci/run)").isTrue();
    }
    Assumptions.assumeTrue(installed, "promtool is not installed (Debian package prometheus)");
    Process p = new ProcessBuilder("promtool", "check", "rules", repoFile(ALERTS).toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS: " + alertExpressions().size() + " rules found");

    // Each alert fires on the situation it names, and stays quiet otherwise.
    Process t = new ProcessBuilder("promtool", "test", "rules", repoFile(ALERTS_TEST).toString())
        .redirectErrorStream(true).start();
    String tested = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(t.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(t.exitValue()).as(tested).isZero();
    assertThat(tested).contains("SUCCESS");
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void write(Path file, String instanceName) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "cluster_check: true\ninit_config:\ninstances:\n  - " + instanceName + "\n");
  }
}
