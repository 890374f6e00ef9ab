package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.balance.MinMoveBalancer;
import io.clusterchecks.core.balance.Move;
import io.clusterchecks.core.balance.Plan;
import io.clusterchecks.core.balance.Runner;
import io.clusterchecks.core.balance.Unit;
import io.clusterchecks.core.balance.WorthIt;
import io.clusterchecks.core.config.CollectionIntervals;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.core.time.TaskScheduler.Cancellable;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch state machine. Every field is owned by the dispatch thread: there are no locks,
 * because nothing else touches it. Each public-to-the-package method is one transition (a config
 * arrives or goes, a node registers or expires, warmup ends, leadership is lost), runs to
 * completion, and ends with {@link #publish()}, which hands immutable per-node snapshots to the
 * readers and gives every changed node one new version token.
 *
 * <p>Improvements on the reference (docs/reference/dispatcher.md), each deliberate:
 * <ul>
 *   <li>A node expires exactly {@code node_expiration_timeout} after its last heartbeat (a timer per
 *       deadline, not a half-timeout ticker), and its configs are dispatched again in the same
 *       transition.
 *   <li>Placement is O(log n) on (load, name), so ties are deterministic.
 *   <li>Scheduling a digest that is already known does not move it (no churn on a source replay).
 *   <li>Removing an unknown or unassigned digest is a no-op (docs/reference/known-problems.md item 1), and the
 *       dangling and unscheduled gauges are decremented exactly once.
 *   <li>A dangling config is flagged as unscheduled exactly when it passes the threshold.
 * </ul>
 */
final class DispatchState {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** Batches up to this size log one line per config; bigger ones log a summary. */
  private static final int DETAIL_LOG_LIMIT = 20;

  /** Where snapshots go; implemented by {@link Dispatcher}. */
  interface Publisher {
    void publishNode(NodeConfigs snapshot);

    void unpublishNode(String node);

    void publishEndpoints(NodeConfigs snapshot);

    void unpublishEndpoints(String k8sNode);

    /** A config's worker changed: the published placement copy is out of date. */
    void placementStale();

    /** A placement copy was built: the latest, for readers that must not wait. */
    void placementBuilt(PlacementCopy copy);

    /** Whether configs are placed and rebalanced by load now. */
    void loadAware(boolean on);
  }

  private record Deadline(long atMillis, NodeState node) {}

  private final DispatcherSettings settings;
  private final InstantSource clock;
  private final TaskScheduler scheduler;
  private final Heartbeats heartbeats;
  private final DispatchMetrics metrics;
  /** Tokens of the current leadership term; replaced by {@link #lead}. */
  private VersionClock versions = new VersionClock(1);
  /** The last placement copy handed out; dropped whenever a config's node changes. */
  private PlacementCopy placementCopy;
  private final Publisher publisher;
  private final long timeoutMillis;
  private final long unscheduledMillis;

  private boolean active;
  /** What the sources said; survives a step-down (everything else here is leader state). */
  private final ConfigInventory inventory = new ConfigInventory();
  private final Map<String, NodeState> digestToNode = new HashMap<>();
  private final Map<String, NodeState> nodes = new HashMap<>();
  /** Insertion order is dangling-since order: a config is only ever appended. */
  private final LinkedHashMap<String, DanglingConfig> dangling = new LinkedHashMap<>();
  private final Placement placement = new Placement();
  /** Workers the previous leader's placement names that have not reported yet. */
  private final ProvisionalNodes provisional;
  /** Holds waiting configs briefly after the first worker reports, to spread them. */
  private final ArrivalWindow arrivals;
  private final LoadModel loads = new LoadModel();
  private final MinMoveBalancer balancer;
  private int nodeAgents;
  private final PriorityQueue<Deadline> expiries =
      new PriorityQueue<>(Comparator.comparingLong(Deadline::atMillis));
  private final List<NodeState> dirtyNodes = new ArrayList<>();
  private final TreeSet<String> dirtyEndpoints = new TreeSet<>();
  private Cancellable expiryTimer;
  private long expiryTimerAt = Long.MAX_VALUE;
  private Cancellable unscheduledTimer;
  private int unscheduledCount;

  DispatchState(DispatcherSettings settings, InstantSource clock, TaskScheduler scheduler,
      Heartbeats heartbeats, DispatchMetrics metrics, Publisher publisher) {
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.heartbeats = heartbeats;
    this.metrics = metrics;
    this.publisher = publisher;
    this.timeoutMillis = settings.nodeExpirationTimeout().toMillis();
    this.unscheduledMillis = settings.unscheduledCheckThreshold().toMillis();
    this.provisional = new ProvisionalNodes(timeoutMillis);
    this.arrivals = new ArrivalWindow(settings.arrivalWindow());
    this.balancer = new MinMoveBalancer(settings.balancing().target(), settings.balancing().trigger(),
        settings.balancing().fillBelow());
    refreshMode();
  }

  // ---------------------------------------------------------------- configs (docs/reference/dispatcher.md sections 2, 3)

  void addConfigs(List<DispatchedConfig> batch) {
    boolean detail = batch.size() <= DETAIL_LOG_LIMIT;
    int placed = 0;
    int dangled = 0;
    for (DispatchedConfig dc : batch) {
      if (dc.isEndpointsCheck()) {
        addEndpointsConfig(dc);
        continue;
      }
      if (!inventory.add(dc)) {
        LOG.debug("Config {} is already scheduled, keeping it where it is", dc.label());
        continue;
      }
      if (!active) {
        // Kept in the inventory; placed, in arrival order, when this replica dispatches.
        if (detail) {
          LOG.info("Config {} from {} added, dispatching after warmup", dc.label(), sourceOf(dc));
        }
        continue;
      }
      NodeState target = place(dc, detail);
      if (target != null) {
        placed++;
        if (detail) {
          LOG.info("Config {} from {} added, dispatched to {}", dc.label(), sourceOf(dc), target.name);
        }
      } else {
        dangled++;
      }
    }
    if (!detail) {
      LOG.info("Added {} configs: {} dispatched, {} waiting for a node, {} waiting for warmup",
          batch.size(), placed, dangled, active ? 0 : batch.size());
    }
    publish();
  }

  void removeConfigs(List<DispatchedConfig> batch) {
    boolean detail = batch.size() <= DETAIL_LOG_LIMIT;
    int removed = 0;
    for (DispatchedConfig dc : batch) {
      if (dc.isEndpointsCheck()) {
        removeEndpointsConfig(dc);
        continue;
      }
      NodeState from = digestToNode.get(dc.digest());
      if (removeConfig(dc.digest())) {
        removed++;
        if (detail) {
          LOG.info("Config {} removed{}", dc.label(), from == null ? "" : " from " + from.name);
        }
      } else {
        LOG.debug("Config {} was not scheduled, nothing to remove", dc.label());
      }
    }
    if (!detail) {
      LOG.info("Removed {} of {} configs", removed, batch.size());
    }
    publish();
  }

  private boolean removeConfig(String digest) {
    DispatchedConfig dc = inventory.remove(digest);
    if (dc == null) {
      return false;
    }
    DanglingConfig d = dangling.remove(digest);
    if (d != null && d.unscheduled()) {
      unscheduledCount--;
      metrics.unscheduled(dc.checkName(), sourceOf(dc), -1);
    }
    NodeState node = digestToNode.remove(digest);
    if (node != null) {
      placementChanged();
      unassign(dc, node);
    }
    loads.forget(digest);
    return true;
  }

  /** Puts the config on the least-loaded node, or makes it dangle when none reports. */
  private NodeState place(DispatchedConfig dc, boolean detail) {
    NodeState target = arrivals.holding() ? null : placement.leastLoaded();
    if (target == null) {
      if (detail && !arrivals.holding()) {
        LOG.warn("No available node to dispatch {} on, will retry later", dc.label());
      }
      dangling.put(dc.digest(), new DanglingConfig(dc, clock.millis(), false));
      return null;
    }
    assign(dc, target);
    return target;
  }

  private void assign(DispatchedConfig dc, NodeState node) {
    placement.remove(node);
    node.configs.put(dc.digest(), dc);
    node.configLoad += loads.load(dc);
    if (!node.provisional) {
      placement.add(node);
    }
    digestToNode.put(dc.digest(), node);
    placementChanged();
    markDirty(node);
  }

  /** Takes the config off the node; the caller updates {@code digestToNode}. */
  private void unassign(DispatchedConfig dc, NodeState node) {
    placement.remove(node);
    node.configs.remove(dc.digest());
    node.configLoad = node.configs.isEmpty() ? 0 : node.configLoad - loads.load(dc);
    if (!node.provisional) {
      placement.add(node);
    }
    markDirty(node);
  }

  private void move(DispatchedConfig dc, NodeState from, NodeState to) {
    unassign(dc, from);
    assign(dc, to);
  }

  private void addEndpointsConfig(DispatchedConfig dc) {
    String k8sNode = dc.config().nodeName();
    if (inventory.addEndpoints(dc)) {
      dirtyEndpoints.add(k8sNode);
      LOG.info("Endpoints check {} added for Kubernetes node {}", dc.label(), k8sNode);
    }
  }

  private void removeEndpointsConfig(DispatchedConfig dc) {
    String k8sNode = dc.config().nodeName();
    if (inventory.removeEndpoints(dc)) {
      dirtyEndpoints.add(k8sNode);
      LOG.info("Endpoints check {} removed from Kubernetes node {}", dc.label(), k8sNode);
    }
  }

  // ---------------------------------------------------------------- nodes (docs/reference/dispatcher.md sections 5, 7)

  /** A worker reported for the first time (or after it expired). */
  void registerNode(String name) {
    Heartbeats.Liveness l = heartbeats.get(name);
    if (nodes.containsKey(name) || l == null) {
      return; // already known, or expired again before this task ran
    }
    boolean firstToReport = nodes.isEmpty();
    NodeState claimed = provisional.claim(name);
    boolean kept = claimed != null;
    NodeState node = kept ? claimed : new NodeState(name);
    if (kept) {
      // Loads may have been re-measured since it was sized; it is ordered by them from now on.
      double sum = 0;
      for (DispatchedConfig dc : node.configs.values()) {
        sum += loads.load(dc);
      }
      node.configLoad = sum;
    }
    node.type = l.type;
    nodes.put(name, node);
    placement.add(node);
    if (node.type == NodeType.NODE_AGENT) {
      nodeAgents++;
      refreshMode();
    }
    expiries.add(new Deadline(l.lastHeartbeatMillis + timeoutMillis, node));
    if (kept) {
      // Its snapshot, with the configs the previous leader gave it, is published already.
      LOG.info("Node {} reported ({}, {} nodes reporting), keeps its {} configs of the previous placement",
          name, describe(l), nodes.size(), node.configs.size());
    } else {
      LOG.info("Node {} registered ({}, {} nodes reporting)", name, describe(l), nodes.size());
      // A fresh node answers with an empty list at version 0 rather than "unknown".
      publisher.publishNode(new NodeConfigs(name, 0, List.of()));
    }
    if (active && firstToReport && !dangling.isEmpty() && arrivals.open(scheduler, this::arrivalWindowClosed)) {
      LOG.info("Node {} is the first to report while {} configs wait for a node: dispatching them in {} ms,"
          + " over every node that reports by then", name, dangling.size(), arrivals.length().toMillis());
    }
    redispatchDangling();
    publish();
  }

  /** Timer: the arrival window ends; waiting configs go to the nodes that reported. */
  private void arrivalWindowClosed() {
    redispatchDangling();
    publish();
  }

  /**
   * Timer, at the leadership start plus the timeout: every provisional node that has not reported
   * expires. One whose first status is recorded but whose registration is queued behind this task
   * stays: the registration makes it a node.
   */
  private void expireProvisional() {
    long now = clock.millis();
    int expired = 0;
    for (NodeState node : provisional.takeAll()) {
      if (heartbeats.get(node.name) != null) {
        provisional.keep(node);
        continue;
      }
      if (!node.name.isEmpty()) {
        LOG.warn("Expiring out node {}: named by the previous placement, it has not reported since this replica"
            + " leads, {} seconds ago; {} configs to dispatch again", node.name,
            (now - (provisional.deadlineMillis() - timeoutMillis)) / 1000, node.configs.size());
      }
      releaseConfigs(node, now);
      expired++;
    }
    if (expired > 0) {
      if (nodes.isEmpty()) {
        LOG.warn("No nodes reporting, cluster checks will not run");
      }
      redispatchDangling();
    }
    publish();
  }

  /** Timer: expires every node whose last heartbeat is at least the timeout old. */
  void checkExpiries() {
    expiryTimer = null;
    expiryTimerAt = Long.MAX_VALUE;
    long now = clock.millis();
    int before = nodes.size();
    boolean expired = false;
    Deadline head;
    while ((head = expiries.peek()) != null && head.atMillis() <= now) {
      expiries.poll();
      NodeState node = head.node();
      if (nodes.get(node.name) != node) {
        continue; // stale entry of a node that already went
      }
      Heartbeats.Liveness l = heartbeats.get(node.name);
      long last = l == null ? Long.MIN_VALUE / 2 : l.lastHeartbeatMillis;
      // The entry goes only if it is still the expired one: a heartbeat racing this transition
      // either refreshed it (kept) or created a new one after the removal (kept, and its
      // registration is queued behind this task).
      if (l == null || heartbeats.removeIfExpired(node.name, now, timeoutMillis) != null) {
        expireNode(node, now - last);
        expired = true;
      } else {
        Heartbeats.Liveness fresh = heartbeats.get(node.name);
        expiries.add(new Deadline((fresh == null ? now : fresh.lastHeartbeatMillis) + timeoutMillis, node));
      }
    }
    if (expired) {
      if (nodes.isEmpty() && before > 0) {
        LOG.warn("No nodes reporting, cluster checks will not run");
      }
      redispatchDangling();
    }
    publish();
  }

  private void expireNode(NodeState node, long silentMillis) {
    if (!node.name.isEmpty()) {
      LOG.warn("Expiring out node {}, last status report {} seconds ago; {} configs to dispatch again",
          node.name, silentMillis / 1000, node.configs.size());
    }
    nodes.remove(node.name);
    placement.remove(node);
    if (node.type == NodeType.NODE_AGENT) {
      nodeAgents--;
      refreshMode();
    }
    releaseConfigs(node, clock.millis());
  }

  /** The node is gone: its configs wait for a node, its snapshot and gauges go. */
  private void releaseConfigs(NodeState node, long now) {
    for (DispatchedConfig dc : node.configs.values()) {
      digestToNode.remove(dc.digest());
      placementChanged();
      dangling.put(dc.digest(), new DanglingConfig(dc, now, false));
    }
    node.configs.clear();
    node.dirty = false;
    dirtyNodes.remove(node);
    publisher.unpublishNode(node.name);
    metrics.removeNode(node.name);
    metrics.nodeExpired();
  }

  /** Places every dangling config, oldest first; a no-op until a node reports. */
  private void redispatchDangling() {
    if (!active || dangling.isEmpty() || placement.size() == 0 || arrivals.holding()) {
      return;
    }
    int n = dangling.size();
    boolean detail = n <= DETAIL_LOG_LIMIT;
    Map<String, Integer> perNode = new TreeMap<>();
    for (Iterator<DanglingConfig> it = dangling.values().iterator(); it.hasNext(); ) {
      DanglingConfig d = it.next();
      NodeState target = placement.leastLoaded();
      assign(d.config(), target);
      it.remove();
      if (d.unscheduled()) {
        unscheduledCount--;
        metrics.unscheduled(d.config().checkName(), sourceOf(d.config()), -1);
      }
      perNode.merge(target.name, 1, Integer::sum);
      if (detail) {
        LOG.info("Config {} dispatched again, to {}", d.config().label(), target.name);
      }
    }
    LOG.info("Re-dispatched {} dangling configs: {}", n, perNode);
  }

  // ---------------------------------------------------------------- load (docs/reference/dispatcher.md sections 9–11, section 15)

  /**
   * Advanced dispatching (place and rebalance by load) while only cluster check runners report;
   * by config count while node agents are in the pool, because they run no runner API to measure.
   * Unlike the reference's one-way latch, load-aware dispatching comes back when they leave.
   */
  private void refreshMode() {
    Placement.Mode wanted = settings.balancing().advancedDispatching() && nodeAgents == 0
        ? Placement.Mode.LOAD : Placement.Mode.COUNT;
    if (wanted != placement.mode()) {
      if (!nodes.isEmpty() || wanted == Placement.Mode.COUNT) {
        LOG.info(wanted == Placement.Mode.LOAD
            ? "Advanced dispatching on: no node agent reports, configs are placed and rebalanced by load"
            : "Advanced dispatching off: {} node agent(s) report, configs are placed by count", nodeAgents);
      }
      placement.mode(wanted);
    }
    publisher.loadAware(wanted == Placement.Mode.LOAD);
  }

  boolean isLoadAware() {
    return placement.mode() == Placement.Mode.LOAD;
  }

  /**
   * Folds in fresh runner stats. A runner's stats count for a config only while that config runs
   * there (a config that just moved keeps its last measured load until its new runner reports);
   * checks the runner runs that are not ours count as its external load.
   */
  void updateRunnerStats(Map<String, RunnerStats> byNode) {
    Map<String, Double> fresh = new HashMap<>();
    for (Map.Entry<String, RunnerStats> e : byNode.entrySet()) {
      NodeState node = nodes.get(e.getKey());
      if (node == null) {
        continue;
      }
      node.workers = e.getValue().workers();
      double external = 0;
      for (Map.Entry<String, CheckStats> c : e.getValue().checks().entrySet()) {
        String digest = inventory.digestOfCheckId(c.getKey());
        DispatchedConfig dc = digest == null ? null : inventory.get(digest);
        int index = dc == null ? -1 : dc.checkIds().indexOf(c.getKey());
        int interval = index < 0 ? CollectionIntervals.DEFAULT_SECONDS
            : dc.intervalSeconds().get(index);
        double load = Math.min(1.0, Math.max(0, c.getValue().averageExecutionTimeMs()) / (interval * 1000.0));
        if (dc == null) {
          external += load;
        } else if (digestToNode.get(digest) == node) {
          fresh.merge(digest, load, Double::sum);
        }
      }
      node.externalLoad = external;
    }
    loads.update(fresh, inventory::get);
    for (NodeState n : nodes.values()) {
      double sum = 0;
      for (DispatchedConfig dc : n.configs.values()) {
        sum += loads.load(dc);
      }
      n.configLoad = sum;
    }
    placement.reorder();
    nodeAgents = (int) nodes.values().stream().filter(n -> typeOf(n) == NodeType.NODE_AGENT).count();
    nodes.values().forEach(n -> n.type = typeOf(n));
    refreshMode();
    metrics.utilization(nodes.values());
    publish();
  }

  private NodeType typeOf(NodeState n) {
    Heartbeats.Liveness l = heartbeats.get(n.name);
    return l == null ? n.type : l.type;
  }

  /**
   * Moves configs off over-utilized runners with as few moves as possible (see
   * {@link MinMoveBalancer}). A periodic rebalance applies its plan only when some runner is
   * beyond the trigger and the spread improves by the configured percentage, and then only the
   * corrections worth it ({@link WorthIt}); {@code force} applies the whole plan; {@code dryRun}
   * applies nothing and shows what would be applied.
   */
  RebalanceResult rebalance(boolean force, boolean dryRun) {
    long started = System.nanoTime();
    if (!isLoadAware()) {
      return RebalanceResult.refused(RebalanceResult.Refusal.ADVANCED_DISPATCHING_OFF,
          "no checks to rebalance: advanced dispatching is not enabled");
    }
    DispatcherSettings.Balancing b = settings.balancing();
    List<Runner> runners = new ArrayList<>(nodes.size());
    for (NodeState n : nodes.values()) {
      List<Unit> units = new ArrayList<>(n.configs.size() + 1);
      for (DispatchedConfig dc : n.configs.values()) {
        boolean pinned = b.excludeFromDispatching().contains(dc.checkName()) || !loads.isMeasured(dc.digest());
        units.add(new Unit(dc.digest(), dc.checkName(), loads.load(dc), pinned));
      }
      if (n.externalLoad > 0) {
        units.add(new Unit("external:" + n.name, "(checks not dispatched by us)", n.externalLoad, true));
      }
      runners.add(new Runner(n.name, n.workers, units));
    }
    runners.sort(Comparator.comparing(Runner::name));
    Plan proposed = balancer.plan(runners, b.budgetFor(inventory.size()));
    WorthIt.Verdict verdict = WorthIt.judge(proposed, b.trigger(), b.fillBelow(), b.minImprovementPercent(), force);
    Plan plan = verdict.applied();
    String reason = verdict.reason();
    if (reason.isEmpty() && dryRun) {
      reason = "dry run";
    }
    boolean apply = reason.isEmpty();
    if (apply) {
      for (Move m : plan.moves()) {
        DispatchedConfig dc = inventory.get(m.digest());
        NodeState from = nodes.get(m.from());
        NodeState to = nodes.get(m.to());
        if (dc == null || from == null || to == null || digestToNode.get(m.digest()) != from) {
          continue; // cannot happen within one transition; kept as a guard against a stale plan
        }
        move(dc, from, to);
        LOG.info("Rebalance: moved {} ({} workers of load) from {} to {}", dc.label(),
            String.format("%.3f", m.load()), m.from(), m.to());
      }
      LOG.info("Rebalance{}: {} configs moved, busiest runner {} -> {} of the mean{}",
          force ? " (forced)" : "", plan.moves().size(), String.format("%.3f", plan.before().maxOverMean()),
          String.format("%.3f", plan.after().maxOverMean()), verdict.dropped() == 0 ? ""
              : "; " + verdict.dropped() + " more moves of small corrections left out as not worth it");
      publish();
    } else {
      LOG.debug("Rebalance not applied: {}", reason);
    }
    // Predicted utilization is what the runners carry after this decision: the moved state when
    // the plan was applied, the unchanged one when it was not (nothing will move until the next).
    metrics.rebalanced(plan.moves().size(), apply ? plan.moves().size() : 0,
        (System.nanoTime() - started) / 1e9, nodes.values());
    return new RebalanceResult(RebalanceResult.Refusal.NONE, apply, dryRun, reason, plan.moves(),
        plan.before(), plan.after());
  }

  /**
   * Leaves the check's config alone on its runner: every other config there moves to the other
   * runners, least utilized first (docs/reference/dispatcher.md section 11). Accepts a check ID or a config digest.
   */
  IsolateResult isolate(String checkId) {
    if (nodes.size() < 2) {
      return new IsolateResult(checkId, "", false, "No other runners available");
    }
    String digest = inventory.contains(checkId) ? checkId : inventory.digestOfCheckId(checkId);
    NodeState home = digest == null ? null : digestToNode.get(digest);
    if (home == null) {
      return new IsolateResult(checkId, "", false, "Unable to find check");
    }
    List<DispatchedConfig> others = new ArrayList<>(home.configs.values());
    others.removeIf(dc -> dc.digest().equals(digest));
    for (DispatchedConfig dc : others) {
      NodeState target = placement.leastLoadedExcept(home);
      move(dc, home, target);
    }
    LOG.info("Isolated {} on {}: {} other configs moved away", checkId, home.name, others.size());
    publish();
    return new IsolateResult(checkId, home.name, true, "");
  }

  // ---------------------------------------------------------------- unscheduled (docs/reference/dispatcher.md section 6)

  /** Timer: flags every dangling config older than the threshold, once. */
  void checkUnscheduled() {
    unscheduledTimer = null;
    long now = clock.millis();
    for (Map.Entry<String, DanglingConfig> e : dangling.entrySet()) {
      DanglingConfig d = e.getValue();
      if (d.unscheduled()) {
        continue;
      }
      if (d.since() + unscheduledMillis > now) {
        break; // later entries became dangling later still
      }
      e.setValue(d.flagged());
      unscheduledCount++;
      metrics.unscheduled(d.config().checkName(), sourceOf(d.config()), +1);
      LOG.warn("Detected unscheduled check config. Name:{}, Source:{}", d.config().checkName(), sourceOf(d.config()));
    }
    publish();
  }

  // ---------------------------------------------------------------- lifecycle (docs/reference/dispatcher.md section 17)

  /** A leadership starts: every token it issues carries its term. */
  void lead(long term) {
    versions = new VersionClock(term);
    provisional.lead(clock.millis());
  }

  /**
   * Warmup is over: dispatch what arrived meanwhile. A config whose digest {@code preferred} maps
   * to a worker goes back to that worker: to its node if it reported, else to it as a provisional
   * node while it is within its grace ({@link ProvisionalNodes}), so a new leader that starts
   * from the previous leader's placement moves only the configs of workers that are gone, even
   * when none reached it during the warmup. The others are placed by least configs, after the
   * preferred ones, or wait for a node.
   */
  void activate(Map<String, String> preferred) {
    if (active) {
      return;
    }
    active = true;
    LOG.info("Warmup phase finished, starting to serve configurations: {} configs, {} nodes reporting",
        inventory.size(), nodes.size());
    // Nothing is placed before activation (nor after a step-down): every config waits.
    List<DispatchedConfig> waiting = new ArrayList<>(inventory.all());
    boolean detail = waiting.size() <= DETAIL_LOG_LIMIT;
    List<DispatchedConfig> rest = new ArrayList<>();
    int kept = 0;
    long now = clock.millis();
    boolean grace = provisional.withinGrace(now);
    for (DispatchedConfig dc : waiting) {
      String previousName = preferred.get(dc.digest());
      NodeState previous = previousName == null ? null : nodes.get(previousName);
      if (previous == null && previousName != null && grace) {
        previous = provisional.hold(previousName);
      }
      if (previous != null) {
        assign(dc, previous);
        kept++;
        if (detail) {
          LOG.info("Config {} stays on {}", dc.label(), previous.name);
        }
      } else {
        rest.add(dc);
      }
    }
    for (DispatchedConfig dc : rest) {
      NodeState target = place(dc, detail);
      if (detail && target != null) {
        LOG.info("Config {} dispatched to {}", dc.label(), target.name);
      }
    }
    if (!preferred.isEmpty() || !detail) {
      int held = provisional.all().stream().mapToInt(n -> n.configs.size()).sum();
      LOG.info("Dispatched {} configs after warmup: {} kept on their previous worker ({} of them on {} workers"
          + " that have not reported yet, kept for {} s more), {} placed anew, {} waiting for a node",
          waiting.size(), kept, held, provisional.all().size(),
          Math.max(0, provisional.deadlineMillis() - now) / 1000, rest.size() - dangling.size(), dangling.size());
    }
    provisional.armExpiry(scheduler, now, this::expireProvisional);
    publish();
  }

  /**
   * Where every assigned config runs, by digest, with its version; what a follower copies to lead
   * without moves. Built, with a fresh version token, only when a config's node changed since the
   * last copy: followers poll it every few seconds and most polls find nothing changed (at a
   * million configs a copy is tens of milliseconds of this thread).
   */
  PlacementCopy placement() {
    if (placementCopy == null) {
      Map<String, String> out = new HashMap<>(digestToNode.size() * 4 / 3 + 1);
      digestToNode.forEach((digest, node) -> out.put(digest, node.name));
      placementCopy = new PlacementCopy(versions.next(), Collections.unmodifiableMap(out));
      publisher.placementBuilt(placementCopy);
    }
    return placementCopy;
  }

  /** On the dispatch path: only drops the copy, the version is minted when one is asked for. */
  private void placementChanged() {
    if (placementCopy != null) {
      placementCopy = null;
      publisher.placementStale();
    }
  }

  /**
   * Leadership lost: forget the leader state (nodes, placement, dangling, loads, timers) and keep
   * the inventory, which the sources keep current while this replica follows. Nothing is
   * replayed nor prepared again; clearing is proportional to the assignment, on this thread.
   */
  void stepDown() {
    active = false;
    digestToNode.clear();
    placementChanged();
    nodes.clear();
    provisional.clear();
    arrivals.cancel();
    dangling.clear();
    placement.clear();
    loads.clear();
    nodeAgents = 0;
    refreshMode();
    expiries.clear();
    dirtyNodes.clear();
    unscheduledCount = 0;
    if (expiryTimer != null) {
      expiryTimer.cancel();
      expiryTimer = null;
      expiryTimerAt = Long.MAX_VALUE;
    }
    if (unscheduledTimer != null) {
      unscheduledTimer.cancel();
      unscheduledTimer = null;
    }
    metrics.stepDown();
  }

  // ---------------------------------------------------------------- publishing

  private void markDirty(NodeState node) {
    if (!node.dirty) {
      node.dirty = true;
      dirtyNodes.add(node);
    }
  }

  /** Ends a transition: new version tokens and snapshots for what changed, gauges, timers. */
  private void publish() {
    for (NodeState node : dirtyNodes) {
      node.dirty = false;
      node.version = versions.next();
      List<Config> list = new ArrayList<>(node.configs.size());
      for (DispatchedConfig dc : node.configs.values()) {
        list.add(dc.config());
      }
      publisher.publishNode(new NodeConfigs(node.name, node.version, list));
      metrics.dispatched(node.name, node.configs.size());
    }
    dirtyNodes.clear();
    for (String k8sNode : dirtyEndpoints) {
      Collection<DispatchedConfig> forNode = inventory.endpointsOf(k8sNode);
      if (forNode == null) {
        publisher.unpublishEndpoints(k8sNode);
        metrics.endpointsDispatched(k8sNode, 0);
      } else {
        publisher.publishEndpoints(new NodeConfigs(k8sNode, 0,
            forNode.stream().map(DispatchedConfig::config).toList()));
        metrics.endpointsDispatched(k8sNode, forNode.size());
      }
    }
    dirtyEndpoints.clear();
    metrics.nodesReporting(nodes.size());
    metrics.dangling(dangling.size());
    armExpiryTimer();
    armUnscheduledTimer();
  }

  private void armExpiryTimer() {
    Deadline head = expiries.peek();
    if (head == null || head.atMillis() == expiryTimerAt) {
      return;
    }
    if (expiryTimer != null) {
      expiryTimer.cancel();
    }
    expiryTimerAt = head.atMillis();
    expiryTimer = scheduler.schedule(this::checkExpiries,
        Duration.ofMillis(Math.max(0, head.atMillis() - clock.millis())));
  }

  private void armUnscheduledTimer() {
    if (unscheduledTimer != null) {
      return;
    }
    for (DanglingConfig d : dangling.values()) {
      if (!d.unscheduled()) {
        long due = d.since() + unscheduledMillis;
        unscheduledTimer = scheduler.schedule(this::checkUnscheduled,
            Duration.ofMillis(Math.max(0, due - clock.millis())));
        return;
      }
    }
  }

  // ---------------------------------------------------------------- views

  StateResponse stateView() {
    List<StateResponse.Node> nodeViews = Stream.concat(nodes.values().stream(),
            provisional.all().stream())
        .sorted(Comparator.comparing(n -> n.name))
        .map(n -> new StateResponse.Node(n.name,
            n.configs.values().stream().map(DispatchedConfig::config).toList()))
        .toList();
    List<Config> danglingConfigs = dangling.values().stream().map(d -> d.config().config()).toList();
    return new StateResponse("", !active, nodeViews, danglingConfigs);
  }

  DispatchStats stats(boolean leading) {
    EnumMap<NodeType, Integer> types = new EnumMap<>(NodeType.class);
    for (NodeType t : NodeType.values()) {
      types.put(t, 0);
    }
    for (NodeState n : nodes.values()) {
      Heartbeats.Liveness l = heartbeats.get(n.name);
      types.merge(l == null ? NodeType.UNKNOWN : l.type, 1, Integer::sum);
    }
    TreeSet<String> names = inventory.checkNames();
    int endpointsCount = inventory.endpointsCount();
    return new DispatchStats(leading, leading && !active, nodes.size(), digestToNode.size(),
        dangling.size(), inventory.size(), endpointsCount, unscheduledCount, names, types);
  }

  String digestOfCheckId(String checkId) {
    return inventory.digestOfCheckId(checkId);
  }

  private static String describe(Heartbeats.Liveness l) {
    String type = switch (l.type) {
      case CLC_RUNNER -> "cluster check runner";
      case NODE_AGENT -> "node agent";
      case UNKNOWN -> "legacy agent";
    };
    return l.clientIp.isEmpty() ? type : type + " at " + l.clientIp;
  }

  private static String sourceOf(DispatchedConfig dc) {
    return dc.config().source();
  }
}
