package io.clusterchecks.core.balance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An on-demand rebalance: one call that lands every runner inside the band when the config sizes
 * allow it, as few moves as that takes.
 *
 * <p>Why not the periodic plan. {@link MinMoveBalancer} corrects one runner at a time with single
 * moves to the least-utilized runner, and the periodic loop cuts what is not worth it
 * ({@link WorthIt}); between periods that is what keeps churn low. A person who asks for a
 * rebalance wants it done: on a small fleet of uneven checks (four runners, eight heavy configs
 * among forty) single moves get stuck with the busiest runner well over the band, where a swap of
 * a heavy config for a light one, or a greedy placement heaviest first, gets within it.
 *
 * <p>So: the minimal-move plan first; then, while the busiest runner is over the band, the single
 * move or the swap (with one of the least-utilized runners) that lowers it most; and if that still
 * leaves it over the band, the same search from a greedy longest-first placement (LPT: each config,
 * heaviest first, on the runner where it ends least utilized; its runners matched to the current
 * ones so that most configs stay), kept when its busiest runner is lower. The answer is the
 * difference between where the configs run and where they end, one move per config, heaviest
 * first. Each search step lowers the busiest runner or its pair's maximum strictly, so the
 * busiest runner never ends above the greedy placement's (or above the band). Pinned configs
 * never move; their load counts. Deterministic: same input, same plan.
 */
public final class Convergence {
  private static final double EPSILON = 1e-9;
  /** How many of the least-utilized runners a swap is tried with (a swap scan is quadratic). */
  private static final int SWAP_PARTNERS = 16;

  private Convergence() {}

  /**
   * @param plan what to apply: at most the budget's moves
   * @param movesNeeded how many moves landing inside the band takes (more than the plan holds
   *     when the budget stopped it)
   * @param reachable max over mean utilization the whole plan would reach
   */
  public record Result(Plan plan, int movesNeeded, double reachable) {
    /** The move budget cut the plan: the runners are not yet where one call would bring them. */
    public boolean budgetStopped() {
      return movesNeeded > plan.moves().size();
    }
  }

  /**
   * @param band the most a runner may carry after the call, in times the mean utilization
   *     (e.g. the trigger, 1.04)
   * @param moveBudget the most moves applied
   */
  public static Result plan(MinMoveBalancer balancer, List<RunnerLoad> runners, double band, int moveBudget) {
    Fleet start = new Fleet(runners);
    BalanceFigures before = start.figures();
    if (runners.size() < 2 || start.totalLoad() <= 0) {
      return new Result(Plan.none(before), 0, before.maxOverMean());
    }
    double limit = band * start.mean();
    Fleet minimal = start.copy();
    for (Move m : balancer.plan(runners, Integer.MAX_VALUE).moves()) {
      minimal.move(minimal.index(m.digest()), minimal.runnerIndex(m.to()));
    }
    minimal.improve(limit);
    Fleet best = minimal;
    if (minimal.maxUtilization() > limit + EPSILON) {
      Fleet greedy = start.longestFirst();
      greedy.improve(limit);
      if (greedy.maxUtilization() < minimal.maxUtilization() - EPSILON) {
        best = greedy;
      }
    }
    List<Integer> moved = new ArrayList<>();
    for (int i = 0; i < start.checks.size(); i++) {
      if (best.home[i] != start.home[i]) {
        moved.add(i);
      }
    }
    moved.sort(Comparator.<Integer>comparingDouble(i -> -start.checks.get(i).load())
        .thenComparing(i -> start.checks.get(i).digest()));
    List<Move> moves = new ArrayList<>();
    List<Plan.Step> steps = new ArrayList<>();
    Fleet applying = start.copy();
    for (int i : moved.subList(0, Math.min(moved.size(), Math.max(0, moveBudget)))) {
      CheckLoad c = start.checks.get(i);
      moves.add(new Move(c.digest(), c.checkName(), start.names.get(start.home[i]), start.names.get(best.home[i]),
          c.load()));
      applying.move(i, best.home[i]);
      steps.add(new Plan.Step(applying.figures(), start.names.get(start.home[i]), false));
    }
    Plan plan = new Plan(moves, before, applying.figures(), steps);
    return new Result(plan, moved.size(), best.figures().maxOverMean());
  }

  /**
   * Whether an on-demand plan is applied: always, unless it moves nothing or (not forced) every
   * runner is already inside the trigger band; never cut as not worth it (a person asked for it).
   */
  public static WorthIt.Verdict judge(Result result, double trigger, double fillBelow, boolean force) {
    WorthIt.Verdict refused = WorthIt.refusal(result.plan(), trigger, fillBelow, force);
    return refused != null ? refused : new WorthIt.Verdict(result.plan(), "", 0);
  }

