package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import java.time.InstantSource;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places configs that wait for a worker: every config when warmup ends, and the dangling configs
 * when workers arrive or one expires. At a million configs that is seconds of work, so it runs in
 * chunks of at most {@code chunk} configs per task: each chunk ends the task (its changes are
 * published) and queues the next behind whatever is already queued, so registrations, heartbeat
 * driven commands and config changes interleave with it, and a worker that registers meanwhile
 * takes its share of the configs still waiting (the choice is always the least-loaded node).
 *
 * <p>After warmup the configs are taken in arrival order, in two passes: first those the previous
 * placement names a worker for (they go back to it, as a provisional node if it has not reported
 * yet), then the rest, by the least-loaded rule or to dangling when no worker reports or the
 * {@link ArrivalWindow} holds them. A config removed, placed or released meanwhile is skipped.
 * Taking the arrival order is one copy of references (a few milliseconds at a million), the only
 * step proportional to every config. Dispatch thread only.
 */
final class WaitingConfigs {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** Configs placed per task. */
  static final int DEFAULT_CHUNK = 10_000;
  /** Batches up to this size log one line per config; bigger ones log a summary. */
  static final int DETAIL_LOG_LIMIT = 20;
  /** A chunk's re-dispatch line names this many nodes with their counts, then counts the rest. */
  static final int NODES_LOGGED = 20;

  private final int chunk;
  private final InstantSource clock;
  private final ConfigInventory inventory;
  private final NodeRegistry registry;
  private final Assignments assignments;
  private final DanglingConfigs dangling;
  private final ArrivalWindow arrivals;
  private final Publishing publishing;
  private final Runnable continuation;
  private final TaskScheduler scheduler;
  private boolean queued;

  /** The configs to place after warmup, in arrival order; null when that is done. */
  private DispatchedConfig[] afterWarmup;
  private int next;
  private Map<String, String> preferred = Map.of();
  private boolean preferredPass;
  private Runnable afterPreferredPass = () -> { };
  private int kept;

