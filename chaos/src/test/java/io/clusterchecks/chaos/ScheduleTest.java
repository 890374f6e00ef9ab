package io.clusterchecks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ScheduleTest {
  private static ChaosOptions options(long seed, int events) {
    return new ChaosOptions(seed, events, Duration.ofMinutes(5), 20, 100, Duration.ofSeconds(6),
        Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(1));
  }

  @Property(tries = 50)
  void theSameSeedGivesTheSameSchedule(@ForAll long seed) {
    assertThat(Schedule.generate(options(seed, 40))).isEqualTo(Schedule.generate(options(seed, 40)));
  }

  @Property(tries = 50)
  void theFirstRoundMeetsEveryKind(@ForAll long seed) {
    List<ChaosEvent> events = Schedule.generate(options(seed, EventKind.values().length));
    Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
    events.forEach(e -> kinds.add(e.kind()));
    assertThat(kinds).containsExactlyInAnyOrder(EventKind.values());
  }

  @Property(tries = 50)
  void workerFaultsAreClearlyShorterOrLongerThanTheExpiry(@ForAll long seed) {
    ChaosOptions o = options(seed, 200);
    long exp = o.expiration().toMillis();
    for (ChaosEvent e : Schedule.generate(o)) {
      if (e.kind() == EventKind.WORKER_KILL || e.kind() == EventKind.WORKER_SILENT) {
        long f = e.fault().toMillis();
        assertThat(f <= exp - 2000 || f >= exp + 2000).as("%s", e).isTrue();
      }
      assertThat(e.index()).isPositive();
      assertThat(e.gap()).isPositive();
    }
  }

  @Property(tries = 20)
  void differentSeedsGiveDifferentSchedules(@ForAll long seed) {
    assertThat(Schedule.generate(options(seed, 30))).isNotEqualTo(Schedule.generate(options(seed + 1, 30)));
  }
}