  /** Runners, their loads and where each movable config runs, as arrays the searches change. */
  private static final class Fleet {
    final List<String> names;
    final int[] workers;
    final double[] pinned;
    final List<CheckLoad> checks;
    final Map<String, Integer> byDigest;
    final Map<String, Integer> byName;
    final int[] home;
    final double[] load;
    final List<TreeSet<Integer>> members;

    Fleet(List<RunnerLoad> runners) {
      int n = runners.size();
      names = new ArrayList<>(n);
      workers = new int[n];
      pinned = new double[n];
      load = new double[n];
      checks = new ArrayList<>();
      byDigest = new HashMap<>();
      byName = new HashMap<>();
      List<Integer> homes = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        RunnerLoad runner = runners.get(r);
        names.add(runner.name());
        byName.put(runner.name(), r);
        workers[r] = runner.workers();
        for (CheckLoad c : runner.checks()) {
          load[r] += c.load();
          if (c.pinned()) {
            pinned[r] += c.load();
          } else if (byDigest.putIfAbsent(c.digest(), checks.size()) == null) {
            checks.add(c);
            homes.add(r);
          } else {
            throw new IllegalArgumentException("a config is on two runners: " + c.digest());
          }
        }
      }
      home = homes.stream().mapToInt(Integer::intValue).toArray();
      members = new ArrayList<>(n);
      for (int r = 0; r < n; r++) {
        members.add(new TreeSet<>());
      }
      for (int i = 0; i < home.length; i++) {
        members.get(home[i]).add(i);
      }
    }

    private Fleet(Fleet f, int[] home) {
      names = f.names;
      workers = f.workers;
      pinned = f.pinned;
      checks = f.checks;
      byDigest = f.byDigest;
      byName = f.byName;
      this.home = home.clone();
      load = f.pinned.clone();
      members = new ArrayList<>(names.size());
      for (int r = 0; r < names.size(); r++) {
        members.add(new TreeSet<>());
      }
      for (int i = 0; i < home.length; i++) {
        load[home[i]] += checks.get(i).load();
        members.get(home[i]).add(i);
      }
    }

    Fleet copy() {
      return new Fleet(this, home);
    }

    int index(String digest) {
      return byDigest.get(digest);
    }

    int runnerIndex(String name) {
      return byName.get(name);
    }

    double totalLoad() {
      double sum = 0;
      for (double l : load) {
        sum += l;
      }
      return sum;
    }

    double mean() {
      double w = 0;
      for (int x : workers) {
        w += x;
      }
      return totalLoad() / w;
    }

    double utilization(int r) {
      return load[r] / workers[r];
    }

    double maxUtilization() {
      return utilization(busiest());
    }

    int busiest() {
      int b = 0;
      for (int r = 1; r < load.length; r++) {
        if (utilization(r) > utilization(b)) {
          b = r;
        }
      }
      return b;
    }

    void move(int check, int to) {
      int from = home[check];
      double l = checks.get(check).load();
      load[from] -= l;
      load[to] += l;
      members.get(from).remove(check);
      members.get(to).add(check);
      home[check] = to;
    }

    BalanceFigures figures() {
      List<double[]> lw = new ArrayList<>(load.length);
      for (int r = 0; r < load.length; r++) {
        lw.add(new double[] {load[r], workers[r]});
      }
      return BalanceFigures.of(lw);
    }

    /**
     * While the busiest runner is over {@code limit}: the move, else the swap, that brings the
     * pair's maximum lowest, strictly under the busiest runner's utilization. Ends when that
     * runner is within the limit or nothing lowers it.
     */
    void improve(double limit) {
      int steps = 0;
      int maxSteps = 4 * checks.size() + 16;
      while (steps++ < maxSteps) {
        int s = busiest();
        double top = utilization(s);
        if (top <= limit + EPSILON || !(bestMove(s, top) || bestSwap(s, top))) {
          return;
        }
      }
    }

    private boolean bestMove(int s, double top) {
      double bestMax = top - EPSILON;
      int bestCheck = -1;
      int bestTo = -1;
      for (int i : members.get(s)) {
        double c = checks.get(i).load();
        if (c <= EPSILON) {
          continue;
        }
        double fromAfter = (load[s] - c) / workers[s];
        for (int d = 0; d < load.length; d++) {
          if (d == s) {
            continue;
          }
          double pairMax = Math.max(fromAfter, (load[d] + c) / workers[d]);
          if (pairMax < bestMax - EPSILON) {
            bestMax = pairMax;
            bestCheck = i;
            bestTo = d;
          }
        }
      }
      if (bestCheck < 0) {
        return false;
      }
      move(bestCheck, bestTo);
      return true;
    }

