package io.clusterchecks.chaos;

/**
 * What one event did, as measured.
 *
 * @param event the scheduled event
 * @param description the fault with its resolved target
 * @param runSettleMillis from the heal until every config ran on exactly one worker (-1: never)
 * @param settleMillis from the heal until, also, the leader's state agreed (-1: never)
 * @param moves configs that changed worker across the event
 * @param falseExpiries workers that lost configs though they did not die
 */
record EventOutcome(ChaosEvent event, String description, long runSettleMillis, long settleMillis, int moves,
    int falseExpiries) {

  String line() {
    return String.format("#%d %-17s %-48s fault %5d ms  run-settled %6s  settled %6s  moves %d%s", event.index(),
        event.kind(), description, event.fault().toMillis(), ms(runSettleMillis), ms(settleMillis), moves,
        falseExpiries > 0 ? "  FALSE EXPIRIES " + falseExpiries : "");
  }

  private static String ms(long v) {
    return v < 0 ? "never" : v + "ms";
  }
}
