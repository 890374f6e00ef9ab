package io.clusterchecks.core.balance;

import java.util.List;

/**
 * A rebalance proposal: the moves, in the order they were chosen, and the figures before and
 * after them.
 */
public record Plan(List<Move> moves, Figures before, Figures after) {
  public Plan {
    moves = List.copyOf(moves);
  }

  public boolean isEmpty() {
    return moves.isEmpty();
  }
}
