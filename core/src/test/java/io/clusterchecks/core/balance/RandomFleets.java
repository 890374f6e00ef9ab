package io.clusterchecks.core.balance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random fleets for property tests: lognormal costs, as real checks (most cheap, a few very expensive). */
final class RandomFleets {
  private RandomFleets() {}

  /**
   * @param pinnedShare share of units pinned (0 for none)
   * @param crowdedShare share of the runners that get every unit (1 for all of them)
   */
  static List<RunnerLoad> of(long seed, int runnerCount, int unitCount, double pinnedShare, double crowdedShare) {
    Random random = new Random(seed);
    List<List<CheckLoad>> units = new ArrayList<>();
    for (int r = 0; r < runnerCount; r++) {
      units.add(new ArrayList<>());
    }
    int crowded = Math.max(1, (int) (runnerCount * crowdedShare));
    for (int i = 0; i < unitCount; i++) {
      double load = Math.min(1.0, Math.exp(random.nextGaussian() * 1.5 - 3));
      boolean pinned = random.nextDouble() < pinnedShare;
      units.get(random.nextInt(crowded)).add(new CheckLoad("u" + i, "check_u" + i, load, pinned));
    }
    List<RunnerLoad> runners = new ArrayList<>();
    for (int r = 0; r < runnerCount; r++) {
      runners.add(new RunnerLoad("r" + r, 1 + random.nextInt(4), units.get(r)));
    }
    return runners;
  }
}
