package io.clusterchecks.server.dashboard;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.SecretScrubber;
import io.clusterchecks.core.dispatch.DispatchStats;
import io.clusterchecks.core.dispatch.DispatchedConfig;
import io.clusterchecks.core.dispatch.NodeConfigs;
import io.clusterchecks.core.dispatch.ShownNodes;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.wire.NodeType;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds one {@link DashboardSnapshot} from the agent's public views. Runs on the sampler thread
 * only. Every list is cut at a fixed size so a document stays bounded whatever the fleet. Digests
 * and check IDs are the dispatcher's, prepared once per config; nothing here holds or computes
 * anything per config beyond the rows shown.
 */
final class SnapshotBuilder {
  static final int MAX_RUNNERS = 10_000;
  static final int MAX_CHECKS = 10_000;
  static final int MAX_UNASSIGNED = 1_000;
  static final int MAX_PROBLEMS = 500;
  static final int MAX_EVENTS = 200;
  static final int MAX_CHART_SERIES = 12;
  static final int MAX_INSTANCE_CHARS = 400;
  static final int MAX_MESSAGE_CHARS = 500;

  /**
   * What a shown row needs of a config beyond what the dispatcher prepared: its digest's text and
   * check IDs (made on each call there) and its scrubbed instance (a YAML parse), computed once
   * per config object while it is shown; at most {@link #MAX_CHECKS} rows ever are.
   */
  private static final class Facts {
    final String digest;
    final List<String> checkIds;
    private String instance;

    Facts(DispatchedConfig dc) {
      this.digest = dc.digest();
      this.checkIds = dc.checkIds();
    }

    String instance(Config c) {
      if (instance == null) {
        instance = c.instances().isEmpty() ? ""
            : cut(SecretScrubber.scrubYaml(c.instances().get(0).text()), MAX_INSTANCE_CHARS);
      }
      return instance;
    }
  }

  /** The config-wide part of a view, for one state version and role. */
  private record Placed(long version, String role, ShownNodes shown, int checksTotal, int assigned,
      List<DashboardSnapshot.UnassignedRow> unassigned) {}

  /**
   * A rebuild of the config-wide part waits this many times as long as the previous rebuild took:
   * at a million configs a rebuild takes about a second of CPU and much allocation, and while
   * configs move (a fleet re-dispatching) the state changes every tick; rebuilding each time took
   * a core from the worker API and, through GC pauses, made heartbeats late enough to expire
   * workers (measured with FullScaleLoad, docs/benchmarks.md). Paced, it costs at most about a
   * twentieth of a core at any size; at small sizes a rebuild takes under a millisecond and the
   * pacing is invisible. The timeline then shows the net moves of the paced interval.
   */
  static final int REBUILD_PACING = 20;

  private final DashboardSources sources;
  private final InstantSource clock;
  private final HeartbeatTracker heartbeats;
  private final ChangeTracker changes;
  private final EventRing events;
  private final UtilizationHistory history;
  /** The facts of the rows shown by the last build, by config object. */
  private Map<DispatchedConfig, Facts> facts = new IdentityHashMap<>();
  private String lastRole = "";
  private long roleSince;
  /** The config-wide part as of the last rebuild; null before the first tick. */
  private Placed lastPlaced;
  /** Before this (clock millis), a changed state is not rebuilt: see {@link #REBUILD_PACING}. */
  private long nextRebuildAt = Long.MIN_VALUE;

  SnapshotBuilder(DashboardSources sources, HeartbeatTracker heartbeats, EventRing events,
      UtilizationHistory history, InstantSource clock) {
    this.sources = sources;
    this.clock = clock;
    this.heartbeats = heartbeats;
    this.events = events;
    this.changes = new ChangeTracker(events);
    this.history = history;
  }

