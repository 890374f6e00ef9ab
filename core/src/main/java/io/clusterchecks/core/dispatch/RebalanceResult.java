package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.balance.BalanceFigures;
import io.clusterchecks.core.balance.Move;
import java.util.List;

/**
 * What a rebalance decided.
 *
 * @param refusal why no plan was made at all, or {@link Refusal#NONE}
 * @param applied the moves were made (false for a dry run, a refusal, or a plan not worth it)
 * @param dryRun only proposed
 * @param reason why nothing was applied, or "" when it was
 * @param moves the proposed moves, in the order chosen
 * @param before utilization figures before
 * @param after utilization figures the moves lead to
 * @param movesNeeded on demand: the moves that landing inside the band takes; more than
 *     {@code moves} when the move budget stopped the rebalance short (0 for a periodic one)
 */
public record RebalanceResult(Refusal refusal, boolean applied, boolean dryRun, String reason, List<Move> moves,
    BalanceFigures before, BalanceFigures after, int movesNeeded) {
  public RebalanceResult {
    moves = List.copyOf(moves);
  }

  /** The move budget ({@code cluster_checks.rebalance_max_moves}) stopped it before the band. */
  public boolean budgetStopped() {
    return movesNeeded > moves.size();
  }

  /** Why a rebalance could not even be planned. */
  public enum Refusal {
    NONE,
    /** Node agents are in the pool, or advanced dispatching is off (the reference's 500). */
    ADVANCED_DISPATCHING_OFF,
    /** This replica does not lead, or is still warming up. */
    NOT_DISPATCHING
  }

  static RebalanceResult refused(Refusal refusal, String reason) {
    BalanceFigures none = new BalanceFigures(0, 0, 0, 0);
    return new RebalanceResult(refusal, false, false, reason, List.of(), none, none, 0);
  }
}
