package io.clusterchecks.bench.scenario;

import io.clusterchecks.core.balance.MinMoveBalancer;
import io.clusterchecks.core.balance.Move;
import io.clusterchecks.core.balance.Plan;
import io.clusterchecks.core.balance.RunnerLoad;
import io.clusterchecks.core.balance.CheckLoad;
import io.clusterchecks.core.balance.WorthIt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The strategies compared; each is written from the behaviour described in the references. */
public final class Strategies {
  private Strategies() {}

  /** Every strategy of the table, fresh, in table order. */
  public static List<Strategy> all(Params p) {
    List<Strategy> list = new ArrayList<>();
    list.add(new FewestConfigs(p.seed()));
    list.add(new RandomBusyness(p.seed()));
    list.add(new RandomUtilization(p.seed()));
    list.add(new OtelConsistentHashing());
    list.add(new OtelLeastWeighted());
    list.add(new Ours(p.oursBudget()));
    list.add(new Ours(0));
    return list;
  }

  static SimRunner byName(World w, String name) {
    for (SimRunner r : w.alive) {
      if (r.name.equals(name)) {
        return r;
      }
    }
    throw new IllegalStateException("no live runner " + name);
  }

  static Map<String, SimRunner> byName(World w) {
    Map<String, SimRunner> m = new HashMap<>();
    for (SimRunner r : w.alive) {
      m.put(r.name, r);
    }
    return m;
  }

  /** Reference, simple mode (docs/reference/dispatcher.md section 4): the runner with the fewest configs, ties random; no rebalance. */
  public static final class FewestConfigs implements Strategy {
    private final SplittableRandom rng;
    private final RunnerIndex index = new RunnerIndex();

    public FewestConfigs(long seed) {
      rng = new SplittableRandom(seed ^ 0x1111);
    }

    @Override
    public String name() {
      return "reference fewest-configs";
    }

    @Override
    public SimRunner place(World w, int c) {
      SimRunner r = index.first();
      index.put(r, index.key(r) + 1, rng.nextDouble());
      return r;
    }

    @Override
    public void membership(World w, List<SimRunner> joined, List<SimRunner> left, int[] orphans) {
      left.forEach(index::remove);
      for (SimRunner r : joined) {
        index.put(r, r.size, rng.nextDouble());
      }
      Strategy.super.membership(w, joined, left, orphans);
    }
  }

  /** Random placement (docs/reference/dispatcher.md section 4 advanced mode), shared by the two reference rebalances. */
  abstract static class RandomPlacement implements Strategy {
    final SplittableRandom rng;

    RandomPlacement(long seed) {
      rng = new SplittableRandom(seed ^ 0x2222);
    }

    @Override
    public SimRunner place(World w, int c) {
      return w.alive.get(rng.nextInt(w.alive.size()));
    }

    @Override
    public boolean rebalances() {
      return true;
    }
  }

  /**
   * Reference: random placement, busyness rebalance (docs/reference/dispatcher.md section 10). Busyness with the current default
   * weights is metric samples + histogram buckets (+ 0.2 × events); execution time has weight 0, so
   * it balances samples, which only correlate with cost (the simulation draws samples correlated
   * with the check's cost level).
   */
  public static final class RandomBusyness extends RandomPlacement {
    public RandomBusyness(long seed) {
      super(seed);
    }

    @Override
    public String name() {
      return "reference random + busyness";
    }

    @Override
    public void rebalance(World w) {
      List<Busyness.Node> nodes = new ArrayList<>(w.alive.size());
      for (SimRunner r : w.alive) {
        List<Busyness.Item> items = new ArrayList<>(r.size);
        for (int i = 0; i < r.size; i++) {
          int c = r.configs[i];
          items.add(new Busyness.Item(c, Busyness.weight(false, 0, w.samples(c), 0, 0), true));
        }
        nodes.add(new Busyness.Node(r.name, items));
      }
      Map<String, SimRunner> names = byName(w);
      for (Busyness.Moved m : Busyness.plan(nodes)) {
        w.assign(m.id(), names.get(m.to()));
      }
    }
  }

  /** Reference: random placement, utilization rebalance with stickiness and worth-it (docs/reference/dispatcher.md section 10). */
  public static final class RandomUtilization extends RandomPlacement {
    public RandomUtilization(long seed) {
      super(seed);
    }

    @Override
    public String name() {
      return "reference random + utilization";
    }

