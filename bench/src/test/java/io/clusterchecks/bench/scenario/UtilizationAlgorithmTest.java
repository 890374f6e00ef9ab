package io.clusterchecks.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clusterchecks.bench.scenario.UtilizationAlgorithm.Distribution;
import org.junit.jupiter.api.Test;

/** The reference's utilization rebalance, docs/reference/scenarios.md items 31, 33, 34, 37, 39, 40, 42 to 45. */
class UtilizationAlgorithmTest {
  private static final int[] FOUR_FOUR = {4, 4};

  @Test
  void item31OneMoveThenNone() {
    // check1 3000 ms and check2 2000 ms on node1 (15 s interval); check3 is a node check: no unit
    String[] ids = {"check1", "check2"};
    double[] needed = {3000.0 / 15000, 2000.0 / 15000};
    int[] current = {0, 0};
    int[] proposed = UtilizationAlgorithm.propose(FOUR_FOUR, ids, needed, current, new boolean[2], false);
    assertThat(proposed).containsExactly(0, 1);
    assertThat(UtilizationAlgorithm.worthIt(Distribution.of(FOUR_FOUR, needed, current),
        Distribution.of(FOUR_FOUR, needed, proposed), 10)).isTrue();
    int[] again = UtilizationAlgorithm.propose(FOUR_FOUR, ids, needed, proposed, new boolean[2], false);
    assertThat(again).containsExactly(proposed);
  }

  @Test
  void item33PinnedNeverMove() {
    String[] ids = {"a", "b", "c"};
    double[] needed = {0, 0, 2000.0 / 15000};
    boolean[] pinned = {true, true, false};
    int[] proposed = UtilizationAlgorithm.propose(FOUR_FOUR, ids, needed, new int[3], pinned, false);
    assertThat(proposed[0]).isZero();
    assertThat(proposed[1]).isZero();
  }

  @Test
  void item34PinnedLoadCountedFirst() {
    String[] ids = {"pinned", "movable"};
    double[] needed = {0.6, 0.7};
    int[] proposed = UtilizationAlgorithm.propose(new int[] {1, 1}, ids, needed, new int[2],
        new boolean[] {true, false}, false);
    assertThat(proposed).containsExactly(0, 1);
  }

  @Test
  void stickinessKeepsAUnitOnItsRunnerWithinTheBonus() {
    // node1 at 0.05 utilization more than node2: a unit of 0.1 workers has a bonus of 0.4, so it stays
    int[] proposed = UtilizationAlgorithm.propose(FOUR_FOUR, new String[] {"x", "y"}, new double[] {0.2, 0.1},
        new int[] {0, 0}, new boolean[2], true);
    assertThat(proposed).containsExactly(0, 0);
    assertThat(UtilizationAlgorithm.stickinessBonus(0.001)).isEqualTo(0.05);
    assertThat(UtilizationAlgorithm.stickinessBonus(0.5)).isEqualTo(1);
  }

  @Test
  void item37WorthIt() {
    int[] three = {3, 3};
    double[] needed = {0.5, 0.5};
    assertThat(UtilizationAlgorithm.worthIt(Distribution.of(three, needed, new int[] {0, 0}),
        Distribution.of(three, needed, new int[] {0, 1}), 10)).isTrue();
    int[] threeRunners = {3, 3, 3};
    double[] heavy = {0.9, 0.9, 0.9};
    assertThat(UtilizationAlgorithm.worthIt(Distribution.of(threeRunners, heavy, new int[] {0, 0, 0}),
        Distribution.of(threeRunners, heavy, new int[] {0, 1, 2}), 10)).isTrue();
  }

  @Test
  void worthItNeedsTenPercentWhenSpreadIsLarge() {
    int[] w = {1, 1};
    double[] needed = {0.9, 0.3};
    Distribution current = Distribution.of(w, needed, new int[] {0, 1});
    assertThat(current.stdDev()).isGreaterThan(0.1);
    assertThat(UtilizationAlgorithm.worthIt(current, current, 10)).isFalse();
  }

  @Test
  void item39UtilizationArithmetic() {
    assertThat(UtilizationAlgorithm.utilization(1, 4)).isEqualTo(0.25);
    assertThat(UtilizationAlgorithm.utilization(0, 4)).isZero();
    assertThat(UtilizationAlgorithm.utilization(1, 0)).isZero();
  }

  @Test
  void item40LeastBusy() {
    int[] w = {4, 4, 4};
    assertThat(UtilizationAlgorithm.leastBusy(new double[] {3, 1, 2}, w, new int[] {1, 1, 1}, -1, 0)).isEqualTo(1);
    assertThat(UtilizationAlgorithm.leastBusy(new double[] {3, 1, 1}, w, new int[] {1, 1, 1}, 1, 0)).isEqualTo(1);
    assertThat(UtilizationAlgorithm.leastBusy(new double[] {3, 2, 2}, w, new int[] {1, 1, 2}, -1, 0)).isEqualTo(1);
    assertThat(UtilizationAlgorithm.leastBusy(new double[] {3}, new int[] {4}, new int[] {1}, -1, 0)).isZero();
    assertThat(UtilizationAlgorithm.leastBusy(new double[0], new int[0], new int[0], -1, 0)).isEqualTo(-1);
  }

  @Test
  void item42SortingByWorkersNeededThenId() {
    assertThat(UtilizationAlgorithm.order(new String[] {"c1", "c2", "c3", "c4"}, new double[] {3, 1, 4, 2},
        new Integer[] {0, 1, 2, 3})).containsExactly(2, 0, 3, 1);
    assertThat(UtilizationAlgorithm.order(new String[] {"C", "A", "Z", "B"}, new double[] {1, 1, 2, 1},
        new Integer[] {0, 1, 2, 3})).containsExactly(2, 1, 3, 0);
  }

  @Test
  void items43To45EmptyHighAndStdDev() {
    int[] w = {4, 4};
    assertThat(Distribution.of(w, new double[0], new int[0]).empty()).isEqualTo(2);
    assertThat(Distribution.of(w, new double[] {1}, new int[] {0}).empty()).isEqualTo(1);
    assertThat(Distribution.of(w, new double[] {1, 1}, new int[] {0, 1}).empty()).isZero();
    assertThat(Distribution.of(new int[] {4}, new double[] {1}, new int[] {0}).highUtilization()).isZero();
    assertThat(Distribution.of(new int[] {4}, new double[] {3.5}, new int[] {0}).highUtilization()).isEqualTo(1);
    assertThat(Distribution.of(new int[] {4, 2}, new double[] {3.5, 2}, new int[] {0, 1}).highUtilization())
        .isEqualTo(2);
    assertThat(Distribution.of(new int[] {4, 4, 4}, new double[] {3, 2, 4}, new int[] {0, 1, 2}).stdDev())
        .isCloseTo(0.204, within(0.001));
  }
}
