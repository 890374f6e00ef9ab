package io.clusterchecks.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded random schedule of faults. Everything random about a run is drawn here, up front, from
 * one {@link Random}: the same seed and options give the same list of events.
 *
 * <p>Worker kills and silences are either clearly shorter than {@code node_expiration_timeout}
 * (the agent must keep the worker's configs where they are) or clearly longer (the agent must
 * move them): two seconds either side, so a loaded machine cannot blur which one was meant.
 *
 * <p>The first events are every kind once, in an order drawn from the seed, so that any run of at
 * least as many events as there are kinds (the short form in {@code ./mvnw verify}) meets each.
 */
public final class Schedule {
  private Schedule() {}

  public static List<ChaosEvent> generate(ChaosOptions o) {
    Random r = new Random(o.seed());
    int totalWeight = 0;
    for (EventKind k : EventKind.values()) {
      totalWeight += k.weight;
    }
    long exp = o.expiration().toMillis();
    long session = o.sessionTimeout().toMillis();
    List<EventKind> firstRound = new ArrayList<>(List.of(EventKind.values()));
    Collections.shuffle(firstRound, r);
    List<ChaosEvent> events = new ArrayList<>();
    for (int i = 1; i <= o.events(); i++) {
      EventKind kind = i <= firstRound.size() ? firstRound.get(i - 1) : pick(r, totalWeight);
      boolean inFirstRound = i <= firstRound.size();
      int target = r.nextInt(1 << 20);
      long fault;
      int amount = 0;
      switch (kind) {
        // In the first round a kill is short (the worker comes back before it expires: nothing
        // may move) and a silence long (it expires: its configs move, it must drop them on return).
        case WORKER_KILL -> fault = !inFirstRound && r.nextBoolean()
            ? between(r, exp + 2000, exp + 4000)
            : between(r, 500, exp - 2000);
        case WORKER_SILENT -> fault = inFirstRound || r.nextBoolean()
            ? between(r, exp + 2000, exp + 4000)
            : between(r, 500, exp - 2000);
        case LEADER_KILL -> fault = between(r, 500, 3000);
        case REPLICA_PAUSE -> fault = r.nextBoolean()
            ? between(r, 300, session / 2)
            : between(r, session + session / 4, 2 * session);
        case ZK_SERVER_KILL -> fault = between(r, 1000, 6000);
        case ZK_CUT -> fault = between(r, 500, 2 * session);
        case WORKER_LINK_CUT -> fault = between(r, 500, exp);
        case ZK_DELAY, WORKER_LINK_DELAY -> {
          fault = between(r, 1000, 4000);
          amount = (int) between(r, 20, 400);
        }
        default -> {
          fault = 0;
          amount = (int) between(r, 1, 20);
        }
      }
      Duration gap = Duration.ofMillis(between(r, 200, 3000));
      events.add(new ChaosEvent(i, kind, target, Duration.ofMillis(fault), amount, gap));
    }
    return List.copyOf(events);
  }

  private static EventKind pick(Random r, int totalWeight) {
    int x = r.nextInt(totalWeight);
    for (EventKind k : EventKind.values()) {
      x -= k.weight;
      if (x < 0) {
        return k;
      }
    }
    throw new AssertionError("weights");
  }

  private static long between(Random r, long lo, long hi) {
    return hi <= lo ? lo : lo + (long) (r.nextDouble() * (hi - lo));
  }
}
