package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.StateResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-check dispatcher: takes configs from sources, spreads them over the workers that
 * report, and moves the configs of workers that stop reporting.
 *
 * <p>Threading, in the style of a Kafka coordinator shard: one thread (the injected
 * {@link TaskScheduler}) owns {@link DispatchState} and runs every transition. Other threads
 * never wait for it:
 * <ul>
 *   <li>config sources prepare (patch and hash) configs on their own thread, then enqueue;
 *   <li>a worker's status is recorded in {@link Heartbeats} and answered from the last published
 *       snapshot; only a never-seen node enqueues a registration;
 *   <li>a configs fetch reads the node's immutable {@link NodeConfigs} snapshot;
 *   <li>the state and stats views, the placement (the followers' pulls) and the runner targets
 *       are read from the {@link DispatchView} the dispatch thread publishes at the end of every
 *       transition, so a read made after a change's task ran sees it;
 *   <li>rebalance, isolate and stop are commands whose answers complete a future.
 * </ul>
 * Time comes from the injected clock, so tests drive it with {@code ManualTime}.
 */
public final class Dispatcher implements ConfigListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final DispatcherSettings settings;
  private final InstantSource clock;
  private final TaskScheduler scheduler;
  private final ConfigPreparer preparer;
  private final Heartbeats heartbeats = new Heartbeats();
  private final DispatchState state;
  private final ConcurrentHashMap<String, NodeConfigs> nodeSnapshots = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, NodeConfigs> endpointsSnapshots = new ConcurrentHashMap<>();

  /** Written by the dispatch thread, read anywhere. */
  private volatile boolean leading;
  private volatile boolean active;
  private volatile boolean loadAware;
  /** The dispatch state as of the end of the last transition. */
  private volatile DispatchView view = DispatchView.NONE;
  private TaskScheduler.Cancellable warmupTimer;

  public Dispatcher(DispatcherSettings settings, InstantSource clock, TaskScheduler scheduler,
      MeterRegistry registry) {
    this(settings, clock, scheduler, registry, WaitingConfigs.DEFAULT_CHUNK);
  }

  /** As the public constructor, placing at most {@code chunk} waiting configs per task. */
  Dispatcher(DispatcherSettings settings, InstantSource clock, TaskScheduler scheduler,
      MeterRegistry registry, int chunk) {
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.preparer = new ConfigPreparer(settings.excludeChecks(), settings.extraTags());
    this.state = new DispatchState(settings, clock, scheduler, heartbeats,
        new DispatchMetrics(registry), new SnapshotPublisher(), chunk);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * This replica leads, in term 1 (a single replica: no election): let workers report for the
   * warmup duration, then dispatch (docs/reference/dispatcher.md section 17).
   */
  public void start() {
    start(1, Map.of());
  }

  /** As {@link #start(long, Map)} in term 1. */
  public void start(Map<String, String> previousPlacement) {
    start(1, previousPlacement);
  }

  /**
   * This replica leads in {@code term} (from the election backend; later leaderships have greater
   * terms), starting from a known placement (digest to worker name), typically the previous
   * leader's: after warmup each config goes back to its worker if that worker reported. Every
   * version token and placement version of this leadership carries the term (see
   * {@link VersionClock}).
   */
  public void start(long term, Map<String, String> previousPlacement) {
    Map<String, String> preferred = Map.copyOf(previousPlacement);
    long checkedTerm = Math.max(1, Math.min(VersionClock.MAX_TERM, term));
    scheduler.execute(() -> {
      if (leading) {
        return;
      }
      leading = true;
      state.lead(checkedTerm);
      Duration warmup = settings.warmupDuration();
      LOG.info("Becoming leader, waiting {} s for node-agents to report", warmup.toSeconds());
      warmupTimer = scheduler.schedule(() -> endWarmup(preferred), warmup);
    });
  }

  private void endWarmup(Map<String, String> preferred) {
    warmupTimer = null;
    if (leading) {
      state.activate(preferred);
      active = true;
    }
  }

  /**
   * Leadership lost: stop dispatching and drop the leader state (docs/reference/dispatcher.md section 17); the configs the sources
   * gave stay, ready for the next leadership. Returns at once: the work runs on the dispatch
   * thread, and the future completes with the placement as it was when dispatching stopped
   * ({@link PlacementCopy#NONE} if this replica did not lead), a warm copy for the next start.
   */
  public CompletableFuture<PlacementCopy> stop() {
    return command(() -> {
      if (!leading) {
        return PlacementCopy.NONE;
      }
      LOG.info("Lost leadership, reverting to follower");
      PlacementCopy last = active ? state.placementCopy() : PlacementCopy.NONE;
      leading = false;
      active = false;
      if (warmupTimer != null) {
        warmupTimer.cancel();
        warmupTimer = null;
      }
      state.stepDown();
      heartbeats.clear();
      nodeSnapshots.clear();
      return last;
    });
  }

  public boolean isLeading() {
    return leading;
  }

  /** Leading but not yet dispatching. */
  public boolean isWarmingUp() {
    return leading && !active;
  }

  @Override
  public void close() {
    stop();
  }

  // ---------------------------------------------------------------- config sources

  @Override
  public void schedule(List<Config> configs) {
    schedulePrepared(prepare(configs));
  }

  /**
   * The first half of {@link #schedule}, on the caller's thread: filters, patches, digests and
   * check IDs, with this dispatcher's exclusions and extra tags. Pure; the result can be scheduled
   * later with {@link #schedulePrepared} (benchmarks time the two halves apart).
   */
  public List<DispatchedConfig> prepare(List<Config> configs) {
    return preparer.forSchedule(configs);
  }

  /** The second half of {@link #schedule}: places configs made by {@link #prepare} on the dispatch thread. */
  public void schedulePrepared(List<DispatchedConfig> prepared) {
    if (!prepared.isEmpty()) {
      scheduler.execute(() -> state.addConfigs(prepared));
    }
  }

  @Override
  public void unschedule(List<Config> configs) {
    List<DispatchedConfig> prepared = preparer.forUnschedule(configs);
    if (!prepared.isEmpty()) {
      scheduler.execute(() -> state.removeConfigs(prepared));
    }
  }

  // ---------------------------------------------------------------- worker API

  /**
   * A worker's status (docs/reference/dispatcher.md section 5): records the heartbeat and says whether the worker's config version
   * is current. Never blocks on dispatch work.
   *
   * @param node the worker's identifier, already validated
   * @param clientIp the {@code X-Real-Ip} value, possibly empty, already validated
   */
  public boolean processNodeStatus(String node, String clientIp, NodeStatus status) {
    if (!leading) {
      return true; // not dispatching: the caller should not have asked (the gate answers 503)
    }
    Heartbeats.Liveness created = heartbeats.touch(node, clock.millis(), clientIp, status.type());
    if (created != null) {
      scheduler.execute(() -> register(created));
    }
    if (status.lastChange() == NodeStatus.HEARTBEAT_ONLY || !active) {
      // Heartbeat only, or warmup: workers keep what they run while the leader counts nodes.
      return true;
    }
    NodeConfigs current = nodeSnapshots.get(node);
    long version = current == null ? 0 : current.lastChange();
    // Tokens are unique within a term, so a token of an older term never matches. A token equal
    // to one this process never served came from an earlier process of the same term (a restart
    // under static election): the worker cannot hold what it describes, so it must fetch.
    if (version != status.lastChange() || (version != 0 && !current.served())) {
      LOG.debug("Node {} needs to poll config, cluster config version: {}, node config version: {}",
          node, version, status.lastChange());
      return false;
    }
    return true;
  }

  /**
   * Dispatch thread: registers a node whose first status was recorded, unless leadership was lost
   * since the status checked it (then the entry that status created goes, and nothing else).
   */
  private void register(Heartbeats.Liveness entry) {
    if (!leading) {
      heartbeats.remove(entry);
      return;
    }
    state.registerNode(entry.node);
  }

  /**
   * What a worker must run, or empty when the node is not registered (the API's 500). A worker
   * whose status was recorded while its registration still waits in the queue (a new worker, or
   * one that expired and came back) runs nothing yet: it gets an empty list at version 0, so a
   * worker that was expired stops running the configs it held at its first fetch, whatever the
   * dispatch thread is doing.
   */
  public Optional<NodeConfigs> nodeConfigs(String node) {
    NodeConfigs c = nodeSnapshots.get(node);
    if (c != null) {
      c.markServed();
      return Optional.of(c);
    }
    if (leading && heartbeats.get(node) != null) {
      return Optional.of(new NodeConfigs(node, 0, List.of()));
    }
    return Optional.empty();
  }

  /** The leadership term a version token or placement version was issued in (0: none). */
  public static long termOf(long token) {
    return VersionClock.termOf(token);
  }

  /** Endpoints checks for a Kubernetes node; an empty answer when there are none (docs/reference/dispatcher.md section 14). */
  public NodeConfigs endpointsConfigs(String k8sNode) {
    NodeConfigs c = endpointsSnapshots.get(k8sNode);
    return c != null ? c : new NodeConfigs(k8sNode, 0, List.of());
  }

  /** Every endpoints check, ordered by Kubernetes node name. */
  public List<Config> allEndpointsConfigs() {
    List<Config> all = new ArrayList<>();
    new TreeMap<>(endpointsSnapshots).values().forEach(c -> all.addAll(c.configs()));
    return all;
  }

  // ---------------------------------------------------------------- load-aware dispatching

  /** Whether configs are placed and rebalanced by load now (advanced dispatching, docs/reference/dispatcher.md section 15). */
  public boolean isLoadAware() {
    return leading && loadAware;
  }

  /** Every reporting worker and its runner address, to collect stats from; never waits. */
  public List<RunnerTarget> runnerTargets() {
    return leading ? heartbeats.targets() : List.of();
  }

  /**
   * How many times a worker started reporting to this leadership (a new worker, or one that had
   * expired and came back); only grows while leading. A reader that keeps the last value knows a
   * runner joined when it changes, without listing the fleet.
   */
  public long runnerArrivals() {
    return leading ? heartbeats.arrivals() : 0;
  }

  /** Hands freshly collected runner stats (by node name) to the dispatch thread. */
  public void updateRunnerStats(Map<String, RunnerStats> byNode) {
    Map<String, RunnerStats> copy = Map.copyOf(byNode);
    scheduler.execute(() -> {
      if (active) {
        state.balancing(b -> {
          b.updateRunnerStats(copy);
          return null;
        });
      }
    });
  }

  /**
   * Rebalances by load (docs/reference/dispatcher.md section 10; see {@code DispatchState#rebalance}) on the dispatch thread; the
   * future completes with the answer. Leadership is checked there, not by the caller.
   */
  public CompletableFuture<RebalanceResult> rebalance(boolean force, boolean dryRun) {
    return rebalance(force, dryRun, false);
  }

  /**
   * A rebalance a person asked for (API, CLI, dashboard): one call lands inside the band when the
   * config sizes allow it, unless the move budget stops it ({@link RebalanceResult#budgetStopped()}).
   */
  public CompletableFuture<RebalanceResult> rebalanceOnDemand(boolean force, boolean dryRun) {
    return rebalance(force, dryRun, true);
  }

  private CompletableFuture<RebalanceResult> rebalance(boolean force, boolean dryRun, boolean onDemand) {
    return command(() -> {
      if (!leading || !active) {
        return RebalanceResult.refused(RebalanceResult.Refusal.NOT_DISPATCHING,
            leading ? "warmup in progress" : "not leading");
      }
      return state.balancing(b -> b.rebalance(force, dryRun, onDemand));
    });
  }

  /** Leaves one check alone on its runner (docs/reference/dispatcher.md section 11), on the dispatch thread. */
  public CompletableFuture<IsolateResult> isolate(String checkId) {
    return command(() -> {
      if (!leading || !active) {
        return new IsolateResult(checkId, "", false, leading ? "warmup in progress" : "not leading");
      }
      return state.balancing(b -> b.isolate(checkId));
    });
  }

  // ---------------------------------------------------------------- views (never wait)

  /** The whole dispatch state as of the last transition; empty when not leading. */
  public StateResponse state() {
    if (!leading) {
      return new StateResponse("", false, List.of(), List.of());
    }
    return view.state();
  }

  /**
   * What {@link #state()} shows, as the shared snapshots themselves: the node snapshots (compare
   * them by identity to find the nodes that changed) and the waiting configs, with their
   * {@link #stateVersion()}; {@link ShownNodes#NONE} when not leading. Nothing is copied, so a
   * periodic reader's cost is its own, proportional to what it reads.
   */
  public ShownNodes shownNodes() {
    DispatchView v = view;
    return leading ? v.shown() : ShownNodes.NONE;
  }

  /**
   * Where every dispatched config runs (digest to worker name) as of the last transition; empty
   * when not leading. Built on the caller's thread from the published view, shared with
   * {@link #placementCopy()}.
   */
  public Map<String, String> placement() {
    return leading ? view.placementCopy().byDigest() : Map.of();
  }

  /**
   * The placement with its version, which changes whenever a config's worker changes; the first
   * reader of a version builds it, on its own thread. {@link PlacementCopy#NONE} when not
   * dispatching (not leading, or in warmup: a warmup's empty placement must never replace a
   * follower's warm copy).
   */
  public PlacementCopy placementCopy() {
    DispatchView v = view;
    return leading && v.active() ? v.placementCopy() : PlacementCopy.NONE;
  }

  /**
   * What changed in the placement since the copy of {@code version}, up to the current placement
   * (the delta's {@link PlacementDelta#version()}), built on the caller's thread from the journal
   * the published view holds, in time proportional to the changes. Empty when not dispatching,
   * or when {@code version} is not in the journal (older than what it keeps, of another term,
   * never issued): the caller then needs the whole {@link #placementCopy()}.
   */
  public Optional<PlacementDelta> placementChangesSince(long version) {
    DispatchView v = view;
    if (!leading || !v.active() || v.placementChanges().newestVersion() != v.placementVersion()) {
      return Optional.empty();
    }
    return v.placementChanges().since(version);
  }

  /**
   * The version of {@link #placementCopy()} without building it: changes whenever a config's
   * worker changes; 0 when not dispatching.
   */
  public long placementVersion() {
    DispatchView v = view;
    return leading && v.active() ? v.placementVersion() : 0;
  }

  /**
   * Changes whenever {@link #state()} would answer differently (a node's configs, a provisional
   * flag, the waiting configs, warmup's end); equal values mean equal state answers. A periodic
   * reader compares it to skip rebuilding what depends on every config; -1 when not leading.
   */
  public long stateVersion() {
    return leading ? view.stateVersion() : -1;
  }

  public DispatchStats stats() {
    boolean lead = leading;
    return view.stats(lead, lead && !active);
  }

  /** Runs a command on the dispatch thread; the future completes with its answer. */
  private <T> CompletableFuture<T> command(Supplier<T> command) {
    CompletableFuture<T> f = new CompletableFuture<>();
    scheduler.execute(() -> {
      try {
        f.complete(command.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  DispatchState internalState() {
    return state;
  }

  Map<String, NodeConfigs> publishedNodes() {
    return nodeSnapshots;
  }

  private final class SnapshotPublisher implements Publishing.Sink {
    @Override
    public void publishNode(NodeConfigs snapshot) {
      nodeSnapshots.put(snapshot.node(), snapshot);
    }

    @Override
    public void unpublishNode(String node) {
      nodeSnapshots.remove(node);
    }

    @Override
    public void publishEndpoints(NodeConfigs snapshot) {
      endpointsSnapshots.put(snapshot.node(), snapshot);
    }

    @Override
    public void unpublishEndpoints(String k8sNode) {
      endpointsSnapshots.remove(k8sNode);
    }

    @Override
    public void publishView(DispatchView published) {
      view = published;
    }

    @Override
    public void loadAware(boolean on) {
      loadAware = on;
    }
  }
}
