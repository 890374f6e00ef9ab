package io.clusterchecks.server.dashboard;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.config.SecretScrubber;
import io.clusterchecks.core.dispatch.DispatchStats;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds one {@link DashboardSnapshot} from the agent's public views. Runs on the sampler thread
 * only. Every list is cut at a fixed size so a document stays bounded whatever the fleet; digests,
 * check IDs and scrubbed instances are computed once per config object and reused while the
 * dispatcher keeps that object.
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
   * What is computed once per config: its digest and check IDs for every config, its scrubbed
   * instance (a YAML parse) only once it is shown, since at most {@link #MAX_CHECKS} ever are.
   */
  private static final class Facts {
    final String digest;
    final List<String> checkIds;
    private String instance;

    Facts(String digest, List<String> checkIds) {
      this.digest = digest;
      this.checkIds = checkIds;
    }

    String digest() {
      return digest;
    }

    List<String> checkIds() {
      return checkIds;
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
  private record Placed(long version, String role, StateResponse state, int checksTotal, int assigned,
      int dangling, List<DashboardSnapshot.UnassignedRow> unassigned) {}

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
  private Map<Config, Facts> facts = new IdentityHashMap<>();
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
    StateResponse state = placed.state();
    DispatchStats stats = sources.dispatcher().stats();
    Map<String, Double> utilization = leader ? sources.utilization().get() : Map.of();

    // What changes without the placement changing (runner stats, utilization, last statuses) is
    // read every tick, but only for the rows shown: the runners, and the first MAX_CHECKS configs.
    List<DashboardSnapshot.CheckRow> checks = new ArrayList<>();
    List<DashboardSnapshot.RunnerRow> runners = new ArrayList<>();
    String sharedType = sharedNodeType(stats);
    for (StateResponse.Node node : state.nodes()) {
      Optional<RunnerStats> rs = sources.runnerStats().apply(node.name());
      if (runners.size() < MAX_RUNNERS) {
        runners.add(new DashboardSnapshot.RunnerRow(node.name(), node.configs().size(),
            utilization.get(node.name()), sharedType != null ? sharedType : rs.isPresent() ? "clc runner" : "mixed",
            heartbeats.lastStatus(node.name()), rs.map(RunnerStats::collectedAtMillis).orElse(null)));
      }
      for (Config c : node.configs()) {
        if (checks.size() >= MAX_CHECKS) {
          break;
        }
        checks.add(checkRow(c, facts.get(c), node.name(), rs));
      }
    }
    for (Config c : state.dangling()) {
      if (checks.size() >= MAX_CHECKS) {
        break;
      }
      checks.add(checkRow(c, facts.get(c), "", Optional.empty()));
    }
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
    DashboardSnapshot.Fleet fleet = new DashboardSnapshot.Fleet(state.nodes().size(), placed.checksTotal(),
        placed.assigned(), placed.dangling(), stats.unscheduledChecks(), stats.endpointsConfigs(), types,
        !utilization.isEmpty(), round(mean), sources.band());
    DashboardSnapshot.Leadership leadership = new DashboardSnapshot.Leadership(lv.role(), lv.self(), lv.leader(),
        sources.dispatcher().isWarmingUp(), notRunning(lv.role()), roleSince);
    return new DashboardSnapshot(now, leadership, fleet, runners, checks, placed.checksTotal(), placed.unassigned(),
        state.dangling().size(), problems(), events.newest(MAX_EVENTS), history.chart(MAX_CHART_SERIES));
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
   * The part of the view that depends on every config: the state, the per-config facts, the
   * timeline events of what moved. Rebuilt only when the dispatcher's state version or this
   * replica's role changed, so a tick of an idle agent costs the same at ten configs or a million.
   */
  private Placed placed(long now, String role, boolean leader) {
    long version = leader ? sources.dispatcher().stateVersion() : -1;
    Placed last = lastPlaced;
    if (last != null && last.role().equals(role) && (last.version() == version || now < nextRebuildAt)) {
      return last;
    }
    long started = clock.millis();
    StateResponse state = leader ? sources.dispatcher().state() : new StateResponse("", false, List.of(), List.of());
    Map<Config, Facts> nextFacts = new IdentityHashMap<>();
    Map<String, String> assigned = new HashMap<>();
    Map<String, String> labels = new HashMap<>();
    Set<String> runnerNames = new HashSet<>();
    int checksTotal = 0;
    for (StateResponse.Node node : state.nodes()) {
      runnerNames.add(node.name());
      for (Config c : node.configs()) {
        Facts f = facts(c, nextFacts);
        assigned.put(f.digest(), node.name());
        labels.put(f.digest(), label(c, f));
        checksTotal++;
      }
    }
    Set<String> dangling = new HashSet<>();
    List<DashboardSnapshot.UnassignedRow> unassigned = new ArrayList<>();
    String reason = state.nodes().isEmpty()
        ? "no runner reports to this agent"
        : "waiting for a runner: it arrived when none could take it, or its runner stopped reporting";
    for (Config c : state.dangling()) {
      Facts f = facts(c, nextFacts);
      dangling.add(f.digest());
      labels.put(f.digest(), label(c, f));
      checksTotal++;
      if (unassigned.size() < MAX_UNASSIGNED) {
        unassigned.add(new DashboardSnapshot.UnassignedRow(f.digest(), c.checkName(), c.source(), reason));
      }
    }
    facts = nextFacts;
    heartbeats.retain(runnerNames);
    changes.observe(now, new ChangeTracker.Observation(assigned, dangling, labels, runnerNames, role));
    Placed placed = new Placed(version, role, state, checksTotal, assigned.size(), dangling.size(),
        List.copyOf(unassigned));
    lastPlaced = placed;
    nextRebuildAt = now + REBUILD_PACING * Math.max(0, clock.millis() - started);
    return placed;
  }

  private Facts facts(Config c, Map<Config, Facts> next) {
    Facts f = facts.get(c);
    if (f == null) {
      f = new Facts(Digests.digest(c), CheckIds.checkIds(c));
    }
    next.put(c, f);
    return f;
  }

  private static String label(Config c, Facts f) {
    return c.checkName() + ":" + f.digest();
  }

  private static DashboardSnapshot.CheckRow checkRow(Config c, Facts f, String runner, Optional<RunnerStats> rs) {
    Long avg = null;
    String status = "";
    if (rs.isPresent()) {
      long sum = 0;
      int n = 0;
      for (String id : f.checkIds()) {
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
    return new DashboardSnapshot.CheckRow(f.digest(), c.checkName(), c.source(), f.checkIds(), runner, avg, status,
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
