package io.clusterchecks.core.balance;

import java.util.Objects;

/**
 * Whether a periodic rebalance plan is worth applying, and which part of it.
 *
 * <p>The reference applies a whole plan when it lowers the spread (standard deviation of runner
 * utilization) by {@code rebalance_min_percentage_improvement}. Measurement noise always leaves a
 * few runners just outside the trigger band; that test is what keeps them still in a quiet fleet.
 * But as soon as one big correction makes a plan worth it (a runner joined and sits empty), a
 * whole-plan test lets every one of those small corrections ride along: on a join in a fleet of
 * 500 the benchmark saw 15 such moves next to 12 that filled the new runner.
 *
 * <p>So the plan, whose corrections come furthest-outside-the-band first ({@link MinMoveBalancer}),
 * is cut where the rest is no longer worth it by the same test: a tail of corrections is applied
 * only when it would have been applied on its own. The part kept must itself be worth it (more
 * corrections are kept if needed), and so must the corrections kept past that point (and past
 * the urgent ones): a few small corrections do not ride along only because the longer tail they
 * head would be worth it. Urgent corrections (a busy runner over the trigger, an empty
 * runner: {@link Plan.Step#urgent}) are applied even when the spread alone would not justify the
 * plan, as the reference does for a quiet fleet. A forced rebalance applies the whole plan.
 */
public final class WorthIt {
  private WorthIt() {}

  /**
   * @param applied what to apply (possibly a prefix of the plan; the whole plan when refused)
   * @param reason empty when {@code applied} should be applied, else why not
   * @param dropped moves of the plan left out as not worth it
   */
  public record Verdict(Plan applied, String reason, int dropped) {
    public boolean apply() {
      return reason.isEmpty();
    }
  }

  /**
   * @param trigger runners outside {@code [2 - trigger, trigger]} times the mean need correcting
   * @param minImprovementPercent how much tighter the spread must get, in percent
   */
  public static Verdict judge(Plan plan, double trigger, int minImprovementPercent, boolean force) {
    return judge(plan, trigger, 2 - trigger, minImprovementPercent, force);
  }

  /**
   * @param trigger runners above {@code trigger} times the mean need correcting
   * @param fillBelow runners below {@code fillBelow} times the mean need filling
   * @param minImprovementPercent how much tighter the spread must get, in percent
   */
  public static Verdict judge(Plan plan, double trigger, double fillBelow, int minImprovementPercent,
      boolean force) {
    Objects.requireNonNull(plan, "plan");
    Verdict refused = refusal(plan, trigger, fillBelow, force);
    if (refused != null || force) {
      return refused != null ? refused : new Verdict(plan, "", 0);
    }
    double keep = (100 - minImprovementPercent) / 100.0;
    int m = plan.moves().size();
    double end = plan.stdDevAfter(m);
    int urgentEnd = 0;
    for (int i = m - 1; i >= 0; i--) {
      if (plan.steps().get(i).urgent()) {
        urgentEnd = endOfCorrection(plan, i);
        break;
      }
    }
    boolean spreadWorthIt = end <= plan.before().stdDev() * keep;
    if (!spreadWorthIt && urgentEnd == 0) {
      return new Verdict(plan, String.format("not worth it: spread %.4f -> %.4f, less than %d%% better",
          plan.before().stdDev(), end, minImprovementPercent), 0);
    }
    // What must be applied: the corrections up to the first point where the plan is worth it,
    // and urgent corrections wherever they are, with everything before them (a plan is applied
    // as a prefix: a later move may carry a config an earlier one brought).
    int required = 0;
    while (spreadWorthIt && required < m && plan.stdDevAfter(required) > plan.before().stdDev() * keep) {
      required = endOfCorrection(plan, required);
    }
    required = Math.max(required, urgentEnd);
    // What may ride along: further corrections while the rest of the plan is still worth it; but
    // only when the corrections kept that way are worth it by themselves. Otherwise the rest of a
    // long tail of small corrections (noise at the edge of the trigger band, or runners pushed
    // over it by the mean a joining runner lowers) would carry its first few along, which on
    // their own are not worth their moves (scenario benchmark, join, seed 5: 3 such moves next
    // to the 13 that filled the new runner, improving the spread by 2.7 %).
    int k = required;
    while (spreadWorthIt && k < m && end <= plan.stdDevAfter(k) * keep) {
      k = endOfCorrection(plan, k);
    }
    if (plan.stdDevAfter(k) > plan.stdDevAfter(required) * keep) {
      k = required;
    }
    Plan applied = plan.prefix(k);
    return new Verdict(applied, "", m - k);
  }

  /**
   * Why a plan is not applied whatever it holds: it moves nothing, or (not forced) every runner
   * is already inside the trigger band. Null when neither.
   */
  static Verdict refusal(Plan plan, double trigger, double fillBelow, boolean force) {
    if (plan.isEmpty()) {
      return new Verdict(plan, "nothing to move: every runner is within the target band of the mean utilization, "
          + "or no movable config would help", 0);
    }
    if (!force && !plan.before().outside(trigger, fillBelow)) {
      return new Verdict(plan, String.format(
          "balanced enough: runners between %.3f and %.3f of the mean, trigger band %.3f to %.3f",
          plan.before().minOverMean(), plan.before().maxOverMean(), fillBelow, trigger), 0);
    }
    return null;
  }

  /** The index after the run of moves that correct the same runner as move {@code k}. */
  private static int endOfCorrection(Plan plan, int k) {
    String who = plan.steps().get(k).corrected();
    int i = k + 1;
    while (i < plan.moves().size() && plan.steps().get(i).corrected().equals(who)) {
      i++;
    }
    return i;
  }
}
