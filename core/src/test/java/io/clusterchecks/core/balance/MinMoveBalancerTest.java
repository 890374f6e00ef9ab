package io.clusterchecks.core.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MinMoveBalancerTest {
  private final MinMoveBalancer balancer = new MinMoveBalancer(1.05);

  private static Unit unit(String digest, double load) {
    return new Unit(digest, "check_" + digest, load, false);
  }

  private static Unit pinned(String digest, double load) {
    return new Unit(digest, "check_" + digest, load, true);
  }

  /** Applies a plan to the runners and returns who runs what afterwards. */
  static Map<String, List<Unit>> apply(List<Runner> runners, Plan plan) {
    Map<String, List<Unit>> byRunner = new HashMap<>();
    Map<String, Unit> byDigest = new HashMap<>();
    for (Runner r : runners) {
      byRunner.put(r.name(), new ArrayList<>(r.units()));
      r.units().forEach(u -> byDigest.put(u.digest(), u));
    }
    for (Move m : plan.moves()) {
      Unit u = byDigest.get(m.digest());
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
    List<Runner> runners = List.of(
        new Runner("node1", 4, List.of(unit("check1", 0.2), unit("check2", 2000.0 / 15000), pinned("check3", 1000.0 / 15000))),
        new Runner("node2", 4, List.of()));
    Plan plan = balancer.plan(runners, 100);
    assertThat(plan.moves()).extracting(Move::digest, Move::from, Move::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("check1", "node1", "node2"));
    assertThat(plan.after().maxOverMean()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

    Map<String, List<Unit>> after = apply(runners, plan);
    List<Runner> again = List.of(new Runner("node1", 4, after.get("node1")), new Runner("node2", 4, after.get("node2")));
    assertThat(balancer.plan(again, 100).moves()).as("a second rebalance moves nothing").isEmpty();
  }

  @Test
  void aBalancedFleetMovesNothing() {
    List<Runner> runners = List.of(
        new Runner("a", 4, List.of(unit("1", 1), unit("2", 1))),
        new Runner("b", 4, List.of(unit("3", 2))),
        new Runner("c", 4, List.of(unit("4", 0.5), unit("5", 1.5))));
    assertThat(balancer.plan(runners, 100).isEmpty()).isTrue();
  }

  @Test
  void aJoiningRunnerIsFilledWithTheFewestMoves() {
    // Three runners each carrying 3.0 in 30 units of 0.1; a fourth joins empty.
    List<Runner> runners = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      List<Unit> units = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        units.add(unit(r + "-" + i, 0.1));
      }
      runners.add(new Runner("r" + r, 4, units));
    }
    runners.add(new Runner("r3", 4, List.of()));
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
    List<Runner> runners = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      List<Unit> units = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        units.add(unit(r + "-" + i, 0.05));
      }
      runners.add(new Runner(String.format("r%02d", r), 4, units));
    }
    runners.add(new Runner("new", 4, List.of()));
    Plan plan = balancer.plan(runners, 1000);
    Map<String, List<Unit>> after = apply(runners, plan);
    double newLoad = after.get("new").stream().mapToDouble(Unit::load).sum();
    double mean = 20.0 / 21;
    assertThat(newLoad).isGreaterThanOrEqualTo((2 - 1.05) * mean - 1e-9);
    // The fewest moves that bring it within the band: 0.95 * 0.952 / 0.05 = 18.1, so 19.
    assertThat(plan.moves()).hasSizeLessThanOrEqualTo((int) Math.ceil(19 * 1.2));
    assertThat(plan.moves()).allSatisfy(m -> assertThat(m.to()).isEqualTo("new"));
  }

  @Test
  void largeConfigsMoveFirstSoFewerMove() {
    List<Unit> units = new ArrayList<>();
    units.add(unit("big", 2.0));
    for (int i = 0; i < 20; i++) {
      units.add(unit("small" + i, 0.1));
    }
    List<Runner> runners = List.of(new Runner("a", 4, units), new Runner("b", 4, List.of()));
    Plan plan = balancer.plan(runners, 100);
    assertThat(plan.moves()).extracting(Move::digest).containsExactly("big");
    assertThat(plan.after().maxOverMean()).isLessThanOrEqualTo(1.05);
  }

  @Test
  void pinnedConfigsNeverMoveButTheirLoadCounts() {
    List<Runner> runners = List.of(
        new Runner("a", 4, List.of(pinned("p1", 2.0), pinned("p2", 1.0), unit("m", 0.9))),
        new Runner("b", 4, List.of()));
    Plan plan = balancer.plan(runners, 100);
    assertThat(plan.moves()).extracting(Move::digest).containsExactly("m");
  }

  @Test
  void theMoveBudgetIsRespected() {
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      units.add(unit("u" + i, 0.1));
    }
    Plan plan = balancer.plan(List.of(new Runner("a", 4, units), new Runner("b", 4, List.of())), 5);
    assertThat(plan.moves()).hasSize(5);
  }

  @Test
  void heterogeneousCapacityIsHonoured() {
    // b has twice the workers, so it should end up with about twice the load.
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      units.add(unit("u" + i, 0.1));
    }
    Plan plan = balancer.plan(List.of(new Runner("a", 2, units), new Runner("b", 4, List.of())), 1000);
    assertThat(plan.after().maxOverMean()).isLessThanOrEqualTo(1.05);
    assertThat(plan.moves()).hasSizeBetween(38, 40);
  }

  @Test
  void aSingleHugeConfigCannotBeSplitAndNothingChurns() {
    List<Runner> runners = List.of(new Runner("a", 1, List.of(unit("huge", 5))), new Runner("b", 1, List.of(unit("x", 0.1))));
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
    Random random = new Random(seed);
    List<List<Unit>> units = new ArrayList<>();
    for (int r = 0; r < runnerCount; r++) {
      units.add(new ArrayList<>());
    }
    for (int i = 0; i < unitCount; i++) {
      // Lognormal costs, as real checks: most cheap, a few very expensive.
      double load = Math.min(1.0, Math.exp(random.nextGaussian() * 1.5 - 3));
      Unit u = random.nextInt(10) == 0 ? pinned("u" + i, load) : unit("u" + i, load);
      units.get(random.nextInt(Math.max(1, runnerCount / 2))).add(u);
    }
    List<Runner> runners = new ArrayList<>();
    for (int r = 0; r < runnerCount; r++) {
      runners.add(new Runner("r" + r, 1 + random.nextInt(4), units.get(r)));
    }
    Plan plan = balancer.plan(runners, 10_000);
    assertThat(balancer.plan(runners, 10_000)).isEqualTo(plan);
    assertThat(plan.after().maxUtilization()).isLessThanOrEqualTo(plan.before().maxUtilization() + 1e-9);
    Map<String, List<Unit>> after = apply(runners, plan);
    List<double[]> lw = new ArrayList<>();
    for (Runner r : runners) {
      lw.add(new double[] {after.get(r.name()).stream().mapToDouble(Unit::load).sum(), r.workers()});
    }
    assertThat(Figures.of(lw).maxUtilization()).isCloseTo(plan.after().maxUtilization(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(plan.moves()).noneMatch(m -> m.digest().isEmpty());
  }
}
