package io.clusterchecks.bench.scenario;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.PreparedConfig;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.dispatch.RebalanceResult;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ours, as the agent does it: the production {@link Dispatcher} on a {@link ManualTime} clock,
 * through its public API only. Configs are scheduled as the sources schedule them (one instance
 * each, the default 15 s interval); runners report as workers do (a status every 10 s of virtual
 * time); a runner that leaves stops reporting and expires after the default 30 s, when the
 * dispatcher places its configs again itself; every period the runners' stats (the world's
 * measured loads as execution times) are handed over as the collector would, and the dispatcher's
 * periodic rebalance runs. The world follows the dispatcher's placement, so every move counted
 * is one the agent made. Balancer, load model (smoothing, estimates), placement, re-dispatch,
 * worth-it cut and move budget are the agent's defaults, not a model of them.
 */
public final class AgentDriven implements Strategy {
  /** The sources' default {@code min_collection_interval}: load = execution time / 15 s. */
  private static final long INTERVAL_MS = 15_000;
  private static final long STATUS_EVERY_SECONDS = 10;
  private static final Duration EXPIRY = DispatcherSettings.defaults().nodeExpirationTimeout();

  private final double budgetShare;
  private ManualTime time;
  private Dispatcher dispatcher;
  /** Virtual seconds the dispatcher's clock has run since the simulation's 0. */
  private long agentSeconds;
  private final Map<String, Integer> idByDigest = new HashMap<>();
  private String[] digestOf = new String[0];
  private String[] checkIdOf = new String[0];
  private final Map<String, SimRunner> reporting = new LinkedHashMap<>();
  /** The answers of the periodic rebalances (for tests). */
  final List<RebalanceResult> rebalances = new ArrayList<>();
  int moveBudget;

  /** @param budgetShare move budget per rebalance as a share of the configs; 0 or less: unbounded */
  public AgentDriven(double budgetShare) {
    this.budgetShare = budgetShare;
  }

  @Override
  public String name() {
    return budgetShare > 0
        ? String.format("ours (budget %s%% of configs/period)", trim(budgetShare * 100))
        : "ours (no budget)";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  @Override
  public boolean rebalances() {
    return true;
  }

  private void startAgent(World w) {
    moveBudget = budgetShare > 0 ? (int) Math.max(1, Math.round(budgetShare * w.params().configs())) : Integer.MAX_VALUE;
    DispatcherSettings.Balancing b = DispatcherSettings.Balancing.defaults();
    DispatcherSettings settings = DispatcherSettings.defaults()
        .withWarmupDuration(Duration.ZERO)
        .withBalancing(new DispatcherSettings.Balancing(true, Set.of(), b.target(), b.trigger(), b.fillBelow(),
            b.minImprovementPercent(), moveBudget));
    time = new ManualTime();
    dispatcher = new Dispatcher(settings, time, time, new SimpleMeterRegistry());
    dispatcher.start();
    time.advance(Duration.ZERO);
  }

  /** Runs the dispatcher's clock to the world's, every reporting runner sending its statuses. */
  private void catchUp(World w) {
    advance(Math.max(0, w.now() - agentSeconds));
  }

  private void advance(long seconds) {
    long left = seconds;
    while (left > 0) {
      long step = Math.min(STATUS_EVERY_SECONDS, left);
      report();
      time.advanceSeconds(step);
      agentSeconds += step;
      left -= step;
    }
    report();
  }

  private void report() {
    NodeStatus status = new NodeStatus(NodeStatus.HEARTBEAT_ONLY, NodeType.CLC_RUNNER);
    for (SimRunner r : reporting.values()) {
      dispatcher.processNodeStatus(r.name(), "10.0.0.1", status);
    }
  }

  @Override
  public void membership(World w, List<SimRunner> joined, List<SimRunner> left, int[] orphans) {
    boolean first = dispatcher == null;
    if (first) {
      startAgent(w);
    }
    catchUp(w);
    left.forEach(r -> reporting.remove(r.name()));
    joined.forEach(r -> reporting.put(r.name(), r));
    report();
    if (first) {
      // The first report opens the arrival window: configs wait until it closes.
      advance(DispatcherSettings.DEFAULT_ARRIVAL_WINDOW.toSeconds() + 1);
    }
    if (!left.isEmpty()) {
      // The runners that left stop reporting and expire; the agent places their configs again.
      advance(EXPIRY.toSeconds() + 1);
    }
    follow(w);
  }

  @Override
  public SimRunner place(World w, int c) {
    placeAll(w, new int[] {c});
    return w.runnerOf(c);
  }

  @Override
  public void placeAll(World w, int[] configs) {
    catchUp(w);
    List<Config> batch = new ArrayList<>(configs.length);
    for (int c : configs) {
      Config config = Config.builder(w.checkName(c)).clusterCheck(true).instanceYaml("name: c" + c + "\n").build();
      PreparedConfig prepared = PreparedConfig.of(config, List.of());
      if (c >= digestOf.length) {
        digestOf = java.util.Arrays.copyOf(digestOf, Math.max(c + 1, w.params().configs() * 11 / 10 + 1));
        checkIdOf = java.util.Arrays.copyOf(checkIdOf, digestOf.length);
      }
      digestOf[c] = prepared.digest();
      checkIdOf[c] = prepared.checkIds().get(0);
      idByDigest.put(prepared.digest(), c);
      batch.add(config);
    }
    dispatcher.schedule(batch);
    follow(w);
  }

  @Override
  public void rebalance(World w) {
    catchUp(w);
    Map<String, RunnerStats> stats = new HashMap<>();
    for (SimRunner r : reporting.values()) {
      Map<String, CheckStats> checks = new HashMap<>(r.size * 2);
      for (int i = 0; i < r.size; i++) {
        int c = r.configs[i];
        checks.put(checkIdOf[c], CheckStats.ofExecutionTime(Math.round(w.measured(c) * INTERVAL_MS)));
      }
      stats.put(r.name(), new RunnerStats(r.name(), checks, r.workers(), time.millis()));
    }
    dispatcher.updateRunnerStats(stats);
    RebalanceResult result = dispatcher.rebalance(false, false).join();
    rebalances.add(result);
    follow(w);
  }

  /** The world takes the dispatcher's placement; configs of a runner not reporting wait. */
  private void follow(World w) {
    for (Map.Entry<String, String> e : dispatcher.placement().entrySet()) {
      Integer c = idByDigest.get(e.getKey());
      SimRunner r = reporting.get(e.getValue());
      if (c != null && r != null && w.runnerOf(c) != r) {
        w.assign(c, r);
      }
    }
  }
}
