package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.api.RequestGate;
import io.clusterchecks.server.ha.LeadershipHandler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code status} section in each state the reference distinguishes, as text and as JSON. */
class StatusSummaryTest {
  private static final String HEADER = "==========================\nCluster Checks Dispatching\n==========================\n";
  private static final Config C = Config.builder("http_check").clusterCheck(true).instanceYaml("name: a\n").build();

  private static String text(StatusSummary s) {
    StringWriter w = new StringWriter();
    s.print(new PrintWriter(w));
    return w.toString();
  }

  private static String json(StatusSummary s) {
    StringWriter w = new StringWriter();
    new JsonOutput().print(s, new PrintWriter(w));
    return w.toString();
  }

  @Test
  void leaderServing() {
    StatusSummary s = StatusSummary.of(new StateResponse("", false,
        List.of(new StateResponse.Node("w1", List.of(C, C)), new StateResponse.Node("w2", List.of())), List.of(C)));
    assertThat(text(s)).isEqualTo(HEADER + "  Status: Leader, serving requests\n  Active agents: 2\n"
        + "  Check Configurations: 3\n    - Dispatched: 2\n    - Unassigned: 1\n");
    assertThat(json(s)).contains("\"status\" : \"leader\"").contains("\"active_agents\" : 2")
        .contains("\"check_configurations\" : 3").contains("\"dispatched\" : 2").contains("\"unassigned\" : 1")
        .doesNotContain("provisional");
  }

  @Test
  void leaderAfterAFailoverCountsTheAgentsThatHaveNotReportedYet() {
    StatusSummary s = StatusSummary.of(new StateResponse("", false, List.of(new StateResponse.Node("w1", List.of(C)),
        new StateResponse.Node("w2", List.of(C), List.of(), true)), List.of()));
    assertThat(text(s)).isEqualTo(HEADER + "  Status: Leader, serving requests\n  Active agents: 2\n"
        + "  Check Configurations: 2\n    - Dispatched: 2\n    - Unassigned: 0\n"
        + "  Provisional agents (not reported to this leader yet): 1\n");
    assertThat(json(s)).contains("\"provisional_agents\" : 1");
  }

  @Test
  void leaderWarmingUp() {
    StatusSummary s = StatusSummary.of(new StateResponse("", true, List.of(), List.of()));
    assertThat(text(s)).isEqualTo(HEADER + "  Status: Leader, warming up\n");
    assertThat(s.status()).isEqualTo("leader_warming_up");
  }

  @Test
  void followerWithTheLeadersAddress() {
    StatusSummary s = StatusSummary.of(new StateResponse(LeadershipHandler.CURRENTLY_FOLLOWER, false, List.of(),
        List.of()).withLeaderIp("10.1.2.3"));
    assertThat(text(s)).isEqualTo(HEADER + "  Status: Follower, redirecting to leader at 10.1.2.3\n");
    assertThat(json(s)).contains("\"status\" : \"follower\"").contains("\"leader_ip\" : \"10.1.2.3\"");
  }

  @Test
  void followerWithoutALeader() {
    StatusSummary s = StatusSummary.of(new StateResponse(LeadershipHandler.CURRENTLY_FOLLOWER, false, List.of(),
        List.of()));
    assertThat(text(s)).isEqualTo(HEADER + "  Status: Follower, no leader found\n");
  }

  @Test
  void unknownWhileNoLeaderIsKnown() {
    StatusSummary s = StatusSummary.of(new StateResponse(RequestGate.STARTUP_IN_PROGRESS, false, List.of(), List.of()));
    assertThat(text(s)).isEqualTo(HEADER + "  Status: unknown\n");
    assertThat(s.status()).isEqualTo("unknown");
  }

  @Test
  void notEnabled() {
    assertThat(text(StatusSummary.notEnabled())).isEqualTo(HEADER + "  Status: Not Enabled\n");
  }
}
