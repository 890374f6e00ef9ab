package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.balance.CheckLoad;
import io.clusterchecks.core.balance.Convergence;
import io.clusterchecks.core.balance.MinMoveBalancer;
import io.clusterchecks.core.balance.Move;
import io.clusterchecks.core.balance.Plan;
import io.clusterchecks.core.balance.RunnerLoad;
import io.clusterchecks.core.balance.WorthIt;
import io.clusterchecks.core.config.CollectionIntervals;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatching by load (docs/reference/dispatcher.md sections 9 to 11, section 15): which mode
 * places configs, runner stats folded into loads, the rebalance and the isolate commands. Moves
 * are ordinary reassignments through {@link Assignments}. Dispatch thread only.
 */
final class LoadBalancing {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final DispatcherSettings.Balancing settings;
  private final ConfigInventory inventory;
  private final NodeRegistry registry;
  private final Assignments assignments;
  private final DispatchMetrics metrics;
  private final Consumer<Boolean> loadAwareFlag;
  private final MinMoveBalancer balancer;

  LoadBalancing(DispatcherSettings.Balancing settings, ConfigInventory inventory, NodeRegistry registry,
      Assignments assignments, DispatchMetrics metrics, Consumer<Boolean> loadAwareFlag) {
    this.settings = settings;
    this.inventory = inventory;
    this.registry = registry;
    this.assignments = assignments;
    this.metrics = metrics;
    this.loadAwareFlag = loadAwareFlag;
    this.balancer = new MinMoveBalancer(settings.target(), settings.trigger(), settings.fillBelow());
  }

  /**
   * Advanced dispatching (place and rebalance by load) while only cluster check runners report;
   * by config count while node agents are in the pool, because they run no runner API to measure.
   * Unlike the reference's one-way latch, load-aware dispatching comes back when they leave.
   */
  void refreshMode() {
    Placement choice = assignments.choice();
    Placement.Mode wanted = settings.advancedDispatching() && registry.nodeAgents() == 0
        ? Placement.Mode.LOAD : Placement.Mode.COUNT;
    if (wanted != choice.mode()) {
      if (!registry.isEmpty() || wanted == Placement.Mode.COUNT) {
        LOG.info(wanted == Placement.Mode.LOAD
            ? "Advanced dispatching on: no node agent reports, configs are placed and rebalanced by load"
            : "Advanced dispatching off: {} node agent(s) report, configs are placed by count", registry.nodeAgents());
      }
      choice.mode(wanted);
    }
    loadAwareFlag.accept(wanted == Placement.Mode.LOAD);
  }

  boolean isLoadAware() {
    return assignments.choice().mode() == Placement.Mode.LOAD;
  }

  /**
   * Folds in fresh runner stats. A runner's stats count for a config only while that config runs
   * there (a config that just moved keeps its last measured load until its new runner reports);
   * checks the runner runs that are not ours count as its external load.
   */
  void updateRunnerStats(Map<String, RunnerStats> byNode) {
    Map<String, Double> fresh = new HashMap<>();
    for (Map.Entry<String, RunnerStats> e : byNode.entrySet()) {
      NodeState node = registry.get(e.getKey());
      if (node == null) {
        continue;
      }
      node.workers = e.getValue().workers();
      double external = 0;
      for (Map.Entry<String, CheckStats> c : e.getValue().checks().entrySet()) {
        String digest = inventory.digestOfCheckId(c.getKey());
        DispatchedConfig dc = digest == null ? null : inventory.get(digest);
        int index = dc == null ? -1 : dc.checkIds().indexOf(c.getKey());
        int interval = index < 0 ? CollectionIntervals.DEFAULT_SECONDS : dc.intervalSeconds().get(index);
        double load = Math.min(1.0, Math.max(0, c.getValue().averageExecutionTimeMs()) / (interval * 1000.0));
        if (dc == null) {
          external += load;
        } else if (assignments.nodeOf(digest) == node) {
          fresh.merge(digest, load, Double::sum);
        }
      }
      node.externalLoad = external;
    }
    assignments.loads().update(fresh, inventory::get);
    assignments.resum(registry.all());
    registry.refreshTypes();
    refreshMode();
    metrics.utilization(registry.all());
  }

