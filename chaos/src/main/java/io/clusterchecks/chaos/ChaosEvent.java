package io.clusterchecks.chaos;

import java.time.Duration;

/**
 * One scheduled fault. Targets are picked by the schedule as numbers and resolved when the event
 * runs ({@code target} modulo the candidates then), so a seed replays the same schedule even if
 * the leader differs.
 *
 * @param index position in the schedule, from 1
 * @param kind what happens
 * @param target which worker, replica, server or file (resolved at run time)
 * @param fault how long the fault lasts before it is healed
 * @param amount how many files a conf.d event touches; the added latency in ms of a delay
 * @param gap quiet time before the event starts
 */
public record ChaosEvent(int index, EventKind kind, int target, Duration fault, int amount, Duration gap) {

  @Override
  public String toString() {
    return "#" + index + " " + kind + " target=" + target + " fault=" + fault.toMillis() + "ms"
        + (amount > 0 ? " amount=" + amount : "") + " gap=" + gap.toMillis() + "ms";
  }
}
