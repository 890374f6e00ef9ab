package io.clusterchecks.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Determinism of the simulation and each strategy's key behaviour on a tiny fleet. */
class SimulationTest {
  private static final Params TINY = Params.tiny();

  private static Result run(Scenario sc, Strategy s) {
    return new ScenarioRunner(TINY, sc, s).run();
  }

  private static Result run(Params p, Scenario sc, Strategy s) {
    return new ScenarioRunner(p, sc, s).run();
  }

  @Test
  void sameSeedSameResults() {
    for (Scenario sc : List.of(Scenario.JOIN, Scenario.ROLLING_RESTART, Scenario.DRIFT)) {
      List<Strategy> first = Strategies.all(TINY);
      List<Strategy> second = Strategies.all(TINY);
      for (int i = 0; i < first.size(); i++) {
        assertThat(run(sc, second.get(i)).withoutCpu()).isEqualTo(run(sc, first.get(i)).withoutCpu());
      }
    }
  }

  @Test
  void anotherSeedAnotherFleet() {
    Result a = run(Scenario.DIE, new AgentDriven(0.01));
    Result b = run(TINY.withSeed(8), Scenario.DIE, new AgentDriven(0.01));
    assertThat(b.withoutCpu()).isNotEqualTo(a.withoutCpu());
  }

  @Test
  void worldIsTheSameForEveryStrategy() {
    World a = new World(TINY);
    World b = new World(TINY);
    for (int c = 0; c < 100; c++) {
      assertThat(b.trueLoad(c)).isEqualTo(a.trueLoad(c));
      assertThat(b.checkName(c)).isEqualTo(a.checkName(c));
      assertThat(b.measured(c)).isEqualTo(a.measured(c));
    }
    assertThat(a.meanUtilization()).isZero();
  }

  @Test
  void dyingRunnerMovesOnlyItsConfigs() {
    for (Strategy s : List.of(new AgentDriven(0.01), new Strategies.FewestConfigs(1),
        new Strategies.OtelLeastWeighted(), new Strategies.RandomUtilization(1))) {
      Result r = run(Scenario.DIE, s);
      assertThat(r.movedByEvent()).as(s.name()).isEqualTo(r.minimum());
    }
  }

  /** Moves until balanced count from the event to the first sample of the balanced stretch. */
  @Test
  void movesUntilBalancedStopWhereTheBalancedStretchStarts() {
    Result die = run(Scenario.DIE, new Strategies.FewestConfigs(1));
    assertThat(die.balancedAfter()).isZero();
    assertThat(die.movedUntilBalanced()).isEqualTo(die.movedByEvent());
    Result join = run(Params.quick().withSize(50, 10_000), Scenario.JOIN, new AgentDriven(0.01));
    assertThat(join.balancedAfter()).isPositive();
    assertThat(join.movedUntilBalanced()).isPositive().isLessThanOrEqualTo(join.movedInWindow());
    // Leaving out the configs no sender can give whole only tightens the bound.
    assertThat(join.wholeMinimum()).isGreaterThanOrEqualTo(join.minimum());
    // A runner joining a fleet already within 1.05 of the mean lowers the mean by only 1/(n+1):
    // the balancer's band below the mean is what fills it (the benchmark found the gap before it existed).
    assertThat(join.endMin()).isGreaterThan(0.9);
    Result never = run(Scenario.JOIN, new Strategies.OtelLeastWeighted());
    assertThat(never.balancedAfter()).isEqualTo(-1);
    assertThat(never.movedUntilBalanced()).isEqualTo(-1);
  }

  @Test
  void consistentHashingMovesMoreThanTheOrphans() {
    Result r = run(Scenario.DIE, new Strategies.OtelConsistentHashing());
    assertThat(r.movedByEvent()).isGreaterThan(r.minimum());
  }

  @Test
  void leastWeightedAndFewestConfigsNeverFillAJoiningRunner() {
    for (Strategy s : List.of(new Strategies.OtelLeastWeighted(), new Strategies.FewestConfigs(1))) {
      Result r = run(Scenario.JOIN, s);
      assertThat(r.movedInWindow()).as(s.name()).isZero();
      assertThat(r.endMin()).as(s.name()).isZero();
    }
  }

  /** On a fleet big enough that a runner's load is not one or two configs' noise. */
  @Test
  void oursKeepsSteadyStateWithinTarget() {
    Result r = run(Params.quick().withSize(50, 10_000), Scenario.DIE, new AgentDriven(0.01));
    assertThat(r.steadyMax()).isLessThanOrEqualTo(1.06);
    assertThat(r.endMax()).isLessThanOrEqualTo(1.06);
  }

  @Test
  void oursPlacesABurstByEstimatedLoad() {
    Params size = Params.quick().withSize(50, 10_000);
    Result ours = run(size, Scenario.BURST, new AgentDriven(0.01));
    Result random = run(size, Scenario.BURST, new Strategies.RandomUtilization(1));
    assertThat(ours.peakMax()).isLessThan(random.peakMax());
  }

  @Test
  void oursMoveBudgetIsHonoured() {
    AgentDriven ours = new AgentDriven(0.001);
    run(Scenario.ROLLING_RESTART, ours);
    int budget = (int) Math.max(1, Math.round(0.001 * TINY.configs()));
    assertThat(ours.moveBudget).isEqualTo(budget);
    assertThat(ours.rebalances).isNotEmpty()
        .allSatisfy(r -> assertThat(r.moves().size()).isLessThanOrEqualTo(budget));
  }
}
