package io.clusterchecks.core.balance;

import java.util.List;

/**
 * A rebalance proposal: the moves, in the order they were chosen, and the figures before and
 * after them.
 *
 * @param steps one per move: what the move belongs to and the figures after it
 */
public record Plan(List<Move> moves, BalanceFigures before, BalanceFigures after, List<Step> steps) {
  /**
   * @param after the figures after this move and every move before it
   * @param corrected the runner whose correction the move belongs to (the over-utilized sender,
   *     or the under-utilized receiver being filled)
   * @param urgent that correction is worth making whatever the spread (a busy runner relieved, an
   *     empty one filled; see {@link WorthIt})
   */
  public record Step(BalanceFigures after, String corrected, boolean urgent) {}

  public Plan {
    moves = List.copyOf(moves);
    steps = List.copyOf(steps);
    if (steps.size() != moves.size()) {
      throw new IllegalArgumentException("one step per move");
    }
  }

  /** A plan that moves nothing. */
  public static Plan none(BalanceFigures now) {
    return new Plan(List.of(), now, now, List.of());
  }

  public boolean isEmpty() {
    return moves.isEmpty();
  }

  /** For each move, the runner whose correction it belongs to. */
  public List<String> corrected() {
    return steps.stream().map(Step::corrected).toList();
  }

  /** The first {@code count} moves, as a plan of their own. */
  public Plan prefix(int count) {
    if (count >= moves.size()) {
      return this;
    }
    if (count <= 0) {
      return none(before);
    }
    return new Plan(moves.subList(0, count), before, steps.get(count - 1).after(), steps.subList(0, count));
  }

  /** The spread after the first {@code count} moves. */
  double stdDevAfter(int count) {
    return count == 0 ? before.stdDev() : steps.get(count - 1).after().stdDev();
  }
}
