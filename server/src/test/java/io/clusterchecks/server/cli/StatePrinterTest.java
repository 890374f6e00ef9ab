package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.ha.LeadershipHandler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every branch of the {@code clusterchecks} text, as the reference prints it. */
class StatePrinterTest {
  private static final Config HTTP = Config.builder("http_check").clusterCheck(true).provider("file")
      .source("file:/etc/conf.d/http_check.d/a.yaml").instanceYaml("name: a\nurl: http://a/\n").build();
  private static final Config TCP = Config.builder("tcp_check").clusterCheck(true).provider("file")
      .source("file:/etc/conf.d/tcp_check.d/b.yaml").instanceYaml("name: b\nhost: b\n")
      .initConfigYaml("timeout: 5\n").build();

  private static String printed(Consumer<PrintWriter> print) {
    StringWriter w = new StringWriter();
    PrintWriter out = new PrintWriter(w);
    print.accept(out);
    out.flush();
    return w.toString();
  }

  private static String printed(StateResponse s, String check) {
    return printed(out -> StatePrinter.print(s, check, out));
  }

  @Test
  void aFollowerSaysDispatchingIsNotRunningHere() {
    StateResponse s = new StateResponse(LeadershipHandler.CURRENTLY_FOLLOWER, false, List.of(), List.of())
        .withLeaderIp("10.0.0.7");
    assertThat(printed(s, null)).isEqualTo("Cluster-check dispatching logic not running: currently follower\n");
  }

  @Test
  void warmup() {
    StateResponse s = new StateResponse("", true, List.of(new StateResponse.Node("w1", List.of())), List.of());
    assertThat(printed(s, null)).isEqualTo("=== Warmup in progress ===\nNo configuration has been processed yet\n");
  }

  @Test
  void zeroAgentsWithUnassignedConfigs() {
    StateResponse s = new StateResponse("", false, List.of(), List.of(HTTP));
    String text = printed(s, null);
    assertThat(text).startsWith("=== Unassigned configurations ===\n\n=== http_check check ===\n")
        .contains("Configuration provider: file\n")
        .contains("Configuration source: file:/etc/conf.d/http_check.d/a.yaml\n")
        .contains("Config for instance ID: " + CheckIds.checkIds(HTTP).get(0) + "\nname: a\nurl: http://a/\n~\n")
        .endsWith("=== Zero agent reporting ===\n"
            + "No check will be dispatched until agents report to the cluster-agent\n");
  }

  @Test
  void agentsTableSortedByNameThenTheChecksOfEach() {
    StateResponse s = new StateResponse("", false, List.of(
        new StateResponse.Node("runner-b", List.of(TCP)),
        new StateResponse.Node("a", List.of()),
        new StateResponse.Node("runner-a", List.of(HTTP))), List.of());
    String text = printed(s, null);
    assertThat(text).startsWith("=== 3 agents reporting ===\n\n"
        + "Name      Running checks\n"
        + "a         0\n"
        + "runner-a  1\n"
        + "runner-b  1\n\n"
        + "===== Checks on runner-a =====\n\n=== http_check check ===\n");
    assertThat(text).contains("===== Checks on runner-b =====\n\n=== tcp_check check ===\n")
        .contains("Init Config:\ntimeout: 5\n===\n")
        .doesNotContain("Checks on a ")
        .doesNotContain("Unassigned");
  }

  @Test
  void aProvisionalAgentIsMarkedInTheTableAndKeptByTheFilter() {
    StateResponse s = new StateResponse("", false, List.of(new StateResponse.Node("runner-a", List.of(HTTP)),
        new StateResponse.Node("runner-b", List.of(TCP), List.of(), true)), List.of());
    assertThat(printed(s, null)).startsWith("=== 2 agents reporting ===\n\n"
        + "Name      Running checks\n"
        + "runner-a  1\n"
        + "runner-b  1  (provisional: not reported to this leader yet)\n\n");
    assertThat(StatePrinter.filter(s, "tcp_check").nodes()).extracting(StateResponse.Node::provisional)
        .containsExactly(false, true);
  }

  @Test
  void theCheckFilterKeepsTheTableAndOnlyThatChecksConfigs() {
    StateResponse s = new StateResponse("", false, List.of(new StateResponse.Node("w", List.of(HTTP, TCP))),
        List.of(TCP));
    String text = printed(s, "http_check");
    assertThat(text).contains("w     2\n").contains("=== http_check check ===").doesNotContain("tcp_check")
        .doesNotContain("Unassigned");
    StateResponse filtered = StatePrinter.filter(s, "tcp_check");
    assertThat(filtered.nodes().get(0).configs()).containsExactly(TCP);
    assertThat(filtered.dangling()).containsExactly(TCP);
    assertThat(StatePrinter.filter(s, null)).isSameAs(s);
  }

  @Test
  void endpointsChecksSayWhereTheyAreDispatched() {
    Config ep = Config.builder("http_check").clusterCheck(false).provider("kube_endpoints")
        .source("kube_endpoints:kube_endpoint_uid://default/web/10.0.0.5").nodeName("node-3")
        .instanceYaml("url: http://10.0.0.5/\n").adIdentifiers(List.of("kube_endpoint_uid://default/web/10.0.0.5"))
        .build();
    String text = printed(out -> StatePrinter.printEndpoints(List.of(ep), false, out));
    assertThat(text).startsWith("===== 1 Pod-backed Endpoints-Checks scheduled =====\n\n=== http_check check ===\n")
        .contains("Configuration provider: kube_endpoints\n")
        .contains("Auto-discovery IDs:\n* kube_endpoint_uid://default/web/10.0.0.5\n")
        .contains("State: dispatched to node-3\n===\n");
  }
}