  /**
   * Moves configs off over-utilized runners with as few moves as possible (see
   * {@link MinMoveBalancer}). A periodic rebalance applies its plan only when some runner is
   * beyond the trigger and the spread improves by the configured percentage, and then only the
   * corrections worth it ({@link WorthIt}); {@code force} applies the whole plan; {@code dryRun}
   * applies nothing and shows what would be applied. {@code onDemand} (a person asked): one call
   * lands inside the band when the sizes allow it ({@link Convergence}), the whole plan applied.
   */
  RebalanceResult rebalance(boolean force, boolean dryRun, boolean onDemand) {
    long started = System.nanoTime();
    if (!isLoadAware()) {
      return RebalanceResult.refused(RebalanceResult.Refusal.ADVANCED_DISPATCHING_OFF,
          "no checks to rebalance: advanced dispatching is not enabled");
    }
    LoadModel loads = assignments.loads();
    List<RunnerLoad> runners = new ArrayList<>(registry.size());
    for (NodeState n : registry.all()) {
      List<CheckLoad> units = new ArrayList<>(n.configs.size() + 1);
      for (DispatchedConfig dc : n.configs.values()) {
        boolean pinned = settings.excludeFromDispatching().contains(dc.checkName()) || !loads.isMeasured(dc.digest());
        units.add(new CheckLoad(dc.digest(), dc.checkName(), loads.load(dc), pinned));
      }
      if (n.externalLoad > 0) {
        units.add(new CheckLoad("external:" + n.name, "(checks not dispatched by us)", n.externalLoad, true));
      }
      runners.add(new RunnerLoad(n.name, n.workers, units));
    }
    runners.sort(Comparator.comparing(RunnerLoad::name));
    int budget = settings.budgetFor(inventory.size());
    Convergence.Result converged = onDemand
        ? Convergence.plan(balancer, runners, force ? settings.target() : settings.trigger(), budget) : null;
    WorthIt.Verdict verdict = onDemand ? Convergence.judge(converged, settings.trigger(), settings.fillBelow(), force)
        : WorthIt.judge(balancer.plan(runners, budget), settings.trigger(), settings.fillBelow(),
            settings.minImprovementPercent(), force);
    Plan plan = verdict.applied();
    String reason = verdict.reason();
    if (reason.isEmpty() && dryRun) {
      reason = "dry run";
    }
    boolean apply = reason.isEmpty();
    if (apply) {
      for (Move m : plan.moves()) {
        DispatchedConfig dc = inventory.get(m.digest());
        NodeState from = registry.get(m.from());
        NodeState to = registry.get(m.to());
        if (dc == null || from == null || to == null || assignments.nodeOf(m.digest()) != from) {
          continue; // cannot happen within one transition; kept as a guard against a stale plan
        }
        assignments.move(dc, to);
        LOG.info("Rebalance: moved {} ({} workers of load) from {} to {}", dc.label(),
            String.format("%.3f", m.load()), m.from(), m.to());
      }
      LOG.info("Rebalance{}: {} configs moved, busiest runner {} -> {} of the mean{}",
          force ? " (forced)" : "", plan.moves().size(), String.format("%.3f", plan.before().maxOverMean()),
          String.format("%.3f", plan.after().maxOverMean()), verdict.dropped() > 0
              ? "; " + verdict.dropped() + " more moves of small corrections left out as not worth it"
              : onDemand && converged.budgetStopped() ? "; the move budget (" + budget + ") stopped it "
                  + (converged.movesNeeded() - plan.moves().size()) + " moves short of the band" : "");
    } else {
      LOG.debug("Rebalance not applied: {}", reason);
    }
    // Predicted utilization is what the runners carry after this decision: the moved state when
    // the plan was applied, the unchanged one when it was not (nothing will move until the next).
    metrics.rebalanced(plan.moves().size(), apply ? plan.moves().size() : 0,
        (System.nanoTime() - started) / 1e9, registry.all());
    return new RebalanceResult(RebalanceResult.Refusal.NONE, apply, dryRun, reason, plan.moves(),
        plan.before(), plan.after(), onDemand ? converged.movesNeeded() : 0);
  }

  /**
   * Leaves the check's config alone on its runner: every other config there moves to the other
   * runners, least utilized first (docs/reference/dispatcher.md section 11). Accepts a check ID or
   * a config digest.
   */
  IsolateResult isolate(String checkId) {
    if (registry.size() < 2) {
      return new IsolateResult(checkId, "", false, "No other runners available");
    }
    String digest = inventory.contains(checkId) ? checkId : inventory.digestOfCheckId(checkId);
    NodeState home = digest == null ? null : assignments.nodeOf(digest);
    if (home == null) {
      return new IsolateResult(checkId, "", false, "Unable to find check");
    }
    List<DispatchedConfig> others = new ArrayList<>(home.configs.values());
    others.removeIf(dc -> dc.digest().equals(digest));
    for (DispatchedConfig dc : others) {
      assignments.move(dc, assignments.choice().leastLoadedExcept(home));
    }
    LOG.info("Isolated {} on {}: {} other configs moved away", checkId, home.name, others.size());
    return new IsolateResult(checkId, home.name, true, "");
  }
}