  /**
   * Observes the agent now and builds the document.
   *
   * @param sampleHistory also record a point of the utilization history
   */
  DashboardSnapshot build(long now, boolean sampleHistory) {
    DashboardSources.LeadershipView lv = sources.leadership().get();
    observeRole(now, lv.role());
    boolean leader = lv.role().equals("leader");
    Placed placed = placed(now, lv.role(), leader);
    ShownNodes shown = placed.shown();
    DispatchStats stats = sources.dispatcher().stats();
    Map<String, Double> utilization = leader ? sources.utilization().get() : Map.of();

    // What changes without the placement changing (runner stats, utilization, last statuses) is
    // read every tick, but only for the rows shown: the runners, and the first MAX_CHECKS configs.
    List<DashboardSnapshot.CheckRow> checks = new ArrayList<>();
    List<DashboardSnapshot.RunnerRow> runners = new ArrayList<>();
    Map<DispatchedConfig, Facts> shownFacts = new IdentityHashMap<>();
    String sharedType = sharedNodeType(stats);
    for (NodeConfigs node : shown.nodes()) {
      Optional<RunnerStats> rs = sources.runnerStats().apply(node.node());
      if (runners.size() < MAX_RUNNERS) {
        runners.add(new DashboardSnapshot.RunnerRow(node.node(), node.configs().size(),
            utilization.get(node.node()), sharedType != null ? sharedType : rs.isPresent() ? "clc runner" : "mixed",
            heartbeats.lastStatus(node.node()), rs.map(RunnerStats::collectedAtMillis).orElse(null)));
      }
      for (DispatchedConfig dc : node.dispatched()) {
        if (checks.size() >= MAX_CHECKS) {
          break;
        }
        checks.add(checkRow(dc, facts(dc, shownFacts), node.node(), rs));
      }
    }
    for (DispatchedConfig dc : shown.waiting()) {
      if (checks.size() >= MAX_CHECKS) {
        break;
      }
      checks.add(checkRow(dc, facts(dc, shownFacts), "", Optional.empty()));
    }
    facts = shownFacts;
    if (sampleHistory && leader) {
      history.record(now, utilization);
    }

    double mean = utilization.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    Map<String, Integer> types = new LinkedHashMap<>();
    stats.nodeTypes().forEach((t, n) -> {
      if (n > 0) {
        types.put(typeLabel(t), n);
      }
    });
    DashboardSnapshot.Fleet fleet = new DashboardSnapshot.Fleet(shown.nodes().size(), placed.checksTotal(),
        placed.assigned(), shown.waiting().size(), stats.unscheduledChecks(), stats.endpointsConfigs(), types,
        !utilization.isEmpty(), round(mean), sources.band());
    DashboardSnapshot.Leadership leadership = new DashboardSnapshot.Leadership(lv.role(), lv.self(), lv.leader(),
        sources.dispatcher().isWarmingUp(), notRunning(lv.role()), roleSince);
    return new DashboardSnapshot(now, leadership, fleet, runners, checks, placed.checksTotal(), placed.unassigned(),
        shown.waiting().size(), problems(), events.newest(MAX_EVENTS), history.chart(MAX_CHART_SERIES));
  }

  /**
   * Observes the agent without building the document, for ticks nobody watches: the timeline
   * (what moved) and the utilization history stay complete, and nothing proportional to the
   * shown rows is built.
   */
  void observe(long now, boolean sampleHistory) {
    String role = sources.leadership().get().role();
    observeRole(now, role);
    boolean leader = role.equals("leader");
    placed(now, role, leader);
    if (sampleHistory && leader) {
      history.record(now, sources.utilization().get());
    }
  }

  private void observeRole(long now, String role) {
    if (!role.equals(lastRole)) {
      lastRole = role;
      roleSince = now;
    }
  }

  private static String notRunning(String role) {
    return switch (role) {
      case "leader" -> "";
      case "follower" -> "currently follower";
      default -> "Startup in progress";
    };
  }

