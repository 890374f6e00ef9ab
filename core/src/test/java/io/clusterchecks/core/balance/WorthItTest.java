package io.clusterchecks.core.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class WorthItTest {
  private final MinMoveBalancer balancer = new MinMoveBalancer(1.02, 1.04);

  private static RunnerLoad runner(String name, int units, double each) {
    List<CheckLoad> list = new ArrayList<>();
    for (int i = 0; i < units; i++) {
      list.add(new CheckLoad(name + "-" + i, "check", each, false));
    }
    return new RunnerLoad(name, 1, list);
  }

  /**
   * 200 runners spread evenly over 0.97-1.03 (inside the trigger band) and two at 0.95 (below
   * it, but not worth a rebalance in a quiet fleet); then, optionally, a runner joins empty. The
   * plan fills the new runner and then tops up the two; only the first part is worth it, so only
   * it is applied.
   */
  private static List<RunnerLoad> joinWithLowOutliers(boolean withJoiner) {
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < 200; r++) {
      runners.add(runner(String.format("r%03d", r), 97 + r % 7, 0.01));
    }
    runners.add(runner("low00", 95, 0.01));
    runners.add(runner("low01", 95, 0.01));
    if (withJoiner) {
      runners.add(new RunnerLoad("new", 1, List.of()));
    }
    return runners;
  }

  @Test
  void quietFleetWithSmallOutliersIsNotWorthIt() {
    WorthIt.Verdict v = WorthIt.judge(balancer.plan(joinWithLowOutliers(false), 1000), 1.04, 10, false);
    assertThat(v.apply()).isFalse();
    assertThat(v.reason()).startsWith("not worth it: spread ");
  }

  @Test
  void aJoinAppliesTheJoinersCorrectionAndDropsTheSmallOnesThatRodeAlong() {
    Plan plan = balancer.plan(joinWithLowOutliers(true), 1000);
    assertThat(plan.corrected()).contains("new", "low00");
    WorthIt.Verdict v = WorthIt.judge(plan, 1.04, 10, false);
    assertThat(v.apply()).isTrue();
    assertThat(v.applied().moves()).isNotEmpty().allSatisfy(m -> assertThat(m.to()).isEqualTo("new"));
    assertThat(v.dropped()).isPositive();
    assertThat(v.applied().moves().size() + v.dropped()).isEqualTo(plan.moves().size());
    assertThat(v.applied().after().stdDev()).isLessThan(plan.before().stdDev() * 0.9);
  }

  @Test
  void forceAppliesTheWholePlan() {
    Plan plan = balancer.plan(joinWithLowOutliers(true), 1000);
    WorthIt.Verdict v = WorthIt.judge(plan, 1.04, 10, true);
    assertThat(v.apply()).isTrue();
    assertThat(v.applied()).isEqualTo(plan);
    assertThat(v.dropped()).isZero();
  }

  @Test
  void aFleetWithinTheTriggerIsBalancedEnoughAndAnEmptyPlanHasNothingToMove() {
    List<RunnerLoad> runners = List.of(runner("a", 100, 0.01), runner("b", 97, 0.01));
    // A target of 1.0 proposes a move, but nobody is outside the trigger band.
    Plan plan = new MinMoveBalancer(1.0).plan(runners, 10);
    assertThat(plan.isEmpty()).isFalse();
    assertThat(WorthIt.judge(plan, 1.04, 10, false).reason()).startsWith("balanced enough: ");
    assertThat(WorthIt.judge(balancer.plan(runners, 10), 1.04, 10, false).reason()).startsWith("nothing to move");
  }

  /**
   * Whatever the fleet: what is applied is a prefix of the plan made of whole corrections and
   * holding every urgent one; without urgent corrections it is itself worth it, and what it keeps
   * past the corrections that make it so is worth it by itself, with a tail left out that would
   * not have been worth it on its own.
   */
  @Property(tries = 300)
  void theAppliedPartIsAWorthItPrefixOfWholeCorrections(
      @ForAll @IntRange(min = 2, max = 40) int runnerCount,
      @ForAll @IntRange(min = 0, max = 400) int unitCount,
      @ForAll long seed) {
    List<RunnerLoad> runners = RandomFleets.of(seed, runnerCount, unitCount, 0, 1);
    Plan plan = balancer.plan(runners, 10_000);
    WorthIt.Verdict v = WorthIt.judge(plan, 1.04, 10, false);
    boolean anyUrgent = plan.steps().stream().anyMatch(Plan.Step::urgent);
    if (!v.apply()) {
      assertThat(anyUrgent).as("a plan with an urgent correction is applied").isFalse();
      return;
    }
    int k = v.applied().moves().size();
    assertThat(k).isPositive();
    assertThat(plan.moves().subList(0, k)).isEqualTo(v.applied().moves());
    assertThat(v.dropped()).isEqualTo(plan.moves().size() - k);
    assertThat(plan.steps().subList(k, plan.steps().size())).noneMatch(Plan.Step::urgent);
    if (k < plan.moves().size()) {
      assertThat(plan.corrected().get(k)).as("cut between corrections").isNotEqualTo(plan.corrected().get(k - 1));
    }
    if (!anyUrgent) {
      assertThat(v.applied().after().stdDev()).isLessThanOrEqualTo(plan.before().stdDev() * 0.9 + 1e-12);
      // The first whole corrections that make the plan worth it are needed; what is kept past
      // them is worth it by itself, and then the tail left out would not have been worth it.
      int needed = 0;
      while (plan.stdDevAfter(needed) > plan.before().stdDev() * 0.9) {
        needed++;
        while (needed < plan.moves().size() && plan.corrected().get(needed).equals(plan.corrected().get(needed - 1))) {
          needed++;
        }
      }
      assertThat(k).isGreaterThanOrEqualTo(needed);
      if (k > needed) {
        assertThat(plan.stdDevAfter(k)).as("what rides along is worth it by itself")
            .isLessThanOrEqualTo(plan.stdDevAfter(needed) * 0.9 + 1e-12);
        if (k < plan.moves().size()) {
          assertThat(plan.after().stdDev()).as("the tail is not worth it on its own")
              .isGreaterThan(v.applied().after().stdDev() * 0.9);
        }
      }
    }
  }

  /** A plan by hand: one move per entry of {@code who}, with the spread after it. */
  private static Plan handMade(double before, String[] who, double[] spreadAfter, boolean[] urgent) {
    List<Move> moves = new ArrayList<>();
    List<Plan.Step> steps = new ArrayList<>();
    for (int i = 0; i < who.length; i++) {
      moves.add(new Move("d" + i, "check", "from" + i, "to" + i, 0.01));
      steps.add(new Plan.Step(new BalanceFigures(0.5, 1.5, 1.0, spreadAfter[i]), who[i], urgent[i]));
    }
    return new Plan(moves, new BalanceFigures(0.5, 1.5, 1.0, before), steps.get(steps.size() - 1).after(), steps);
  }

  /**
   * The spread hardly changes (0.100 -> 0.097), so the plan would not be worth it; but its second
   * correction relieves a busy runner (urgent): the plan is applied up to the end of that one.
   */
  @Test
  void urgentCorrectionsAreAppliedWhateverTheSpreadWithEverythingBeforeThem() {
    Plan plan = handMade(0.100, new String[] {"a", "busy", "busy", "c"}, new double[] {0.099, 0.098, 0.0975, 0.097},
        new boolean[] {false, true, true, false});
    WorthIt.Verdict v = WorthIt.judge(plan, 1.04, 10, false);
    assertThat(v.apply()).isTrue();
    assertThat(v.applied().moves()).hasSize(3);
    assertThat(v.dropped()).isEqualTo(1);

    Plan calm = handMade(0.100, new String[] {"a", "b", "b", "c"}, new double[] {0.099, 0.098, 0.0975, 0.097},
        new boolean[] {false, false, false, false});
    assertThat(WorthIt.judge(calm, 1.04, 10, false).reason()).startsWith("not worth it");
  }

  /**
   * A runner joins (an urgent correction: 0.100 -> 0.040), and a long tail of small corrections
   * follows that is worth it as a whole (0.040 -> 0.0355, 11 %). The first few of them are not
   * (0.040 -> 0.039, 2.5 %): they do not ride along because the rest of the tail would have been
   * worth it. A big correction heading the tail is worth it by itself and does.
   */
  @Test
  void smallCorrectionsDoNotRideAlongOnTheWorthOfTheLongerTailTheyHead() {
    String[] who = {"new", "new", "a", "b", "c", "d", "e", "f"};
    boolean[] urgent = {true, true, false, false, false, false, false, false};
    Plan small = handMade(0.100, who, new double[] {0.050, 0.040, 0.0395, 0.039, 0.0385, 0.038, 0.037, 0.0355}, urgent);
    WorthIt.Verdict v = WorthIt.judge(small, 1.04, 10, false);
    assertThat(v.apply()).isTrue();
    assertThat(v.applied().moves()).as("the join only").hasSize(2);
    assertThat(v.dropped()).isEqualTo(6);

    Plan big = handMade(0.100, who, new double[] {0.050, 0.040, 0.030, 0.0299, 0.0298, 0.0297, 0.0296, 0.0295}, urgent);
    assertThat(WorthIt.judge(big, 1.04, 10, false).applied().moves()).as("the join and the big correction").hasSize(3);
  }

  /**
   * The balancer marks as urgent the first run of moves that relieves a runner over the trigger at
   * 0.8 of its workers or more, and the first run that fills an empty runner; nothing else.
   */
  @Test
  void theBalancerMarksBusyAndEmptyRunnersCorrectionsUrgent() {
    for (double scale : new double[] {0.8, 0.4}) {
      List<RunnerLoad> runners = fleetOf40(scale);
      runners.add(runner("busy", 112, 0.01 * scale));
      Plan plan = balancer.plan(runners, 1000);
      assertThat(plan.corrected()).as("busy is over the trigger at scale %s", scale).startsWith("busy");
      for (Plan.Step step : plan.steps()) {
        assertThat(step.urgent()).as("%s at scale %s", step.corrected(), scale)
            .isEqualTo(step.corrected().equals("busy") && scale == 0.8);
      }
    }
    List<RunnerLoad> runners = fleetOf40(0.4);
    runners.add(new RunnerLoad("empty", 1, List.of()));
    Plan plan = balancer.plan(runners, 1000);
    assertThat(plan.corrected()).startsWith("empty");
    for (Plan.Step step : plan.steps()) {
      assertThat(step.urgent()).as(step.corrected()).isEqualTo(step.corrected().equals("empty"));
    }
  }

  private static List<RunnerLoad> fleetOf40(double scale) {
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < 40; r++) {
      runners.add(runner(String.format("r%02d", r), 98 + r % 5, 0.01 * scale));
    }
    return runners;
  }
}
