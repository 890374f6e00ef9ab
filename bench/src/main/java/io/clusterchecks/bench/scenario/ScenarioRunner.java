package io.clusterchecks.bench.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one strategy through one scenario on a virtual clock.
 *
 * <p>Timeline: at 0 the runners register and the configs are dispatched one by one (no stats yet);
 * a rebalance (after a stats collection) runs every period; after {@code warmupPeriods} periods
 * the steady state is read; the event happens one step (60 s) later; the fleet is then observed
 * for {@code windowPeriods} periods after the event's last step. Balance is sampled after every
 * step and every rebalance. A dead runner is counted as expired at once (the reference's 30 s
 * expiry is the same for every strategy, so it is left out).
 */
public final class ScenarioRunner {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Params p;
  private final Scenario scenario;
  private final Strategy s;
  private final World w;
  private long cpuRebalance;
  private int rebalances;
  private long cpuMembership;
  private int memberships;
  private long eventMoves;

  public ScenarioRunner(Params p, Scenario scenario, Strategy s) {
    this.p = p;
    this.scenario = scenario;
    this.s = s;
    this.w = new World(p);
  }

  public World world() {
    return w;
  }

  public static String runnerName(int i) {
    return String.format("runner-%04d", i);
  }

  public Result run() {
    List<SimRunner> initial = new ArrayList<>();
    for (int i = 0; i < p.runners(); i++) {
      initial.add(w.addRunner(runnerName(i)));
    }
    s.membership(w, initial, List.of(), new int[0]);
    int[] born = new int[p.configs()];
    for (int i = 0; i < born.length; i++) {
      born[i] = w.birth();
    }
    s.placeAll(w, born);
    int period = p.periodSeconds();
    for (int k = 1; k <= p.warmupPeriods(); k++) {
      w.now = (long) k * period;
      tick();
    }
    double[] steady = w.balance();
    long t0 = (long) p.warmupPeriods() * period + Params.STEP_SECONDS;
    w.now = t0;
    long movesBefore = w.moves;
    int configsAtEvent = w.born;
    long minimum;
    long wholeMinimum = -1;
    long eventEnd = t0;
    List<long[]> steps = new ArrayList<>(); // rolling restart: {time, first index, count}
    List<SimRunner> originals = new ArrayList<>(w.alive);
    switch (scenario) {
      case STEADY -> minimum = 0;
      case JOIN -> {
        SimRunner r = w.addRunner("runner-new-0");
        minimum = joinBound(w, r, false);
        wholeMinimum = joinBound(w, r, true);
        membership(List.of(r), List.of(), new int[0]);
      }
      case DIE -> {
        SimRunner r = w.alive.get(0);
        minimum = r.size;
        int[] orphans = w.kill(r);
        membership(List.of(), List.of(r), orphans);
      }
      case DRIFT -> {
        drift(w, new SplittableRandom(p.seed() ^ 0xD41F7L));
        minimum = overloadBound(w, 1.05);
      }
      case BURST -> {
        minimum = -1;
        long before = w.moves;
        int[] extra = new int[p.configs() / 10];
        for (int i = 0; i < extra.length; i++) {
          extra[i] = w.birth();
        }
        s.placeAll(w, extra);
        eventMoves += w.moves - before;
      }
      case ROLLING_RESTART -> {
        minimum = configsAtEvent;
        int batch = Math.max(1, p.runners() / 100);
        for (int i = 0, j = 0; i < originals.size(); i += batch, j++) {
          steps.add(new long[] {t0 + (long) j * Params.STEP_SECONDS, i, Math.min(batch, originals.size() - i)});
        }
        eventEnd = steps.get(steps.size() - 1)[0];
      }
      default -> throw new IllegalStateException();
    }
    List<double[]> samples = new ArrayList<>(); // {time, max/mean, min/mean, moves since the event}
    long end = eventEnd + (long) p.windowPeriods() * period;
    int nextStep = 0;
    for (long t = t0; t <= end; t += Params.STEP_SECONDS) {
      w.now = t;
      boolean acted = t == t0;
      while (nextStep < steps.size() && steps.get(nextStep)[0] == t) {
        long[] st = steps.get(nextStep++);
        restart(originals, (int) st[1], (int) st[2]);
        acted = true;
      }
      if (t % period == 0) {
        tick();
        acted = true;
      }
      if (acted) {
        double[] b = w.balance();
        samples.add(new double[] {t, b[0], b[1], w.moves - movesBefore});
      }
    }
    double[] last = w.balance();
    double peak = 0;
    for (double[] smp : samples) {
      peak = Math.max(peak, smp[1]);
    }
    int balancedAt = balancedSample(samples, eventEnd, steady);
    long balancedAfter = balancedAt < 0 ? -1 : Math.max(0, (long) samples.get(balancedAt)[0] - eventEnd);
    long movedUntilBalanced = balancedAt < 0 ? -1 : (long) samples.get(balancedAt)[3];
    long cpu;
    String what;
    if (s.rebalances()) {
      cpu = rebalances == 0 ? -1 : cpuRebalance / rebalances;
      what = "rebalance";
    } else if (s instanceof Strategies.OtelConsistentHashing) {
      cpu = memberships == 0 ? -1 : cpuMembership / memberships;
      what = "ring rebuild";
    } else {
      cpu = -1;
      what = "none";
    }
    return new Result(scenario, s.name(), steady[0], steady[1], peak, last[0], last[1], eventMoves,
        w.moves - movesBefore, movedUntilBalanced, minimum, wholeMinimum, configsAtEvent, balancedAfter, cpu, what);
  }

