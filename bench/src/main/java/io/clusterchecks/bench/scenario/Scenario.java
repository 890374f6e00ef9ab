package io.clusterchecks.bench.scenario;

/** The events of the scenario benchmark (docs/benchmarks.md, "Scenario benchmark"). */
public enum Scenario {
  STEADY("no event: churn from measurement noise alone, per window", "none"),
  JOIN("a runner joins", "a lower bound: the fewest moves that bring the new runner to 0.95 × mean utilization without any sender dropping below 0.95 × mean (each sender gives at most its surplus, heaviest configs first)"),
  DIE("a runner dies", "the dead runner's configs"),
  ROLLING_RESTART("rolling restart of every runner (1% of runners replaced per minute, new names)",
      "every config once (every runner it sits on goes away)"),
  DRIFT("cost drift (20% of check names change cost by a log-normal factor, σ = 1)",
      "per runner above 1.05 × mean: the fewest of its configs, heaviest first, that bring it to 1.05 × mean; summed"),
  BURST("burst of new configs (+10% at once)", "none: new configs are placements, not moves");

  public final String title;
  public final String bound;

  Scenario(String title, String bound) {
    this.title = title;
    this.bound = bound;
  }

  public String id() {
    return name().toLowerCase().replace('_', '-');
  }
}
