package io.clusterchecks.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The figures of a run and its verdict. A failing run prints its seed, the violations and the
 * whole event log, which {@code --seed} replays.
 */
public record ChaosReport(
    ChaosOptions options,
    List<EventOutcome> outcomes,
    List<String> violations,
    int doubleRuns,
    long maxDoubleRunMillis,
    int termsSeen,
    int overlappingLeaderLooks,
    int starvations,
    Duration elapsed) {

  public boolean passed() {
    return violations.isEmpty();
  }

  public int events() {
    return outcomes.size();
  }

  public int falseExpiries() {
    return outcomes.stream().mapToInt(EventOutcome::falseExpiries).sum();
  }

  /** Configs moved, by event kind. */
  public Map<EventKind, Integer> movesByKind() {
    Map<EventKind, Integer> out = new EnumMap<>(EventKind.class);
    outcomes.forEach(o -> out.merge(o.event().kind(), o.moves(), Integer::sum));
    return out;
  }

  public void print(PrintStream out) {
    out.printf("chaos: seed %d, %d event(s) in %ds, %d workers, %d configs at start, expiration %ds, session %ds%n",
        options.seed(), events(), elapsed.toSeconds(), options.workers(), options.configs(),
        options.expiration().toSeconds(), options.sessionTimeout().toSeconds());
    Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
    outcomes.forEach(o -> counts.merge(o.event().kind(), 1L, Long::sum));
    Map<EventKind, Integer> moves = movesByKind();
    out.println("  events and moves by kind:");
    counts.forEach((k, n) -> out.printf("    %-18s %4d event(s) %6d move(s)%n", k, n, moves.getOrDefault(k, 0)));
    out.printf("  time to settle after heal (every config on one worker, state API agreeing): p50 %d ms, max %d ms%n",
        percentile(outcomes.stream().mapToLong(EventOutcome::settleMillis), 50),
        percentile(outcomes.stream().mapToLong(EventOutcome::settleMillis), 100));
    out.printf("  time until every config ran on exactly one worker: p50 %d ms, max %d ms%n",
        percentile(outcomes.stream().mapToLong(EventOutcome::runSettleMillis), 50),
        percentile(outcomes.stream().mapToLong(EventOutcome::runSettleMillis), 100));
    out.printf("  double runs (a silent worker expired, not polled yet): %d window(s), max %d ms%n", doubleRuns,
        maxDoubleRunMillis);
    out.printf("  false expiries: %d; leadership terms seen: %d; looks with two replicas answering as leader: %d%n",
        falseExpiries(), termsSeen, overlappingLeaderLooks);
    out.printf("  workers starved of answers while a leader served (machine load; 0 on a quiet machine): %d%n",
        starvations);
    if (passed()) {
      out.println("chaos: PASSED (seed " + options.seed() + ")");
      return;
    }
    out.println("chaos: FAILED, seed " + options.seed() + " (replay with --seed " + options.seed() + "), "
        + violations.size() + " violation(s):");
    violations.forEach(v -> out.println("  " + v));
    out.println("event log:");
    outcomes.forEach(o -> out.println("  " + o.line()));
  }

  /** The p-th percentile (nearest rank) of the values that were measured (>= 0); -1 when none. */
  static long percentile(LongStream values, int p) {
    long[] v = values.filter(x -> x >= 0).sorted().toArray();
    if (v.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, rank - 1)];
  }
}
