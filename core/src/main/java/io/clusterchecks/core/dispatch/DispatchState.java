package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch state machine: every transition is a method that runs to completion on the
 * dispatch thread and ends with {@link #publish()}. No locks: nothing else touches its parts,
 * each named after its rule: {@link ConfigInventory} (what the sources said; survives a
 * step-down), {@link NodeRegistry} (who reports, expiry, {@link ProvisionalNodes}),
 * {@link Assignments} (who runs what, the choice of the next), {@link DanglingConfigs} (configs no
 * worker runs, the unscheduled rule), {@link WaitingConfigs} (placing many configs in bounded
 * chunks), {@link LoadBalancing} (load-aware mode, rebalance, isolate) and {@link Publishing}
 * (version tokens, per-node snapshots, the {@link DispatchView} readers share).
 *
 * <p>Improvements on the reference (docs/reference/dispatcher.md), each deliberate: a node expires
 * exactly {@code node_expiration_timeout} after its last heartbeat; placement is O(log n) with
 * deterministic ties; scheduling a known digest does not move it; removing an unknown digest is a
 * no-op (docs/reference/known-problems.md item 1) and the gauges move exactly once; a dangling
 * config is flagged as unscheduled exactly when it passes the threshold.
 */
final class DispatchState {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final InstantSource clock;
  private final TaskScheduler scheduler;
  private final Heartbeats heartbeats;
  private final DispatchMetrics metrics;
  private final Changes changes;
  private final ConfigInventory inventory = new ConfigInventory();
  private final NodeRegistry registry;
  private final Assignments assignments;
  private final DanglingConfigs dangling;
  private final WaitingConfigs waiting;
  private final ArrivalWindow arrivals;
  private final LoadBalancing balancing;
  private final Publishing publishing;
  private final BurstLog registrations;
  private final BurstLog expiries;
  private boolean active;

  DispatchState(DispatcherSettings settings, InstantSource clock, TaskScheduler scheduler,
      Heartbeats heartbeats, DispatchMetrics metrics, Publishing.Sink sink, int chunk) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.heartbeats = heartbeats;
    this.metrics = metrics;
    this.changes = new Changes(settings.placementJournalLimit());
    this.assignments = new Assignments(changes);
    this.registry = new NodeRegistry(heartbeats, settings.nodeExpirationTimeout());
    this.dangling = new DanglingConfigs(metrics, settings.unscheduledCheckThreshold());
    this.arrivals = new ArrivalWindow(settings.arrivalWindow());
    this.publishing = new Publishing(sink, changes, metrics);
    this.balancing = new LoadBalancing(settings.balancing(), inventory, registry, assignments, metrics,
        sink::loadAware);
    this.waiting = new WaitingConfigs(chunk, clock, inventory, registry, assignments,
        dangling, arrivals, publishing, this::continueWaiting, scheduler);
    this.registrations = new BurstLog(LOG, false, "registered", scheduler, registry::size);
    this.expiries = new BurstLog(LOG, true, "expired", scheduler, registry::size);
    balancing.refreshMode();
  }

  // ---------------------------------------------------------------- configs (docs/reference/dispatcher.md sections 2, 3)

  void addConfigs(List<DispatchedConfig> batch) {
    boolean detail = batch.size() <= WaitingConfigs.DETAIL_LOG_LIMIT;
    int placed = 0;
    int dangled = 0;
    for (DispatchedConfig dc : batch) {
      if (dc.isEndpointsCheck()) {
        endpointsCheck(dc, inventory.addEndpoints(dc), "added for");
        continue;
      }
      if (!inventory.add(dc)) {
        LOG.debug("Config {} is already scheduled, keeping it where it is", dc.label());
        continue;
      }
      if (!active) {
        // Kept in the inventory; placed, in arrival order, when this replica dispatches.
        if (detail) {
          LOG.info("Config {} from {} added, dispatching after warmup", dc.label(), dc.config().source());
        }
        continue;
      }
      NodeState target = waiting.place(dc, detail);
      if (target != null) {
        placed++;
        if (detail) {
          LOG.info("Config {} from {} added, dispatched to {}", dc.label(), dc.config().source(), target.name);
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
    boolean detail = batch.size() <= WaitingConfigs.DETAIL_LOG_LIMIT;
    int removed = 0;
    for (DispatchedConfig dc : batch) {
      if (dc.isEndpointsCheck()) {
        endpointsCheck(dc, inventory.removeEndpoints(dc), "removed from");
        continue;
      }
      if (inventory.remove(dc) == null) {
        LOG.debug("Config {} was not scheduled, nothing to remove", dc.label());
        continue;
      }
      removed++;
      dangling.remove(dc);
      NodeState from = assignments.unassign(dc);
      assignments.loads().forget(dc);
      if (detail) {
        LOG.info("Config {} removed{}", dc.label(), from == null ? "" : " from " + from.name);
      }
    }
    if (!detail) {
      LOG.info("Removed {} of {} configs", removed, batch.size());
    }
    publish();
  }

  /** Endpoints checks are held per Kubernetes node, never placed (docs/reference/dispatcher.md section 14). */
  private void endpointsCheck(DispatchedConfig dc, boolean changed, String how) {
    if (changed) {
      changes.endpoints(dc.config().nodeName());
      LOG.info("Endpoints check {} {} Kubernetes node {}", dc.label(), how, dc.config().nodeName());
    }
  }

  // ---------------------------------------------------------------- nodes (docs/reference/dispatcher.md sections 5, 7)

  /** A worker reported for the first time (or after it expired). */
  void registerNode(String name) {
    boolean firstToReport = registry.isEmpty();
    boolean wasProvisional = registry.provisional().contains(name);
    NodeState node = registry.register(name);
    if (node == null) {
      return; // already known, or expired again before this task ran
    }
    Heartbeats.Liveness l = heartbeats.get(name);
    assignments.offer(node);
    publishing.show(node);
    balancing.refreshMode();
    if (wasProvisional) {
      // Its snapshot, with the configs the previous leader gave it, is published already.
      registrations.event(name,
          "Node {} reported ({}, {} nodes reporting), keeps its {} configs of the previous placement",
          name, l.describe(), registry.size(), node.configs.size());
    } else {
      registrations.event(name, "Node {} registered ({}, {} nodes reporting)", name, l.describe(),
          registry.size());
      publishing.publishEmpty(node);
    }
    if (active && firstToReport && !dangling.isEmpty() && arrivals.open(scheduler, this::arrivalWindowClosed)) {
      LOG.info("Node {} is the first to report while {} configs wait for a node: dispatching them in {} ms,"
          + " over every node that reports by then", name, dangling.size(), arrivals.length().toMillis());
    }
    placeWaiting();
    publish();
  }

  /** Timer: the arrival window ends; waiting configs go to the nodes that reported. */
  private void arrivalWindowClosed() {
    placeWaiting();
    publish();
  }

  private void placeWaiting() {
    if (active) {
      waiting.step();
    }
  }

  /** Task: the next chunk of configs waiting to be placed. */
  private void continueWaiting() {
    if (active) {
      waiting.step();
      publish();
    }
  }

  /** Whether configs are still being placed after warmup (in chunks, see {@link WaitingConfigs}). */
  boolean placingAfterWarmup() {
    return waiting.placingAfterWarmup();
  }

  /** Timer: expires every node whose last heartbeat is at least the timeout old. */
  void checkExpiries() {
    release(registry.expire(clock.millis(), expiries));
  }

  /** Timer, at the leadership start plus the timeout: provisional nodes that did not report go. */
  private void expireProvisional() {
    release(registry.expireProvisional(clock.millis(), expiries));
  }

  /** The nodes are gone: their configs wait for a node and go to the others, chunk by chunk. */
  private void release(List<NodeState> gone) {
    long now = clock.millis();
    for (NodeState node : gone) {
      for (DispatchedConfig dc : assignments.release(node)) {
        dangling.add(dc, now);
      }
      publishing.hide(node);
      metrics.nodeExpired();
    }
    if (!gone.isEmpty()) {
      balancing.refreshMode();
      if (registry.isEmpty()) {
        LOG.warn("No nodes reporting, cluster checks will not run");
      }
      placeWaiting();
    }
    publish();
  }

  // ---------------------------------------------------------------- load (docs/reference/dispatcher.md sections 9 to 11, section 15)

  /** Runs a load-balancing transition (runner stats, rebalance, isolate), then publishes. */
  <T> T balancing(Function<LoadBalancing, T> transition) {
    T result = transition.apply(balancing);
    publish();
    return result;
  }

  /** Timer: flags every dangling config older than the threshold, once (docs/reference/dispatcher.md section 6). */
  void checkUnscheduled() {
    dangling.flagUnscheduled(clock.millis());
    publish();
  }

  // ---------------------------------------------------------------- lifecycle (docs/reference/dispatcher.md section 17)

  /** A leadership starts: every token it issues carries its term. */
  void lead(long term) {
    publishing.lead(term);
    registry.provisional().lead(clock.millis());
    publish();
  }

  /**
   * Warmup is over: dispatch what arrived meanwhile, in chunks ({@link WaitingConfigs}); a config
   * the previous placement ({@code preferred}) names a worker for goes back to it, as a provisional
   * node if it has not reported. Whether a provisional node is gone is decided in one place,
   * {@link #expireProvisional()}, a task of its own at the leadership start plus the timeout: a
   * worker whose status is recorded by then keeps its configs, even when that instant is the end
   * of the warmup (the default settings).
   */
  void activate(Map<String, String> preferred) {
    if (active) {
      return;
    }
    active = true;
    LOG.info("Warmup phase finished, starting to serve configurations: {} configs, {} nodes reporting",
        inventory.size(), registry.size());
    waiting.activate(preferred, () -> registry.provisional().armExpiry(scheduler, clock.millis(),
        this::expireProvisional));
    waiting.step();
    publish();
  }

  /** Where every assigned config runs, as of the last publish (built on this thread). */
  PlacementCopy placementCopy() {
    return publishing.placementCopy();
  }

  /**
   * Leadership lost: forget the leader state (nodes, assignments, dangling, loads, timers) and keep
   * the inventory, which the sources keep current while this replica follows. Nothing is
   * replayed nor prepared again; clearing is proportional to the assignment, on this thread.
   */
  void stepDown() {
    active = false;
    waiting.clear();
    assignments.clear();
    registry.clear();
    arrivals.cancel();
    dangling.clear();
    publishing.clear();
    balancing.refreshMode();
    metrics.stepDown();
    publish();
  }

  /** Ends a transition: snapshots for what changed, the view, gauges, timers. */
  private void publish() {
    publishing.publish(active, inventory, registry, assignments, dangling);
    registry.armTimer(scheduler, clock, this::checkExpiries);
    dangling.armTimer(scheduler, clock, this::checkUnscheduled);
  }

  String digestOfCheckId(String checkId) {
    return inventory.digestOfCheckId(checkId);
  }
}
