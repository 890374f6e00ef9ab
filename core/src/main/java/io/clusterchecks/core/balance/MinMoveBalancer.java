package io.clusterchecks.core.balance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Our rebalancing: bring every runner's utilization down to at most {@code target} times the mean,
 * moving as few configs as possible.
 *
 * <p>Why this shape. The reference's utilization rebalance recomputes a whole placement from
 * scratch and then moves every config whose runner differs, which is where its churn comes from;
 * its busyness rebalance only ever tries the heaviest check of each node. Here the current
 * placement is the starting point and each step is the single move that helps most:
 * <ol>
 *   <li>take the busiest runner; if it is within the target and the least-utilized runner is
 *       within the mirror band below the mean ({@code 2 - target}), stop;
 *   <li>the receiver is the least-utilized runner;
 *   <li>move the config closest in size to the busiest runner's excess over the target that the
 *       receiver has room for (large moves first is what keeps the count low: a runner over by 3
 *       workers sheds one 3-worker config, not thirty 0.1-worker ones);
 *   <li>if nothing fits, move the smallest config whose move still lowers the larger of the two
 *       utilizations and makes the spread tighter (lowers the sum over runners of load squared
 *       over workers); if none does, that runner cannot improve and is skipped.
 * </ol>
 * Every move strictly lowers that sum (a fitting move does too: the receiver stays under the
 * limit and the sender above it), so the loop ends; a move budget bounds it further, so a new or recovered runner is filled over several periods instead of in one storm.
 * Pinned configs never move but their load counts. Runners and configs are ordered with name and
 * digest as tie breakers, so the same input always gives the same plan. Cost: O(m log n) for m
 * moves over n runners, after O(u log u) to index u configs.
 */
public final class MinMoveBalancer {
  private static final double EPSILON = 1e-9;
  /** Utilization (absolute) from which an over-utilized runner is relieved whatever the spread. */
  public static final double BUSY = 0.8;
  private static final Comparator<CheckLoad> BY_LOAD =
      Comparator.comparingDouble(CheckLoad::load).thenComparing(CheckLoad::digest);

  private final double target;
  private final double trigger;
  private final double fillBelow;

  /** @param target the largest acceptable max-over-mean utilization, at least 1 (e.g. 1.05) */
  public MinMoveBalancer(double target) {
    this(target, target);
  }

  /**
   * With hysteresis: only runners outside {@code [2 - trigger, trigger]} times the mean are
   * corrected, and those are brought to {@code [2 - target, target]}. Runners inside the trigger
   * band are left alone (they only send or receive when a corrected runner needs them), so noisy
   * measurements do not make every runner wobble around the edge of one threshold.
   *
   * @param target where a corrected runner is brought, at least 1 (e.g. 1.025)
   * @param trigger what makes a runner need correcting, at least {@code target} (e.g. 1.05)
   */
  public MinMoveBalancer(double target, double trigger) {
    this(target, trigger, 2 - trigger);
  }

  /**
   * With a band below the mean of its own: a runner is filled only once it is under
   * {@code fillBelow} times the mean, and runners that fill it may give down to that level. A
   * runner over the band runs its checks late; one under it only idles, so the band can be
   * wider below the mean than above it, which costs fewer moves (a runner that joins is filled
   * from fuller senders) and less churn (fewer noisy runners dip under it).
   *
   * @param fillBelow at most {@code 2 - target}, at least 0 (e.g. 0.95)
   */
  public MinMoveBalancer(double target, double trigger, double fillBelow) {
    if (!(target >= 1.0) || !(trigger >= target)) {
      throw new IllegalArgumentException("need 1 <= target <= trigger: " + target + ", " + trigger);
    }
    if (!(fillBelow >= 0) || fillBelow > 2 - target + EPSILON) {
      throw new IllegalArgumentException("need 0 <= fillBelow <= 2 - target: " + fillBelow + ", " + target);
    }
    this.target = target;
    this.trigger = trigger;
    this.fillBelow = fillBelow;
  }

  public double target() {
    return target;
  }

  public double trigger() {
    return trigger;
  }

  public double fillBelow() {
    return fillBelow;
  }

