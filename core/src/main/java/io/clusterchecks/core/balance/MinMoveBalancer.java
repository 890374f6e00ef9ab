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
 * Pinned units never move but their load counts. Runners and units are ordered with name and
 * digest as tie breakers, so the same input always gives the same plan. Cost: O(m log n) for m
 * moves over n runners, after O(u log u) to index u units.
 */
public final class MinMoveBalancer {
  private static final double EPSILON = 1e-9;
  private static final Comparator<Unit> BY_LOAD =
      Comparator.comparingDouble(Unit::load).thenComparing(Unit::digest);

  private final double target;
  private final double trigger;

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
    if (!(target >= 1.0) || !(trigger >= target)) {
      throw new IllegalArgumentException("need 1 <= target <= trigger: " + target + ", " + trigger);
    }
    this.target = target;
    this.trigger = trigger;
  }

  public double target() {
    return target;
  }

  /** Proposes at most {@code moveBudget} moves; the runners given are not modified. */
  public Plan plan(List<Runner> runners, int moveBudget) {
    List<State> states = new ArrayList<>(runners.size());
    double totalLoad = 0;
    double totalWorkers = 0;
    for (Runner r : runners) {
      State s = new State(r);
      states.add(s);
      totalLoad += s.load;
      totalWorkers += s.workers;
    }
    Figures before = figures(states);
    List<Move> moves = new ArrayList<>();
    if (states.size() < 2 || totalLoad <= 0) {
      return new Plan(moves, before, before);
    }
    double mean = totalLoad / totalWorkers;
    double limit = target * mean;
    double triggerLimit = trigger * mean;
    // The band is symmetric: a runner far below the mean (one that just joined) is filled too,
    // otherwise a new runner among n lowers the mean by only 1/(n+1) and is never given anything.
    double floor = Math.max(0, (2 - target) * mean);
    double triggerFloor = Math.max(0, (2 - trigger) * mean);
    Set<State> correcting = new HashSet<>();
    TreeSet<State> byUtilization = new TreeSet<>(
        Comparator.comparingDouble(State::utilization).thenComparing(s -> s.name));
    byUtilization.addAll(states);
    Set<State> stuck = new HashSet<>();
    while (moves.size() < moveBudget) {
      State src = busiestNotStuck(byUtilization, stuck);
      State dst = byUtilization.first();
      if (src == null || dst == src) {
        break;
      }
      boolean over = src.utilization() > (correcting.contains(src) ? limit : triggerLimit) + EPSILON;
      boolean under = dst.utilization() < (correcting.contains(dst) ? floor : triggerFloor) - EPSILON;
      if (!over && !under) {
        break;
      }
      correcting.add(over ? src : dst);
      Unit pick = over ? choose(src, dst, limit) : chooseFill(src, dst, mean, triggerFloor);
      if (pick == null) {
        stuck.add(src);
        continue;
      }
      byUtilization.remove(src);
      byUtilization.remove(dst);
      src.movable.remove(pick);
      src.load -= pick.load();
      dst.movable.add(pick);
      dst.load += pick.load();
      byUtilization.add(src);
      byUtilization.add(dst);
      moves.add(new Move(pick.digest(), pick.checkName(), src.name, dst.name, pick.load()));
      // The receiver changed, so a runner that was stuck may be able to move now.
      stuck.clear();
    }
    return new Plan(moves, before, figures(states));
  }

  private static State busiestNotStuck(TreeSet<State> byUtilization, Set<State> stuck) {
    for (State s : byUtilization.descendingSet()) {
      if (!stuck.contains(s)) {
        return s;
      }
    }
    return null;
  }

  private static Unit choose(State src, State dst, double limit) {
    double excess = src.load - limit * src.workers;
    double room = limit * dst.workers - dst.load;
    if (room > EPSILON) {
      // The config closest to the excess that the receiver has room for: just under it, or just
      // over it (the sender then ends a little under the limit, which costs nothing).
      Unit under = src.movable.floor(probe(Math.min(excess, room)));
      Unit over = src.movable.ceiling(probe(excess));
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
    for (Unit u : src.movable) {
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
   * Filling an under-used runner from the busiest one, when nobody is over the limit: the largest
   * config that keeps the receiver at or under the mean and the sender at or above the floor, and
   * that tightens the spread (lowers the sum of load squared over workers, so the loop ends).
   */
  private static Unit chooseFill(State src, State dst, double mean, double floor) {
    double give = src.load - floor * src.workers;
    double room = mean * dst.workers - dst.load;
    double want = Math.min(give, room);
    if (want <= EPSILON) {
      return null;
    }
    Unit u = src.movable.floor(probe(want));
    if (u == null || u.load() <= EPSILON) {
      return null;
    }
    double change = (u.load() - 2 * src.load) / src.workers + (2 * dst.load + u.load()) / dst.workers;
    return change < -EPSILON ? u : null;
  }

  /** A search key: sorts after every real unit of the same load (digests are hex). */
  private static Unit probe(double load) {
    return new Unit("\uffff", "", Math.max(0, load), false);
  }

  private static Figures figures(List<State> states) {
    List<double[]> lw = new ArrayList<>(states.size());
    for (State s : states) {
      lw.add(new double[] {s.load, s.workers});
    }
    return Figures.of(lw);
  }

  private static final class State {
    final String name;
    final int workers;
    double load;
    final TreeSet<Unit> movable = new TreeSet<>(BY_LOAD);

    State(Runner r) {
      name = r.name();
      workers = r.workers();
      for (Unit u : r.units()) {
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
