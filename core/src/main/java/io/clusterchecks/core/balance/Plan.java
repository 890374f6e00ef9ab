package io.clusterchecks.core.balance;

import java.util.List;

/**
 * A rebalance proposal: the moves, in the order they were chosen, and the figures before and
 * after them.
 *
 * @param steps the figures after each move ({@code steps.get(i)} after moves 0..i)
 * @param corrected for each move, the runner whose correction it belongs to (the over-utilized
 *     sender, or the under-utilized receiver being filled)
 */
public record Plan(List<Move> moves, Figures before, Figures after, List<Figures> steps, List<String> corrected) {
  public Plan {
    moves = List.copyOf(moves);
    steps = List.copyOf(steps);
    corrected = List.copyOf(corrected);
    if (steps.size() != moves.size() || corrected.size() != moves.size()) {
      throw new IllegalArgumentException("one step and one corrected runner per move");
    }
  }

  /** A plan that moves nothing. */
  public static Plan none(Figures now) {
    return new Plan(List.of(), now, now, List.of(), List.of());
  }

  public boolean isEmpty() {
    return moves.isEmpty();
  }

  /** The first {@code count} moves, as a plan of their own. */
  public Plan prefix(int count) {
    if (count >= moves.size()) {
      return this;
    }
    if (count <= 0) {
      return none(before);
    }
    return new Plan(moves.subList(0, count), before, steps.get(count - 1), steps.subList(0, count),
        corrected.subList(0, count));
  }

  /** The spread after the first {@code count} moves. */
  double stdDevAfter(int count) {
    return count == 0 ? before.stdDev() : steps.get(count - 1).stdDev();
  }
}