  /** Proposes at most {@code moveBudget} moves; the runners given are not modified. */
  public Plan plan(List<RunnerLoad> runners, int moveBudget) {
    List<State> states = new ArrayList<>(runners.size());
    double totalLoad = 0;
    double totalWorkers = 0;
    for (RunnerLoad r : runners) {
      State s = new State(r);
      states.add(s);
      totalLoad += s.load;
      totalWorkers += s.workers;
    }
    BalanceFigures before = figures(states);
    List<Move> moves = new ArrayList<>();
    List<Plan.Step> steps = new ArrayList<>();
    if (states.size() < 2 || totalLoad <= 0) {
      return new Plan(moves, before, before, steps);
    }
    double mean = totalLoad / totalWorkers;
    double limit = target * mean;
    double triggerLimit = trigger * mean;
    // The band is symmetric: a runner far below the mean (one that just joined) is filled too,
    // otherwise a new runner among n lowers the mean by only 1/(n+1) and is never given anything.
    double floor = Math.max(0, (2 - target) * mean);
    double triggerFloor = Math.max(0, fillBelow * mean);
    Set<State> correcting = new HashSet<>();
    Set<State> urgent = new HashSet<>();
    State previous = null;
    TreeSet<State> byUtilization = new TreeSet<>(
        Comparator.comparingDouble(State::utilization).thenComparing(s -> s.name));
    byUtilization.addAll(states);
    Set<State> stuck = new HashSet<>();
    int maxWorkers = maxWorkers(states);
    Spread spread = new Spread(states);
    while (moves.size() < moveBudget) {
      State src = busiestNotStuck(byUtilization, stuck);
      State dst = byUtilization.first();
      if (src == null || dst == src) {
        break;
      }
      double overBy = src.utilization() - (correcting.contains(src) ? limit : triggerLimit);
      double underBy = (correcting.contains(dst) ? floor : triggerFloor) - dst.utilization();
      boolean over = overBy > EPSILON;
      boolean under = underBy > EPSILON;
      if (!over && !under) {
        break;
      }
      // The runner furthest outside its band first, so each correction is one run of moves and
      // the worth-it test (WorthIt) can keep the big ones and drop a tail of small ones.
      CheckLoad pick = null;
      State corrects = null;
      if (under && (!over || underBy > overBy)) {
        Fill fill = chooseFill(byUtilization, dst, mean, triggerFloor, maxWorkers);
        if (fill != null) {
          pick = fill.check;
          src = fill.from;
          corrects = dst;
        } else if (!over) {
          break; // no runner can give the receiver anything without dropping below the floor
        }
      }
      if (pick == null) {
        pick = choose(src, dst, limit);
        corrects = src;
        if (pick == null) {
          stuck.add(src);
          continue;
        }
      }
      if (correcting.add(corrects) && isUrgent(corrects, corrects == src)) {
        urgent.add(corrects);
      }
      if (previous != null && previous != corrects) {
        urgent.remove(previous); // urgent for its first run of moves only
      }
      previous = corrects;
      spread.remove(src);
      spread.remove(dst);
      byUtilization.remove(src);
      byUtilization.remove(dst);
      src.movable.remove(pick);
      src.load -= pick.load();
      dst.movable.add(pick);
      dst.load += pick.load();
      byUtilization.add(src);
      byUtilization.add(dst);
      spread.add(src);
      spread.add(dst);
      moves.add(new Move(pick.digest(), pick.checkName(), src.name, dst.name, pick.load()));
      steps.add(new Plan.Step(new BalanceFigures(byUtilization.first().utilization(), byUtilization.last().utilization(),
          mean, spread.stdDev()), corrects.name, urgent.contains(corrects)));
      // The receiver changed, so a runner that was stuck may be able to move now.
      stuck.clear();
    }
    return new Plan(moves, before, figures(states), steps);
  }

  /**
   * A correction that is worth making even when the fleet's spread hardly changes (the
   * reference's rule for a quiet fleet: fewer runners above 0.8 utilization, or fewer empty
   * runners): a busy runner over the trigger is close to running its checks late, and an empty
   * runner is capacity paid for and unused. In a fleet of thousands of runners neither moves the
   * spread by the 10 % the worth-it test asks.
   */
  private static boolean isUrgent(State runner, boolean over) {
    return over ? runner.utilization() >= BUSY : runner.load <= EPSILON;
  }

  /** Running sums of utilization, so the spread after every move costs O(1). */
  private static final class Spread {
    private final int n;
    private double sum;
    private double sumSq;

    Spread(List<State> states) {
      n = states.size();
      states.forEach(this::add);
    }

