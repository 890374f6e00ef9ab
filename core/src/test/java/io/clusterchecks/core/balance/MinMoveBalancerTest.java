package io.clusterchecks.core.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MinMoveBalancerTest {
  private final MinMoveBalancer balancer = new MinMoveBalancer(1.05);

  private static CheckLoad unit(String digest, double load) {
    return new CheckLoad(digest, "check_" + digest, load, false);
  }

  private static CheckLoad pinned(String digest, double load) {
    return new CheckLoad(digest, "check_" + digest, load, true);
  }

  /** Applies a plan to the runners and returns who runs what afterwards. */
  static Map<String, List<CheckLoad>> apply(List<RunnerLoad> runners, Plan plan) {
    Map<String, List<CheckLoad>> byRunner = new HashMap<>();
    Map<String, CheckLoad> byDigest = new HashMap<>();
    for (RunnerLoad r : runners) {
      byRunner.put(r.name(), new ArrayList<>(r.checks()));
      r.checks().forEach(u -> byDigest.put(u.digest(), u));
    }
    for (Move m : plan.moves()) {
      CheckLoad u = byDigest.get(m.digest());
      assertThat(byRunner.get(m.from()).remove(u)).as("%s is on %s", m.digest(), m.from()).isTrue();
      byRunner.get(m.to()).add(u);
    }
    return byRunner;
  }

  /**
   * The reference moves check2 (node1 ends at 0.267 load, node2 at 0.133). We deliberately move
   * check1 instead: also one move, and both runners end at exactly 0.2 (see docs/balancing.md).
   */
  @Test
  void referenceItem31_oneMoveThenNothing_oursBalancesExactly() {
    // Two runners of 4 workers; 15 s interval: 3000 ms -> 0.2, 2000 ms -> 0.133, node check 1000 ms
    // (not a cluster check, so it never moves, but its load counts).
    List<RunnerLoad> runners = List.of(
        new RunnerLoad("node1", 4, List.of(unit("check1", 0.2), unit("check2", 2000.0 / 15000), pinned("check3", 1000.0 / 15000))),
        new RunnerLoad("node2", 4, List.of()));
    Plan plan = balancer.plan(runners, 100);
    assertThat(plan.moves()).extracting(Move::digest, Move::from, Move::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("check1", "node1", "node2"));
    assertThat(plan.after().maxOverMean()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

    Map<String, List<CheckLoad>> after = apply(runners, plan);
    List<RunnerLoad> again = List.of(new RunnerLoad("node1", 4, after.get("node1")), new RunnerLoad("node2", 4, after.get("node2")));
    assertThat(balancer.plan(again, 100).moves()).as("a second rebalance moves nothing").isEmpty();
  }

  @Test
  void aBalancedFleetMovesNothing() {
    List<RunnerLoad> runners = List.of(
        new RunnerLoad("a", 4, List.of(unit("1", 1), unit("2", 1))),
        new RunnerLoad("b", 4, List.of(unit("3", 2))),
        new RunnerLoad("c", 4, List.of(unit("4", 0.5), unit("5", 1.5))));
    assertThat(balancer.plan(runners, 100).isEmpty()).isTrue();
  }

  @Test
  void aJoiningRunnerIsFilledWithTheFewestMoves() {
    // Three runners each carrying 3.0 in 30 units of 0.1; a fourth joins empty.
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      List<CheckLoad> units = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        units.add(unit(r + "-" + i, 0.1));
      }
      runners.add(new RunnerLoad("r" + r, 4, units));
    }
    runners.add(new RunnerLoad("r3", 4, List.of()));
    Plan plan = balancer.plan(runners, 1000);
    // Balanced is 2.25 each; within 1.05 of it means at most 2.3625 on each old runner, so the
    // new runner needs at least 9 - 3 * 2.3625 = 1.9125, i.e. 20 units of 0.1: the minimum.
    assertThat(plan.after().maxOverMean()).isLessThanOrEqualTo(1.05);
    assertThat(plan.moves()).hasSizeLessThanOrEqualTo((int) Math.ceil(20 * 1.2));
    assertThat(plan.moves()).allSatisfy(m -> assertThat(m.to()).isEqualTo("r3"));
  }

  @Test
  void aRunnerJoiningAManyRunnerFleetIsFilledThoughNobodyIsOverTheTarget() {
    // 20 runners at 1.0 each in units of 0.05; one joins empty. The mean drops by 1/21 only, so
    // every old runner is still within 1.05 of it: without the fill band nothing would move.
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      List<CheckLoad> units = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        units.add(unit(r + "-" + i, 0.05));
      }
      runners.add(new RunnerLoad(String.format("r%02d", r), 4, units));
    }
    runners.add(new RunnerLoad("new", 4, List.of()));
    Plan plan = balancer.plan(runners, 1000);
    Map<String, List<CheckLoad>> after = apply(runners, plan);
    double newLoad = after.get("new").stream().mapToDouble(CheckLoad::load).sum();
    double mean = 20.0 / 21;
    assertThat(newLoad).isGreaterThanOrEqualTo((2 - 1.05) * mean - 1e-9);
    // The fewest moves that bring it within the band: 0.95 * 0.952 / 0.05 = 18.1, so 19.
    assertThat(plan.moves()).hasSizeLessThanOrEqualTo((int) Math.ceil(19 * 1.2));
    assertThat(plan.moves()).allSatisfy(m -> assertThat(m.to()).isEqualTo("new"));
  }

  @Test
  void largeConfigsMoveFirstSoFewerMove() {
    List<CheckLoad> units = new ArrayList<>();
    units.add(unit("big", 2.0));
    for (int i = 0; i < 20; i++) {
      units.add(unit("small" + i, 0.1));
    }
    List<RunnerLoad> runners = List.of(new RunnerLoad("a", 4, units), new RunnerLoad("b", 4, List.of()));
    Plan plan = balancer.plan(runners, 100);
    assertThat(plan.moves()).extracting(Move::digest).containsExactly("big");
    assertThat(plan.after().maxOverMean()).isLessThanOrEqualTo(1.05);
  }

  @Test
  void pinnedConfigsNeverMoveButTheirLoadCounts() {
    List<RunnerLoad> runners = List.of(
        new RunnerLoad("a", 4, List.of(pinned("p1", 2.0), pinned("p2", 1.0), unit("m", 0.9))),
        new RunnerLoad("b", 4, List.of()));
    Plan plan = balancer.plan(runners, 100);
    assertThat(plan.moves()).extracting(Move::digest).containsExactly("m");
  }

  @Test
  void theMoveBudgetIsRespected() {
    List<CheckLoad> units = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      units.add(unit("u" + i, 0.1));
    }
    Plan plan = balancer.plan(List.of(new RunnerLoad("a", 4, units), new RunnerLoad("b", 4, List.of())), 5);
    assertThat(plan.moves()).hasSize(5);
  }

  @Test
  void heterogeneousCapacityIsHonoured() {
    // b has twice the workers, so it should end up with about twice the load.
    List<CheckLoad> units = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      units.add(unit("u" + i, 0.1));
    }
    Plan plan = balancer.plan(List.of(new RunnerLoad("a", 2, units), new RunnerLoad("b", 4, List.of())), 1000);
    assertThat(plan.after().maxOverMean()).isLessThanOrEqualTo(1.05);
    assertThat(plan.moves()).hasSizeBetween(38, 40);
  }

  @Test
  void aSingleHugeConfigCannotBeSplitAndNothingChurns() {
    List<RunnerLoad> runners = List.of(new RunnerLoad("a", 1, List.of(unit("huge", 5))), new RunnerLoad("b", 1, List.of(unit("x", 0.1))));
    assertThat(balancer.plan(runners, 100).moves()).isEmpty();
  }

  @Test
  void theTargetMustBeAtLeastOne() {
    assertThatThrownBy(() -> new MinMoveBalancer(0.9)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void plansAreDeterministicNeverWorsenTheMaximumAndMoveExistingConfigs(
      @ForAll @IntRange(min = 2, max = 12) int runnerCount,
      @ForAll @IntRange(min = 0, max = 120) int unitCount,
      @ForAll long seed) {
    List<RunnerLoad> runners = RandomFleets.of(seed, runnerCount, unitCount, 0.1, 0.5);
    Plan plan = balancer.plan(runners, 10_000);
    assertThat(balancer.plan(runners, 10_000)).isEqualTo(plan);
    assertThat(plan.after().maxUtilization()).isLessThanOrEqualTo(plan.before().maxUtilization() + 1e-9);
    Map<String, List<CheckLoad>> after = apply(runners, plan);
    List<double[]> lw = new ArrayList<>();
    for (RunnerLoad r : runners) {
      lw.add(new double[] {after.get(r.name()).stream().mapToDouble(CheckLoad::load).sum(), r.workers()});
    }
    assertThat(BalanceFigures.of(lw).maxUtilization()).isCloseTo(plan.after().maxUtilization(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(plan.moves()).noneMatch(m -> m.digest().isEmpty());
    // One step per move, and the last step is the plan's end.
    assertThat(plan.steps()).hasSameSizeAs(plan.moves());
    assertThat(plan.corrected()).hasSameSizeAs(plan.moves());
    if (!plan.isEmpty()) {
      BalanceFigures last = plan.steps().get(plan.steps().size() - 1).after();
      assertThat(last.stdDev()).isCloseTo(plan.after().stdDev(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(last.maxUtilization()).isCloseTo(plan.after().maxUtilization(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(last.minUtilization()).isCloseTo(plan.after().minUtilization(), org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  /**
   * Filling a joining runner looks past the busiest runner: the fleet's largest config that fits
   * goes first, wherever it is. 30 runners at 1.0 (so within 1.04 of the new mean, 30/31), ten of
   * them holding one 0.07 config among 0.05s, the busiest by name holding only 0.05s. Each sender
   * may give down to 0.96 of the mean (0.071), so the 0.07s go first: 10 of them and 5 of 0.05
   * bring the new runner to 0.98 of the mean (0.948) in 15 moves; from the busiest alone (0.05s)
   * it takes 19.
   */
  @Test
  void aJoiningRunnerIsFilledWithTheLargestFittingConfigsOfTheWholeFleet() {
    MinMoveBalancer hysteresis = new MinMoveBalancer(1.02, 1.04);
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < 30; r++) {
      List<CheckLoad> units = new ArrayList<>();
      if (r < 10) {
        units.add(unit(r + "-big", 0.07));
        units.add(unit(r + "-rest", 0.03));
        for (int i = 0; i < 18; i++) {
          units.add(unit(r + "-" + i, 0.05));
        }
      } else {
        for (int i = 0; i < 20; i++) {
          units.add(unit(r + "-" + i, 0.05));
        }
      }
      runners.add(new RunnerLoad(String.format("r%02d", r), 1, units));
    }
    runners.add(new RunnerLoad("new", 1, List.of()));
    Plan plan = hysteresis.plan(runners, 1000);
    double mean = 30.0 / 31;
    assertThat(plan.moves()).hasSize(15).allSatisfy(m -> assertThat(m.to()).isEqualTo("new"));
    assertThat(plan.moves().subList(0, 10)).allSatisfy(m -> assertThat(m.load()).isEqualTo(0.07));
    assertThat(plan.corrected()).containsOnly("new");
    Map<String, List<CheckLoad>> after = apply(runners, plan);
    assertThat(after.get("new").stream().mapToDouble(CheckLoad::load).sum()).isGreaterThanOrEqualTo(0.98 * mean - 1e-9);
    for (RunnerLoad r : runners) {
      assertThat(after.get(r.name()).stream().mapToDouble(CheckLoad::load).sum()).as(r.name())
          .isGreaterThanOrEqualTo(0.96 * mean - 1e-9);
    }
  }

  /**
   * A wider band below the mean: fillers may give down to 0.95 of the mean instead of 0.96, so
   * the same joiner takes fewer moves, and a runner at 0.955 is not filled at all.
   */
  @Test
  void theFillBandBelowTheMeanIsItsOwn() {
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < 30; r++) {
      List<CheckLoad> units = new ArrayList<>();
      // Each runner holds one 0.08 config: more than its surplus over 0.96 of the mean (0.071),
      // less than its surplus over 0.95 (0.081).
      units.add(unit(r + "-big", 0.08));
      for (int i = 0; i < 46; i++) {
        units.add(unit(r + "-" + i, 0.02));
      }
      runners.add(new RunnerLoad(String.format("r%02d", r), 1, units));
    }
    runners.add(new RunnerLoad("new", 1, List.of()));
    Plan symmetric = new MinMoveBalancer(1.02, 1.04).plan(runners, 1000);
    Plan wider = new MinMoveBalancer(1.02, 1.04, 0.95).plan(runners, 1000);
    assertThat(symmetric.moves()).noneMatch(m -> m.load() == 0.08);
    assertThat(wider.moves().subList(0, 10)).allSatisfy(m -> assertThat(m.load()).isEqualTo(0.08));
    assertThat(wider.moves().size()).isLessThan(symmetric.moves().size());

    List<RunnerLoad> slightlyLow = new ArrayList<>(runners.subList(0, 30));
    slightlyLow.add(new RunnerLoad("low", 1, List.of(unit("low-0", 0.955))));
    assertThat(new MinMoveBalancer(1.02, 1.04).plan(slightlyLow, 1000).corrected()).contains("low");
    assertThat(new MinMoveBalancer(1.02, 1.04, 0.95).plan(slightlyLow, 1000).isEmpty()).isTrue();
    assertThatThrownBy(() -> new MinMoveBalancer(1.02, 1.04, 0.99)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The runner furthest outside its band is corrected first, so each correction is one run. */
  @Test
  void theRunnerFurthestOutsideItsBandIsCorrectedFirst() {
    MinMoveBalancer hysteresis = new MinMoveBalancer(1.02, 1.04);
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < 30; r++) {
      List<CheckLoad> units = new ArrayList<>();
      // r00 is a little over the trigger; everyone else at 1.0.
      int count = r == 0 ? 22 : 20;
      for (int i = 0; i < count; i++) {
        units.add(unit(r + "-" + i, 0.05));
      }
      runners.add(new RunnerLoad(String.format("r%02d", r), 1, units));
    }
    runners.add(new RunnerLoad("new", 1, List.of()));
    Plan plan = hysteresis.plan(runners, 1000);
    // The empty runner is 0.96 of the mean below its band, r00 0.09 over: the empty one goes
    // first and its correction is one run (r00 gives to it on the way, being the busiest).
    assertThat(plan.corrected()).startsWith("new");
    int lastNew = plan.corrected().lastIndexOf("new");
    assertThat(plan.corrected().subList(0, lastNew + 1)).containsOnly("new");
    assertThat(plan.moves()).extracting(Move::from).contains("r00");
  }
}