  /**
   * The part of the view that depends on every config: the dispatcher's shown nodes, their
   * counts, the timeline events of what moved. Rebuilt only when the dispatcher's state version
   * or this replica's role changed, so a tick of an idle agent costs the same at ten configs or a
   * million; a rebuild reads the configs of the nodes that changed ({@link ChangeTracker}), and
   * only the sizes of the others.
   */
  private Placed placed(long now, String role, boolean leader) {
    long version = leader ? sources.dispatcher().stateVersion() : -1;
    Placed last = lastPlaced;
    if (last != null && last.role().equals(role) && (last.version() == version || now < nextRebuildAt)) {
      return last;
    }
    long started = clock.millis();
    ShownNodes shown = leader ? sources.dispatcher().shownNodes() : ShownNodes.NONE;
    int assigned = 0;
    for (NodeConfigs node : shown.nodes()) {
      assigned += node.configs().size();
    }
    List<DashboardSnapshot.UnassignedRow> unassigned = new ArrayList<>();
    String reason = shown.nodes().isEmpty()
        ? "no runner reports to this agent"
        : "waiting for a runner: it arrived when none could take it, or its runner stopped reporting";
    for (DispatchedConfig dc : shown.waiting()) {
      if (unassigned.size() >= MAX_UNASSIGNED) {
        break;
      }
      Config c = dc.config();
      unassigned.add(new DashboardSnapshot.UnassignedRow(dc.digest(), c.checkName(), c.source(), reason));
    }
    changes.observe(now, shown, role);
    if (changes.runnersChanged()) {
      heartbeats.retain(changes.runners());
    }
    Placed placed = new Placed(shown.version(), role, shown, assigned + shown.waiting().size(), assigned,
        List.copyOf(unassigned));
    lastPlaced = placed;
    nextRebuildAt = now + REBUILD_PACING * Math.max(0, clock.millis() - started);
    return placed;
  }

  /** How many configs the last rebuild read to find what moved (tests). */
  long configsReadByLastRebuild() {
    return changes.configsRead();
  }

  private Facts facts(DispatchedConfig dc, Map<DispatchedConfig, Facts> next) {
    Facts f = facts.get(dc);
    if (f == null) {
      f = new Facts(dc);
    }
    next.put(dc, f);
    return f;
  }

  private static DashboardSnapshot.CheckRow checkRow(DispatchedConfig dc, Facts f, String runner,
      Optional<RunnerStats> rs) {
    Config c = dc.config();
    Long avg = null;
    String status = "";
    if (rs.isPresent()) {
      long sum = 0;
      int n = 0;
      for (String id : f.checkIds) {
        CheckStats cs = rs.get().checks().get(id);
        if (cs == null) {
          continue;
        }
        sum += cs.averageExecutionTimeMs();
        n++;
        if (cs.lastExecFailed()) {
          status = "error: " + cut(SecretScrubber.text(cs.lastError()), 200);
        } else if (status.isEmpty() && (cs.totalRuns() > 0 || cs.averageExecutionTimeMs() > 0)) {
          status = "ok";
        }
      }
      avg = n == 0 ? null : sum / n;
    }
    return new DashboardSnapshot.CheckRow(f.digest, c.checkName(), c.source(), f.checkIds, runner, avg, status,
        f.instance(c));
  }

  private List<DashboardSnapshot.ProblemRow> problems() {
    List<DashboardSnapshot.ProblemRow> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : new TreeMap<>(sources.configErrors().get()).entrySet()) {
      for (String m : e.getValue()) {
        if (out.size() >= MAX_PROBLEMS) {
          return out;
        }
        out.add(new DashboardSnapshot.ProblemRow(e.getKey(),
            cut(SecretScrubber.text(m), MAX_MESSAGE_CHARS)));
      }
    }
    return out;
  }

  /** The node type of every runner when the dispatcher counts only one kind, else null. */
  private static String sharedNodeType(DispatchStats stats) {
    String only = null;
    for (Map.Entry<NodeType, Integer> e : stats.nodeTypes().entrySet()) {
      if (e.getValue() > 0) {
        if (only != null) {
          return null;
        }
        only = typeLabel(e.getKey());
      }
    }
    return only;
  }

  private static String typeLabel(NodeType t) {
    return switch (t) {
      case CLC_RUNNER -> "clc runner";
      case NODE_AGENT -> "node agent";
      case UNKNOWN -> "legacy agent";
    };
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  private static String cut(String s, int maxChars) {
    return s.length() <= maxChars ? s : s.substring(0, maxChars) + "...";
  }
}
