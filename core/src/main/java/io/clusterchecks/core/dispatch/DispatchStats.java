package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.wire.NodeType;
import java.util.Map;
import java.util.Set;

/**
 * Counters for the {@code status} command and agent metadata (docs/reference/dispatcher.md section 18).
 *
 * @param leading this replica dispatches
 * @param warmingUp leading, but still letting workers report before dispatching
 * @param nodeCount workers reporting
 * @param activeConfigs cluster checks assigned to a worker
 * @param danglingConfigs cluster checks no worker runs
 * @param totalConfigs every known cluster check (active + dangling + waiting for warmup)
 * @param endpointsConfigs endpoints checks held for Kubernetes nodes
 * @param unscheduledChecks dangling longer than the unscheduled threshold
 * @param checkNames distinct check names among cluster checks
 * @param nodeTypes workers per node type
 */
public record DispatchStats(
    boolean leading,
    boolean warmingUp,
    int nodeCount,
    int activeConfigs,
    int danglingConfigs,
    int totalConfigs,
    int endpointsConfigs,
    int unscheduledChecks,
    Set<String> checkNames,
    Map<NodeType, Integer> nodeTypes) {
  public DispatchStats {
    checkNames = Set.copyOf(checkNames);
    nodeTypes = Map.copyOf(nodeTypes);
  }
}
