package io.clusterchecks.server.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What the page shows, built once per tick and sent to every browser as one JSON document.
 * Every list is bounded (see {@link SnapshotBuilder}); {@code checksTotal} and the other totals
 * say how many there were before the cut. Ages are sent as absolute times so that the document
 * changes only when the fleet does; the page computes "5 s ago".
 */
record DashboardSnapshot(
    long generatedAtMillis,
    Leadership leadership,
    Fleet fleet,
    List<RunnerRow> runners,
    List<CheckRow> checks,
    int checksTotal,
    List<UnassignedRow> unassigned,
    int unassignedTotal,
    List<ProblemRow> problems,
    List<TimelineEvent> events,
    UtilizationHistory.Chart history) {

  /**
   * @param role leader, follower or unknown
   * @param notRunning why this replica does not dispatch, or ""
   * @param sinceMillis when the role last changed (or when the dashboard started watching)
   */
  record Leadership(String role, String self, String leader, boolean warmup, String notRunning, long sinceMillis) {}

  /**
   * Fleet-wide figures.
   *
   * @param nodeTypes workers per node type, as the dispatcher counts them
   * @param loadAware utilization is known (advanced dispatching with runner stats)
   * @param meanUtilization mean over the runners whose utilization is known
   */
  record Fleet(int runners, int configs, int dispatched, int dangling, int unscheduled, int endpointsChecks,
      Map<String, Integer> nodeTypes, boolean loadAware, double meanUtilization, DashboardSources.Band band) {}

  /**
   * One runner.
   *
   * @param utilization load over check workers, null when unknown
   * @param nodeType what the runner is known as ({@code clc runner} when it serves runner stats)
   * @param lastHeartbeatMillis the last status this listener answered for it, null when none seen
   * @param statsAtMillis when its runner stats were collected, null when never
   */
  record RunnerRow(String name, int configs, Double utilization, String nodeType, Long lastHeartbeatMillis,
      Long statsAtMillis) {}

  /**
   * One dispatched or dangling config.
   *
   * @param runner the worker running it, "" when unassigned
   * @param avgExecutionMs the runner's mean run time over its instances, null when unmeasured
   * @param lastStatus {@code ok}, the last error (scrubbed), or "" when unknown
   * @param instance the first instance's YAML, secrets masked, cut short
   */
  record CheckRow(String digest, String checkName, String source, List<String> checkIds, String runner,
      Long avgExecutionMs, String lastStatus, String instance) {}

  record UnassignedRow(String digest, String checkName, String source, String reason) {}

  /** A config source problem; {@code message} carries the line when the parser gave one. */
  record ProblemRow(String entity, String message) {}

  /**
   * A timeline entry.
   *
   * @param kind dispatched, removed, moved, re-dispatched, rebalanced, dangling, joined, expired, leadership
   */
  record TimelineEvent(long atMillis, String kind, String text) {}
}