    void add(State s) {
      double u = s.utilization();
      sum += u;
      sumSq += u * u;
    }

    void remove(State s) {
      double u = s.utilization();
      sum -= u;
      sumSq -= u * u;
    }

    double stdDev() {
      double m = sum / n;
      return Math.sqrt(Math.max(0, sumSq / n - m * m));
    }
  }

  private static State busiestNotStuck(TreeSet<State> byUtilization, Set<State> stuck) {
    for (State s : byUtilization.descendingSet()) {
      if (!stuck.contains(s)) {
        return s;
      }
    }
    return null;
  }

  private static CheckLoad choose(State src, State dst, double limit) {
    double excess = src.load - limit * src.workers;
    double room = limit * dst.workers - dst.load;
    if (room > EPSILON) {
      // The config closest to the excess that the receiver has room for: just under it, or just
      // over it (the sender then ends a little under the limit, which costs nothing).
      CheckLoad under = src.movable.floor(probe(Math.min(excess, room)));
      CheckLoad over = src.movable.ceiling(probe(excess));
      if (over != null && over.load() > room) {
        over = null;
      }
      if (under != null && under.load() <= EPSILON) {
        under = null;
      }
      if (over != null && (under == null || over.load() - excess <= excess - under.load())) {
        return over;
      }
      if (under != null) {
        return under;
      }
    }
    // Nothing fits under the limit: the smallest config whose move still tightens the spread.
    for (CheckLoad u : src.movable) {
      if (u.load() <= EPSILON) {
        continue;
      }
      double change = (u.load() - 2 * src.load) / src.workers + (2 * dst.load + u.load()) / dst.workers;
      boolean lowersPairMax = (dst.load + u.load()) / dst.workers < src.utilization() - EPSILON;
      return change < -EPSILON && lowersPairMax ? u : null;
    }
    return null;
  }

  /**
   * Filling an under-used runner when nobody is over the limit: the largest config in the whole
   * fleet that keeps the receiver at or under the mean and its sender at or above the floor, and
   * that tightens the spread (lowers the sum of load squared over workers, so the loop ends).
   * Looking past the busiest runner is what keeps a join cheap: the busiest runner may hold only
   * small configs, and filling from it alone takes twice the moves (scenario benchmark, join).
   * Runners are visited from the busiest down and the walk stops once no runner further down can
   * give more than the best config found.
   */
  private static Fill chooseFill(TreeSet<State> byUtilization, State dst, double mean, double floor, int maxWorkers) {
    double room = mean * dst.workers - dst.load;
    Fill best = null;
    for (State src : byUtilization.descendingSet()) {
      if (src == dst) {
        break;
      }
      double bestLoad = best == null ? EPSILON : best.check.load();
      if ((src.utilization() - floor) * maxWorkers <= bestLoad) {
        break;
      }
      double want = Math.min(src.load - floor * src.workers, room);
      if (want <= bestLoad) {
        continue;
      }
      CheckLoad u = src.movable.floor(probe(want));
      if (u == null || u.load() <= bestLoad) {
        continue;
      }
      double change = (u.load() - 2 * src.load) / src.workers + (2 * dst.load + u.load()) / dst.workers;
      if (change < -EPSILON) {
        best = new Fill(src, u);
      }
    }
    return best;
  }

  private record Fill(State from, CheckLoad check) {}

  private static int maxWorkers(List<State> states) {
    int max = 1;
    for (State s : states) {
      max = Math.max(max, s.workers);
    }
    return max;
  }

  /** A search key: sorts after every real config of the same load (digests are hex). */
  private static CheckLoad probe(double load) {
    return new CheckLoad("\uffff", "", Math.max(0, load), false);
  }

  private static BalanceFigures figures(List<State> states) {
    List<double[]> lw = new ArrayList<>(states.size());
    for (State s : states) {
      lw.add(new double[] {s.load, s.workers});
    }
    return BalanceFigures.of(lw);
  }

  private static final class State {
    final String name;
    final int workers;
    double load;
    final TreeSet<CheckLoad> movable = new TreeSet<>(BY_LOAD);

    State(RunnerLoad r) {
      name = r.name();
      workers = r.workers();
      for (CheckLoad u : r.checks()) {
        load += u.load();
        if (!u.pinned()) {
          movable.add(u);
        }
      }
    }

    double utilization() {
      return load / workers;
    }
  }
}
