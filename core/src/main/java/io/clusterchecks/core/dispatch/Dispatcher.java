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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *   <li>a configs fetch reads the node's immutable {@link NodeConfigs} snapshot.
 * </ul>
 * The placement copy (followers' pulls), the runner targets and the load-aware flag are read
 * from snapshots the dispatch thread publishes; rebalance, isolate and stop are commands whose
 * answers complete a future. Only {@link #state()} and {@link #stats()}, views for people, wait
 * for the dispatch thread to get a consistent copy. Time comes from the injected clock, so tests
 * drive it with {@code ManualTime}.
 */
public final class Dispatcher implements ConfigListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(10);

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
  /** The last placement copy built, and whether a config's worker changed since. */
  private volatile PlacementCopy placementSnapshot = PlacementCopy.NONE;
  private volatile boolean placementStale = true;
  private final AtomicBoolean placementCopyQueued = new AtomicBoolean();
  private TaskScheduler.Cancellable warmupTimer;

  public Dispatcher(DispatcherSettings settings, InstantSource clock, TaskScheduler scheduler,
      MeterRegistry registry) {
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.preparer = new ConfigPreparer(settings.excludeChecks(), settings.extraTags());
    this.state = new DispatchState(settings, clock, scheduler, heartbeats,
        new DispatchMetrics(registry), new SnapshotPublisher());
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
      PlacementCopy last = active ? state.placement() : PlacementCopy.NONE;
      leading = false;
      active = false;
      if (warmupTimer != null) {
        warmupTimer.cancel();
        warmupTimer = null;
      }
      state.stepDown();
      heartbeats.clear();
      nodeSnapshots.clear();
      placementSnapshot = PlacementCopy.NONE;
      placementStale = true;
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

  /** What a worker must run, or empty when the node is not registered (the API's 500). */
  public Optional<NodeConfigs> nodeConfigs(String node) {
    NodeConfigs c = nodeSnapshots.get(node);
    if (c != null) {
      c.markServed();
    }
    return Optional.ofNullable(c);
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

  /** Hands freshly collected runner stats (by node name) to the dispatch thread. */
  public void updateRunnerStats(Map<String, RunnerStats> byNode) {
    Map<String, RunnerStats> copy = Map.copyOf(byNode);
    scheduler.execute(() -> {
      if (active) {
        state.updateRunnerStats(copy);
      }
    });
  }

  /**
   * Rebalances by load (docs/reference/dispatcher.md section 10; see {@code DispatchState#rebalance}) on the dispatch thread; the
   * future completes with the answer. Leadership is checked there, not by the caller.
   */
  public CompletableFuture<RebalanceResult> rebalance(boolean force, boolean dryRun) {
    return command(() -> {
      if (!leading || !active) {
        return RebalanceResult.refused(RebalanceResult.Refusal.NOT_DISPATCHING,
            leading ? "warmup in progress" : "not leading");
      }
      return state.rebalance(force, dryRun);
    });
  }

  /** Leaves one check alone on its runner (docs/reference/dispatcher.md section 11), on the dispatch thread. */
  public CompletableFuture<IsolateResult> isolate(String checkId) {
    return command(() -> {
      if (!leading || !active) {
        return new IsolateResult(checkId, "", false, leading ? "warmup in progress" : "not leading");
      }
      return state.isolate(checkId);
    });
  }

  // ---------------------------------------------------------------- views

  /** A consistent view of the whole dispatch state; waits for the dispatch thread. */
  public StateResponse state() {
    if (!leading) {
      return new StateResponse("", false, List.of(), List.of());
    }
    return onDispatchThread(state::stateView);
  }

  /**
   * Where every dispatched config runs (digest to worker name), a consistent copy; empty when not
   * leading. Waits for the dispatch thread, like {@link #state()}: a view for people and tests.
   * Followers' pulls use {@link #placementCopy()}, which never waits.
   */
  public Map<String, String> placement() {
    return leading ? onDispatchThread(state::placement).byDigest() : Map.of();
  }

  /**
   * The placement with its version, which changes whenever a config's worker changes. Never
   * waits: it answers the last copy built. When a config moved since, it asks the dispatch thread
   * for a new copy (one request at a time) and answers the one it has, so a poller sees the
   * change at its next poll. {@link PlacementCopy#NONE} until a first copy is built.
   */
  public PlacementCopy placementCopy() {
    if (!leading) {
      return PlacementCopy.NONE;
    }
    if (placementStale && placementCopyQueued.compareAndSet(false, true)) {
      scheduler.execute(() -> {
        placementCopyQueued.set(false);
        if (active) {
          state.placement(); // publishes through placementBuilt
        }
      });
    }
    return placementSnapshot;
  }

  public DispatchStats stats() {
    return onDispatchThread(() -> state.stats(leading));
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

  /** Runs a read on the dispatch thread and waits for it: views for people, and tests. */
  <T> T onDispatchThread(Supplier<T> read) {
    if (scheduler.inSchedulerThread()) {
      return read.get();
    }
    CompletableFuture<T> f = command(read);
    try {
      return f.get(VIEW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the dispatch state", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading the dispatch state failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the dispatch thread did not answer within " + VIEW_TIMEOUT, e);
    }
  }

  DispatchState internalState() {
    return state;
  }

  Map<String, NodeConfigs> publishedNodes() {
    return nodeSnapshots;
  }

  private final class SnapshotPublisher implements DispatchState.Publisher {
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
    public void placementStale() {
      placementStale = true;
    }

    @Override
    public void placementBuilt(PlacementCopy copy) {
      if (leading) {
        placementSnapshot = copy;
        placementStale = false;
      }
    }

    @Override
    public void loadAware(boolean on) {
      loadAware = on;
    }
  }
}