  private void restart(List<SimRunner> originals, int from, int count) {
    List<SimRunner> joined = new ArrayList<>();
    List<SimRunner> left = new ArrayList<>();
    List<int[]> orphanParts = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      SimRunner old = originals.get(i);
      joined.add(w.addRunner(old.name + "-b"));
      left.add(old);
      orphanParts.add(w.kill(old));
    }
    int[] orphans = orphanParts.stream().flatMapToInt(Arrays::stream).toArray();
    membership(joined, left, orphans);
  }

  private void membership(List<SimRunner> joined, List<SimRunner> left, int[] orphans) {
    long before = w.moves;
    long c0 = THREADS.getCurrentThreadCpuTime();
    s.membership(w, joined, left, orphans);
    cpuMembership += THREADS.getCurrentThreadCpuTime() - c0;
    memberships++;
    eventMoves += w.moves - before;
  }

  private void tick() {
    w.refreshStats();
    if (s.rebalances()) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      s.rebalance(w);
      cpuRebalance += THREADS.getCurrentThreadCpuTime() - c0;
      rebalances++;
    }
  }

  /**
   * The sample from which the fleet is balanced and stays so until the end, -1 if it never is.
   * Balanced: max/mean at most max(1.05, steady + 0.01) and min/mean at least min(0.90, steady -
   * 0.01), i.e. within +5% / -10% of the mean, or back to the strategy's own steady state.
   */
  static int balancedSample(List<double[]> samples, long eventEnd, double[] steady) {
    double maxOk = Math.max(1.05, steady[0] + 0.01);
    double minOk = Math.min(0.90, steady[1] - 0.01);
    long lastBad = Long.MIN_VALUE;
    int firstAfterEvent = -1;
    for (int i = 0; i < samples.size(); i++) {
      double[] smp = samples.get(i);
      if (smp[0] >= eventEnd && firstAfterEvent < 0) {
        firstAfterEvent = i;
      }
      if (smp[0] >= eventEnd && (smp[1] > maxOk || smp[2] < minOk)) {
        lastBad = (long) smp[0];
      }
    }
    if (lastBad == Long.MIN_VALUE) {
      return firstAfterEvent;
    }
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i)[0] > lastBad) {
        return i;
      }
    }
    return -1;
  }


  /**
   * A lower bound on the moves that balance a joining runner: bring it to at least 0.95 × mean
   * (the mirror of the 1.05 target) while no sender drops below 0.95 × mean. Each sender can give
   * at most its surplus over that floor; relaxing "a subset of its configs" to "its heaviest
   * configs, capped at the surplus" only overestimates what each move can carry, so the greedy
   * count below (largest marginal gain first, optimal for the relaxation) never exceeds the true
   * minimum.
   *
   * <p>With {@code wholeConfigs}, a sender's configs larger than its surplus are left out: moved
   * whole, they would take it under the floor. That bounds the plans in which every move carries
   * one whole config straight to the new runner (what the fill does); the other bound also covers
   * chains (a sender giving more than its surplus and topped up from a third runner) and is the
   * one the targets are stated against. -1 when no such plan reaches the floor.
   */
  static long joinBound(World w, SimRunner fresh, boolean wholeConfigs) {
    double floor = 0.95 * w.meanUtilization();
    double need = floor * fresh.workers - fresh.load;
    if (need <= 0) {
      return 0;
    }
    java.util.PriorityQueue<double[]> gains = new java.util.PriorityQueue<>((a, b) -> Double.compare(b[0], a[0]));
    List<double[]> items = new ArrayList<>();
    List<double[]> caps = new ArrayList<>();
    for (SimRunner r : w.alive) {
      if (r == fresh) {
        continue;
      }
      double cap = r.load - floor * r.workers;
      if (cap <= 1e-12) {
        continue;
      }
      double[] loads = new double[r.size];
      for (int i = 0; i < r.size; i++) {
        loads[i] = w.load[r.configs[i]];
      }
      Arrays.sort(loads);
      if (wholeConfigs) {
        int fitting = 0;
        while (fitting < loads.length && loads[fitting] <= cap) {
          fitting++;
        }
        loads = Arrays.copyOf(loads, fitting);
      }
      int idx = items.size();
      items.add(loads);
      caps.add(new double[] {cap, 0, 0}); // cap, items taken, transferred so far
      if (loads.length > 0) {
        gains.add(new double[] {Math.min(cap, loads[loads.length - 1]), idx});
      }
    }
    double got = 0;
    long k = 0;
    while (got < need - 1e-12 && !gains.isEmpty()) {
      double[] g = gains.poll();
      int idx = (int) g[1];
      double[] c = caps.get(idx);
      double[] loads = items.get(idx);
      got += g[0];
      k++;
      c[1]++;
      c[2] += g[0];
      int next = loads.length - 1 - (int) c[1];
      if (next >= 0 && c[2] < c[0] - 1e-12) {
        gains.add(new double[] {Math.min(c[0], c[2] + loads[next]) - c[2], idx});
      }
    }
    return got < need - 1e-12 && wholeConfigs ? -1 : k;
  }

  /** Sum over runners above target × mean of the fewest configs (heaviest first) to shed. */
  static long overloadBound(World w, double target) {
    double limit = target * w.meanUtilization();
    long total = 0;
    for (SimRunner r : w.alive) {
      double excess = r.load - limit * r.workers;
      if (excess <= 1e-12) {
        continue;
      }
      double[] loads = new double[r.size];
      for (int i = 0; i < r.size; i++) {
        loads[i] = w.load[r.configs[i]];
      }
      Arrays.sort(loads);
      double shed = 0;
      for (int i = loads.length - 1; i >= 0 && shed < excess; i--) {
        shed += loads[i];
        total++;
      }
    }
    return total;
  }

  /** 20% of check names change cost by a log-normal factor (σ = 1); loads stay capped at 1. */
  static void drift(World w, SplittableRandom rng) {
    int types = w.checkTypes();
    double[] factor = new double[types];
    Arrays.fill(factor, 1);
    int drifting = Math.max(1, types / 5);
    int[] perm = new int[types];
    for (int i = 0; i < types; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < drifting; i++) {
      int j = i + rng.nextInt(types - i);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
      factor[perm[i]] = Math.exp(World.gaussian(rng));
    }
    for (int c = 0; c < w.born; c++) {
      if (factor[w.type[c]] != 1) {
        w.setLoad(c, Math.min(1.0, w.load[c] * factor[w.type[c]]));
      }
    }
  }
}