    @Override
    public void rebalance(World w) {
      List<SimRunner> runners = new ArrayList<>(w.alive);
      int[] workers = new int[runners.size()];
      int n = 0;
      for (int r = 0; r < runners.size(); r++) {
        workers[r] = runners.get(r).workers;
        n += runners.get(r).size;
      }
      String[] ids = new String[n];
      double[] needed = new double[n];
      int[] current = new int[n];
      int[] config = new int[n];
      int k = 0;
      for (int r = 0; r < runners.size(); r++) {
        SimRunner sr = runners.get(r);
        for (int i = 0; i < sr.size; i++) {
          int c = sr.configs[i];
          config[k] = c;
          ids[k] = w.digest(c);
          needed[k] = w.measured(c);
          current[k] = r;
          k++;
        }
      }
      int[] proposed = UtilizationAlgorithm.propose(workers, ids, needed, current, new boolean[n], true);
      boolean worth = UtilizationAlgorithm.worthIt(
          UtilizationAlgorithm.Distribution.of(workers, needed, current),
          UtilizationAlgorithm.Distribution.of(workers, needed, proposed), 10);
      if (worth) {
        for (int i = 0; i < n; i++) {
          if (proposed[i] != current[i]) {
            w.assign(config[i], runners.get(proposed[i]));
          }
        }
      }
    }
  }

  /**
   * OpenTelemetry target allocator, consistent-hashing (docs/reference/peer-dispatchers.md section 1): the ring is rebuilt
   * on every membership change and every config re-located; no rebalance.
   */
  public static final class OtelConsistentHashing implements Strategy {
    private BoundedLoadRing ring;
    private List<SimRunner> members;

    @Override
    public String name() {
      return "OTel consistent-hashing";
    }

    @Override
    public SimRunner place(World w, int c) {
      return members.get(ring.locate(w.digest(c)));
    }

    @Override
    public void membership(World w, List<SimRunner> joined, List<SimRunner> left, int[] orphans) {
      members = new ArrayList<>(w.alive);
      ring = new BoundedLoadRing(members.stream().map(SimRunner::name).toList());
      List<int[]> all = new ArrayList<>();
      for (SimRunner r : members) {
        all.add(r.configIds());
      }
      all.add(orphans);
      for (int[] cs : all) {
        for (int c : cs) {
          w.assign(c, place(w, c));
        }
      }
    }
  }

  /**
   * OpenTelemetry target allocator, least-weighted (docs/reference/peer-dispatchers.md section 1): sticky; a new or
   * orphaned target goes to the collector with the fewest targets, ties to fewer targets of the
   * same job (here: check name), then the lower name; never moves anything onto a new collector.
   */
  public static final class OtelLeastWeighted implements Strategy {
    private final RunnerIndex index = new RunnerIndex();
    private final Map<Integer, int[]> perType = new HashMap<>();

    @Override
    public String name() {
      return "OTel least-weighted";
    }

    @Override
    public SimRunner place(World w, int c) {
      int t = w.type(c);
      SimRunner best = null;
      double min = 0;
      for (SimRunner r : index.ascending()) {
        if (best == null) {
          best = r;
          min = index.key(r);
        } else if (index.key(r) > min) {
          break;
        } else if (perType.get(r.id)[t] < perType.get(best.id)[t]) {
          best = r;
        }
      }
      index.put(best, index.key(best) + 1, 0);
      perType.get(best.id)[t]++;
      return best;
    }

    @Override
    public void membership(World w, List<SimRunner> joined, List<SimRunner> left, int[] orphans) {
      for (SimRunner r : left) {
        index.remove(r);
        perType.remove(r.id);
      }
      for (SimRunner r : joined) {
        index.put(r, r.size, 0);
        perType.put(r.id, new int[w.checkTypes()]);
      }
      Strategy.super.membership(w, joined, left, orphans);
    }
  }

  /**
   * Ours: a new config goes to the runner with the lowest (measured load + estimates of configs
   * placed since) / workers, its estimate being the mean measured load of its check name (else the
   * fleet's mean); a dead runner's configs are placed the same way one by one, heaviest first, with
   * their last measured load; every period a {@link MinMoveBalancer} pass (target 1.05) with a move
   * budget.
   */
  public static final class Ours implements Strategy {
    /** Estimate of a config when no stats exist at all (start): equal for all, so by count. */
    static final double NO_STATS_ESTIMATE = 0.01;
    private final double budgetShare;
    // The dispatcher's defaults (DispatcherSettings.Balancing): correct only runners above 1.04 or
    // below 0.95 of the mean, bring them to [0.98, 1.02], and only for a 10% tighter spread.
    private static final double TRIGGER = 1.04;
    private static final int MIN_IMPROVEMENT_PERCENT = 10;
    private static final double FILL_BELOW = 0.95;
    private final MinMoveBalancer balancer = new MinMoveBalancer(1.02, TRIGGER, FILL_BELOW);
    private final RunnerIndex index = new RunnerIndex();
    /** Weight of a fresh sample, as the dispatcher's load model (LoadModel.SMOOTHING). */
    private static final double SMOOTHING = 0.5;
    private double[] est = new double[64];
    /** Smoothed measured load per config id; NaN until its first stats collection. */
    private double[] smoothed = new double[0];
    private double[] typeSum;
    private int[] typeCount;
    private double fleetMean = -1;
    /** Plans made (for tests and the report). */
    final List<Plan> plans = new ArrayList<>();
    boolean keepPlans;

