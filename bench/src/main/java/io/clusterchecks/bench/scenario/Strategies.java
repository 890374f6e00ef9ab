package io.clusterchecks.bench.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The strategies compared: the baselines, each written from the behaviour described in the
 * references, and ours, the agent's own dispatcher ({@link AgentDriven}).
 */
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
    list.add(new AgentDriven(p.oursBudget()));
    list.add(new AgentDriven(0));
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
}