  WaitingConfigs(int chunk, InstantSource clock, ConfigInventory inventory, NodeRegistry registry,
      Assignments assignments, DanglingConfigs dangling, ArrivalWindow arrivals, Publishing publishing,
      Runnable continuation, TaskScheduler scheduler) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
    }
    this.chunk = chunk;
    this.clock = clock;
    this.inventory = inventory;
    this.registry = registry;
    this.assignments = assignments;
    this.dangling = dangling;
    this.arrivals = arrivals;
    this.publishing = publishing;
    this.continuation = continuation;
    this.scheduler = scheduler;
  }

  /**
   * Warmup ended: every config of the inventory waits to be placed. {@code afterPreferredPass}
   * runs once every config the previous placement names went back to its worker.
   */
  void activate(Map<String, String> previous, Runnable afterPreferredPass) {
    afterWarmup = inventory.all().toArray(new DispatchedConfig[0]);
    next = 0;
    preferred = previous;
    preferredPass = !previous.isEmpty();
    this.afterPreferredPass = afterPreferredPass;
    kept = 0;
    if (!preferredPass) {
      afterPreferredPass.run();
    }
  }

  /** Puts the config on the least-loaded node, or makes it dangle when none may take it. */
  NodeState place(DispatchedConfig dc, boolean detail) {
    NodeState target = arrivals.holding() ? null : assignments.leastLoaded();
    if (target == null) {
      if (detail && !arrivals.holding()) {
        LOG.warn("No available node to dispatch {} on, will retry later", dc.label());
      }
      dangling.add(dc, clock.millis());
      return null;
    }
    assignments.assign(dc, target);
    return target;
  }

  /** Places up to one chunk of waiting configs; queues the next chunk if more can be placed. */
  void step() {
    int budget = chunk;
    if (afterWarmup != null) {
      budget = afterWarmupStep(budget);
    }
    if (afterWarmup == null && budget > 0) {
      redispatchStep(budget);
    }
    if (!queued && (afterWarmup != null || canRedispatch())) {
      queued = true;
      scheduler.execute(() -> {
        queued = false;
        continuation.run();
      });
    }
  }

  /** Whether configs are being placed after warmup, in chunks. */
  boolean placingAfterWarmup() {
    return afterWarmup != null;
  }

  private boolean canRedispatch() {
    return !dangling.isEmpty() && !arrivals.holding() && assignments.leastLoaded() != null;
  }

  private int afterWarmupStep(int budget) {
    boolean detail = afterWarmup.length <= DETAIL_LOG_LIMIT;
    while (budget > 0 && next < afterWarmup.length) {
      DispatchedConfig dc = afterWarmup[next++];
      if (!inventory.contains(dc) || assignments.nodeOf(dc) != null || dangling.contains(dc)) {
        continue; // removed, placed or released since warmup ended
      }
      budget--;
      if (preferredPass) {
        String name = preferred.get(dc.digest());
        if (name != null) {
          NodeState previous = registry.get(name);
          if (previous == null) {
            previous = registry.provisional().hold(name);
            publishing.show(previous);
          }
          assignments.assign(dc, previous);
          kept++;
          if (detail) {
            LOG.info("Config {} stays on {}", dc.label(), name);
          }
        }
      } else {
        NodeState target = place(dc, detail);
        if (detail && target != null) {
          LOG.info("Config {} dispatched to {}", dc.label(), target.name);
        }
      }
    }
    if (next == afterWarmup.length) {
      if (preferredPass) {
        preferredPass = false;
        next = 0;
        afterPreferredPass.run();
      } else {
        if (!preferred.isEmpty() || !detail) {
          ProvisionalNodes provisional = registry.provisional();
          int held = provisional.all().stream().mapToInt(n -> n.configs.size()).sum();
          LOG.info("Dispatched {} configs after warmup: {} kept on their previous worker ({} of them on {}"
              + " workers that have not reported yet, until {} s after this leadership started), {} waiting"
              + " for a node", afterWarmup.length, kept, held, provisional.all().size(),
              registry.timeoutMillis() / 1000, dangling.size());
        }
        afterWarmup = null;
        preferred = Map.of();
      }
    }
    return budget;
  }

  private void redispatchStep(int budget) {
    if (!canRedispatch()) {
      return;
    }
    boolean detail = dangling.size() <= DETAIL_LOG_LIMIT;
    SortedMap<String, Integer> perNode = new TreeMap<>();
    int placed = 0;
    DispatchedConfig dc;
    while (placed < budget && (dc = dangling.takeOldest()) != null) {
      NodeState target = assignments.leastLoaded();
      assignments.assign(dc, target);
      placed++;
      perNode.merge(target.name, 1, Integer::sum);
      if (detail) {
        LOG.info("Config {} dispatched again, to {}", dc.label(), target.name);
      }
    }
    LOG.info("Re-dispatched {} dangling configs: {}{}", placed, firstNodes(perNode),
        dangling.isEmpty() ? "" : "; " + dangling.size() + " more in the next tasks");
  }

  /**
   * The per-node counts of a chunk, the first {@link #NODES_LOGGED} nodes by name: listing every
   * node made each chunk's line as long as the fleet (about 250 KB at 10,000 workers, a line per
   * 10,000 configs re-dispatched after a mass expiry).
   */
  static String firstNodes(SortedMap<String, Integer> perNode) {
    if (perNode.size() <= NODES_LOGGED) {
      return perNode.toString();
    }
    StringBuilder b = new StringBuilder("{");
    int n = 0;
    for (Map.Entry<String, Integer> e : perNode.entrySet()) {
      if (n++ == NODES_LOGGED) {
        break;
      }
      b.append(e.getKey()).append('=').append(e.getValue()).append(", ");
    }
    return b.append("... (").append(perNode.size() - NODES_LOGGED).append(" more nodes)}").toString();
  }

  /** Leadership lost: nothing is placed any more. */
  void clear() {
    afterWarmup = null;
    preferred = Map.of();
    preferredPass = false;
  }
}