    private boolean bestSwap(int s, double top) {
      List<Integer> partners = new ArrayList<>();
      for (int r = 0; r < load.length; r++) {
        if (r != s) {
          partners.add(r);
        }
      }
      partners.sort(Comparator.<Integer>comparingDouble(this::utilization).thenComparing(r -> r));
      double bestMax = top - EPSILON;
      int bestOut = -1;
      int bestIn = -1;
      for (int d : partners.subList(0, Math.min(SWAP_PARTNERS, partners.size()))) {
        for (int i : members.get(s)) {
          double out = checks.get(i).load();
          for (int j : members.get(d)) {
            double in = checks.get(j).load();
            if (in >= out - EPSILON) {
              continue;
            }
            double pairMax = Math.max((load[s] - out + in) / workers[s], (load[d] + out - in) / workers[d]);
            if (pairMax < bestMax - EPSILON) {
              bestMax = pairMax;
              bestOut = i;
              bestIn = j;
            }
          }
        }
      }
      if (bestOut < 0) {
        return false;
      }
      int d = home[bestIn];
      move(bestOut, d);
      move(bestIn, s);
      return true;
    }

    /**
     * Greedy longest-first: every movable config, heaviest first, on the runner where it ends
     * least utilized; then the greedy runners are matched to the current ones among runners alike
     * (same workers, same pinned load), most shared load first, so that most configs stay.
     */
    Fleet longestFirst() {
      int n = names.size();
      Integer[] order = new Integer[checks.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -checks.get(i).load())
          .thenComparing(i -> checks.get(i).digest()));
      double[] greedyLoad = pinned.clone();
      int[] bin = new int[checks.size()];
      for (int i : order) {
        double c = checks.get(i).load();
        int best = 0;
        for (int r = 1; r < n; r++) {
          if ((greedyLoad[r] + c) / workers[r] < (greedyLoad[best] + c) / workers[best] - EPSILON) {
            best = r;
          }
        }
        bin[i] = best;
        greedyLoad[best] += c;
      }
      int[] relabel = matchToCurrent(bin);
      int[] greedyHome = new int[checks.size()];
      for (int i = 0; i < greedyHome.length; i++) {
        greedyHome[i] = relabel[bin[i]];
      }
      return new Fleet(this, greedyHome);
    }

    /** Greedy runner {@code b} becomes current runner {@code relabel[b]}, alike runners only. */
    private int[] matchToCurrent(int[] bin) {
      int n = names.size();
      Map<String, List<Integer>> alike = new HashMap<>();
      for (int r = 0; r < n; r++) {
        alike.computeIfAbsent(workers[r] + "/" + Double.doubleToLongBits(pinned[r]), k -> new ArrayList<>()).add(r);
      }
      Map<Long, Double> shared = new HashMap<>();
      for (int i = 0; i < bin.length; i++) {
        shared.merge((long) bin[i] * n + home[i], checks.get(i).load(), Double::sum);
      }
      int[] group = new int[n];
      List<List<Integer>> groups = new ArrayList<>(alike.values());
      for (int g = 0; g < groups.size(); g++) {
        for (int r : groups.get(g)) {
          group[r] = g;
        }
      }
      // Pairs that share load, most first; only those can keep a config where it is.
      List<long[]> pairs = new ArrayList<>();
      for (long key : shared.keySet()) {
        int b = (int) (key / n);
        int r = (int) (key % n);
        if (group[b] == group[r]) {
          pairs.add(new long[] {b, r});
        }
      }
      pairs.sort(Comparator.<long[]>comparingDouble(p -> -shared.get(p[0] * n + p[1]))
          .thenComparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
      int[] relabel = new int[n];
      java.util.Arrays.fill(relabel, -1);
      boolean[] runnerTaken = new boolean[n];
      for (long[] p : pairs) {
        int b = (int) p[0];
        int r = (int) p[1];
        if (relabel[b] < 0 && !runnerTaken[r]) {
          relabel[b] = r;
          runnerTaken[r] = true;
        }
      }
      for (List<Integer> g : groups) {
        int next = 0;
        for (int b : g) {
          if (relabel[b] < 0) {
            while (runnerTaken[g.get(next)]) {
              next++;
            }
            relabel[b] = g.get(next);
            runnerTaken[g.get(next)] = true;
          }
        }
      }
      return relabel;
    }
  }
}