    public Ours(double budgetShare) {
      this.budgetShare = budgetShare;
    }

    @Override
    public String name() {
      String b = budgetShare > 0
          ? String.format("ours (budget %s%% of configs/period)", trim(budgetShare * 100))
          : "ours (no budget)";
      return b;
    }

    private static String trim(double v) {
      return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public boolean rebalances() {
      return true;
    }

    double estimate(World w, int c) {
      if (typeCount != null && typeCount[w.type(c)] > 0) {
        return typeSum[w.type(c)] / typeCount[w.type(c)];
      }
      return fleetMean >= 0 ? fleetMean : NO_STATS_ESTIMATE;
    }

    private void add(SimRunner r, double load) {
      if (r.id >= est.length) {
        est = Arrays.copyOf(est, Math.max(r.id + 1, est.length * 2));
      }
      est[r.id] += load;
      index.put(r, est[r.id] / r.workers, 0);
    }

    @Override
    public SimRunner place(World w, int c) {
      SimRunner r = index.first();
      add(r, estimate(w, c));
      return r;
    }

    @Override
    public void membership(World w, List<SimRunner> joined, List<SimRunner> left, int[] orphans) {
      left.forEach(index::remove);
      for (SimRunner r : joined) {
        add(r, 0);
      }
      Integer[] order = new Integer[orphans.length];
      double[] known = new double[orphans.length];
      for (int i = 0; i < orphans.length; i++) {
        order[i] = i;
        known[i] = known(w, orphans[i]);
      }
      Arrays.sort(order, (a, b) -> known[a] != known[b] ? Double.compare(known[b], known[a])
          : Integer.compare(orphans[a], orphans[b]));
      for (int i : order) {
        SimRunner r = index.first();
        add(r, known[i]);
        w.assign(orphans[i], r);
      }
    }

    /** The dispatcher's view of a config's load: smoothed measurements, else an estimate. */
    private double known(World w, int c) {
      return c < smoothed.length && !Double.isNaN(smoothed[c]) ? smoothed[c] : estimate(w, c);
    }

    /** A stats collection: folds this collection's sample into the smoothed load. */
    private double collect(World w, int c) {
      if (c >= smoothed.length) {
        int from = smoothed.length;
        smoothed = Arrays.copyOf(smoothed, Math.max(c + 1, Math.max(64, w.born())));
        Arrays.fill(smoothed, from, smoothed.length, Double.NaN);
      }
      double m = w.measured(c);
      double old = smoothed[c];
      smoothed[c] = Double.isNaN(old) ? m : old * (1 - SMOOTHING) + m * SMOOTHING;
      return smoothed[c];
    }

    @Override
    public void rebalance(World w) {
      // stats collection: every runner's load is what it measured; per-check-name means
      typeSum = new double[w.checkTypes()];
      typeCount = new int[w.checkTypes()];
      double sum = 0;
      int n = 0;
      index.clear();
      List<RunnerLoad> runners = new ArrayList<>(w.alive.size());
      for (SimRunner r : w.alive) {
        List<CheckLoad> units = new ArrayList<>(r.size);
        double l = 0;
        for (int i = 0; i < r.size; i++) {
          int c = r.configs[i];
          double m = collect(w, c);
          units.add(new CheckLoad(w.digest(c), w.checkName(c), m, false));
          l += m;
          typeSum[w.type(c)] += m;
          typeCount[w.type(c)]++;
        }
        sum += l;
        n += r.size;
        if (r.id >= est.length) {
          est = Arrays.copyOf(est, Math.max(r.id + 1, est.length * 2));
        }
        est[r.id] = l;
        runners.add(new RunnerLoad(r.name, r.workers, units));
      }
      fleetMean = n == 0 ? -1 : sum / n;
      int budget = budgetShare > 0 ? (int) Math.max(1, Math.round(budgetShare * n)) : Integer.MAX_VALUE;
      WorthIt.Verdict verdict = WorthIt.judge(balancer.plan(runners, budget), TRIGGER, FILL_BELOW,
          MIN_IMPROVEMENT_PERCENT, false);
      Plan plan = verdict.apply() ? verdict.applied() : Plan.none(verdict.applied().before());
      if (keepPlans) {
        plans.add(plan);
      }
      Map<String, SimRunner> names = byName(w);
      for (Move m : plan.moves()) {
        SimRunner from = names.get(m.from());
        SimRunner to = names.get(m.to());
        est[from.id] -= m.load();
        est[to.id] += m.load();
        w.assign(World.idOf(m.digest()), to);
      }
      for (SimRunner r : w.alive) {
        index.put(r, est[r.id] / r.workers, 0);
      }
    }
  }

}
