package io.clusterchecks.server.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.ha.LeadershipHandler;
import java.io.PrintWriter;

/**
 * The "Cluster Checks Dispatching" section of the reference's {@code status}, computed from the
 * state answer; printed as the reference's text or as JSON.
 *
 * @param status {@code leader}, {@code leader_warming_up}, {@code follower}, {@code unknown} or
 *     {@code not_enabled}
 * @param leaderIp the leader a follower forwards to, "" when unknown or not following
 * @param provisionalAgents ours: agents among the active ones that a new leader took from the
 *     previous leader's placement and that have not reported to it yet (left out of JSON when 0)
 */
record StatusSummary(
    @JsonProperty("status") String status,
    @JsonProperty("leader_ip") String leaderIp,
    @JsonProperty("active_agents") int activeAgents,
    @JsonProperty("check_configurations") int checkConfigurations,
    @JsonProperty("dispatched") int dispatched,
    @JsonProperty("unassigned") int unassigned,
    @JsonProperty("provisional_agents") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int provisionalAgents) {

  StatusSummary(String status, String leaderIp, int activeAgents, int checkConfigurations, int dispatched,
      int unassigned) {
    this(status, leaderIp, activeAgents, checkConfigurations, dispatched, unassigned, 0);
  }

  static final String LEADER = "leader";
  static final String WARMING_UP = "leader_warming_up";
  static final String FOLLOWER = "follower";
  static final String UNKNOWN = "unknown";
  static final String NOT_ENABLED = "not_enabled";

  static StatusSummary of(StateResponse s) {
    if (LeadershipHandler.CURRENTLY_FOLLOWER.equals(s.notRunning())) {
      return new StatusSummary(FOLLOWER, s.leaderIp(), 0, 0, 0, 0);
    }
    if (!s.notRunning().isEmpty()) {
      return new StatusSummary(UNKNOWN, "", 0, 0, 0, 0);
    }
    if (s.warmup()) {
      return new StatusSummary(WARMING_UP, "", s.nodes().size(), 0, 0, 0);
    }
    int dispatched = s.nodes().stream().mapToInt(n -> n.configs().size()).sum();
    int provisional = (int) s.nodes().stream().filter(StateResponse.Node::provisional).count();
    return new StatusSummary(LEADER, "", s.nodes().size(), dispatched + s.dangling().size(), dispatched,
        s.dangling().size(), provisional);
  }

  static StatusSummary notEnabled() {
    return new StatusSummary(NOT_ENABLED, "", 0, 0, 0, 0);
  }

  /** The reference's text for each state. */
  void print(PrintWriter out) {
    out.println("==========================");
    out.println("Cluster Checks Dispatching");
    out.println("==========================");
    switch (status) {
      case LEADER -> {
        out.println("  Status: Leader, serving requests");
        out.println("  Active agents: " + activeAgents);
        out.println("  Check Configurations: " + checkConfigurations);
        out.println("    - Dispatched: " + dispatched);
        out.println("    - Unassigned: " + unassigned);
        if (provisionalAgents > 0) {
          // Ours: agents a new leader kept from the previous placement that have not reported yet.
          out.println("  Provisional agents (not reported to this leader yet): " + provisionalAgents);
        }
      }
      case WARMING_UP -> out.println("  Status: Leader, warming up");
      case FOLLOWER -> out.println(leaderIp.isEmpty()
          ? "  Status: Follower, no leader found"
          : "  Status: Follower, redirecting to leader at " + leaderIp);
      case NOT_ENABLED -> out.println("  Status: Not Enabled");
      default -> out.println("  Status: unknown");
    }
    out.flush();
  }
}
