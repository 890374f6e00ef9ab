package io.clusterchecks.core.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * One on-demand rebalance lands the fleet inside the band when the config sizes allow it: at
 * most the band, or what greedy longest-first placement (LPT) reaches when even that cannot, or
 * the answer says the move budget stopped it.
 */
class ConvergenceTest {
  private static final double BAND = 1.04;
  /** The dispatcher's defaults: target 1.02, trigger 1.04, fill below 0.95. */
  private final MinMoveBalancer balancer = new MinMoveBalancer(1.02, 1.04, 0.95);

  /** Random uneven fleets: a few heavy checks among light ones, everything on some of the runners. */
  static List<RunnerLoad> unevenFleet(long seed, int runnerCount, int configCount, int heavyCount) {
    Random random = new Random(seed);
    int crowded = 1 + random.nextInt(runnerCount);
    List<List<CheckLoad>> checks = new ArrayList<>();
    for (int r = 0; r < runnerCount; r++) {
      checks.add(new ArrayList<>());
    }
    for (int i = 0; i < configCount; i++) {
      double load = i < heavyCount ? 0.3 + 0.7 * random.nextDouble() : 0.01 + 0.1 * random.nextDouble();
      boolean pinned = random.nextInt(20) == 0;
      checks.get(random.nextInt(crowded)).add(new CheckLoad(String.format("d%03d", i), "check" + i, load, pinned));
    }
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < runnerCount; r++) {
      runners.add(new RunnerLoad("r" + r, 1 + random.nextInt(4), checks.get(r)));
    }
    return runners;
  }

  /** Greedy longest-first from scratch (pinned load stays), the figure to beat: max over mean. */
  static double longestFirst(List<RunnerLoad> runners) {
    double[] load = new double[runners.size()];
    double total = 0;
    double workers = 0;
    List<CheckLoad> movable = new ArrayList<>();
    for (int r = 0; r < runners.size(); r++) {
      workers += runners.get(r).workers();
      for (CheckLoad c : runners.get(r).checks()) {
        total += c.load();
        if (c.pinned()) {
          load[r] += c.load();
        } else {
          movable.add(c);
        }
      }
    }
    movable.sort(Comparator.comparingDouble(CheckLoad::load).reversed().thenComparing(CheckLoad::digest));
    for (CheckLoad c : movable) {
      int best = 0;
      for (int r = 1; r < load.length; r++) {
        if ((load[r] + c.load()) / runners.get(r).workers()
            < (load[best] + c.load()) / runners.get(best).workers() - 1e-9) {
          best = r;
        }
      }
      load[best] += c.load();
    }
    double max = 0;
    for (int r = 0; r < load.length; r++) {
      max = Math.max(max, load[r] / runners.get(r).workers());
    }
    return total <= 0 ? 1 : max / (total / workers);
  }

  /** Max over mean after the plan, computed from the moves themselves. */
  private static double maxOverMeanAfter(List<RunnerLoad> runners, Plan plan) {
    Map<String, List<CheckLoad>> after = MinMoveBalancerTest.apply(runners, plan);
    List<double[]> lw = new ArrayList<>();
    for (RunnerLoad r : runners) {
      lw.add(new double[] {after.get(r.name()).stream().mapToDouble(CheckLoad::load).sum(), r.workers()});
    }
    return BalanceFigures.of(lw).maxOverMean();
  }

  @Property(tries = 300)
  void oneCallLandsInsideTheBandOrAtLeastWhereLongestFirstDoesOrSaysTheBudgetStoppedIt(
      @ForAll @IntRange(min = 2, max = 8) int runnerCount,
      @ForAll @IntRange(min = 1, max = 60) int configCount,
      @ForAll @IntRange(min = 0, max = 10) int heavyCount,
      @ForAll @IntRange(min = 0, max = 40) int budget,
      @ForAll long seed) {
    List<RunnerLoad> runners = unevenFleet(seed, runnerCount, configCount, heavyCount);
    Convergence.Result result = Convergence.plan(balancer, runners, BAND, budget);
    Plan plan = result.plan();
    assertThat(Convergence.plan(balancer, runners, BAND, budget)).as("deterministic").isEqualTo(result);
    assertThat(plan.moves().size()).isLessThanOrEqualTo(budget);
    Set<String> moved = new HashSet<>();
    Set<String> pinned = new HashSet<>();
    runners.forEach(r -> r.checks().stream().filter(CheckLoad::pinned).forEach(c -> pinned.add(c.digest())));
    for (Move m : plan.moves()) {
      assertThat(moved.add(m.digest())).as("each config moves once at most").isTrue();
      assertThat(pinned).doesNotContain(m.digest());
      assertThat(m.from()).isNotEqualTo(m.to());
    }
    double after = maxOverMeanAfter(runners, plan);
    assertThat(after).isCloseTo(plan.after().maxOverMean(), org.assertj.core.data.Offset.offset(1e-9));
    if (result.budgetStopped()) {
      assertThat(plan.moves()).hasSize(budget);
    } else {
      assertThat(after).as("max/mean after one call")
          .isLessThanOrEqualTo(Math.max(1.05, longestFirst(runners)) + 1e-9);
    }
  }

  /**
   * Four runners, forty configs, eight of them heavy (0.3 to 1 check worker), all on two runners
   * (fleet seed 419 of {@link #unevenFleet}). One periodic rebalance (as {@link WorthIt} cuts it)
   * leaves the busiest runner at 1.12 times the mean: single moves to the least-utilized runner
   * get stuck. One on-demand call lands within the band with a few more moves.
   */
  @Test
  void fourRunnersFortyConfigsEightHeavyOneCallLandsWithinTheBand() {
    List<RunnerLoad> runners = unevenFleet(419, 4, 40, 8);
    Plan periodic = WorthIt.judge(balancer.plan(runners, 100), 1.04, 0.95, 10, false).applied();
    assertThat(maxOverMeanAfter(runners, periodic)).as("the periodic plan").isGreaterThan(1.1);

    Convergence.Result result = Convergence.plan(balancer, runners, BAND, 100);
    assertThat(result.budgetStopped()).isFalse();
    assertThat(maxOverMeanAfter(runners, result.plan())).isLessThanOrEqualTo(BAND);
    assertThat(result.plan().moves().size()).as("a few more moves than the periodic plan, not a reshuffle")
        .isLessThanOrEqualTo(periodic.moves().size() + 4);
    assertThat(result.reachable()).isCloseTo(result.plan().after().maxOverMean(), org.assertj.core.data.Offset.offset(1e-9));

    // With a budget of three moves, the answer says it stopped short.
    Convergence.Result cut = Convergence.plan(balancer, runners, BAND, 3);
    assertThat(cut.plan().moves()).hasSize(3);
    assertThat(cut.budgetStopped()).isTrue();
    assertThat(cut.movesNeeded()).isEqualTo(result.plan().moves().size());
  }

  @Test
  void aFleetInsideTheBandMovesNothingAndOneRunnerIsNothingToBalance() {
    List<RunnerLoad> even = List.of(
        new RunnerLoad("a", 2, List.of(new CheckLoad("x", "x", 0.5, false), new CheckLoad("y", "y", 0.5, false))),
        new RunnerLoad("b", 2, List.of(new CheckLoad("z", "z", 1.0, false))));
    assertThat(Convergence.plan(balancer, even, BAND, 10).plan().isEmpty()).isTrue();
    assertThat(Convergence.plan(balancer, even.subList(0, 1), BAND, 10).plan().isEmpty()).isTrue();
  }
}
