package io.clusterchecks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The steady window's collections as {@code FullScaleLoad} reports them, from G1's log lines. */
class GcLogWindowTest {
  private static final List<String> LOG = List.of(
      "[21.525s] GC(19) Pause Young (Normal) (G1 Evacuation Pause)",
      "[21.601s] GC(19) Pause Young (Normal) (G1 Evacuation Pause) 493M->276M(750M) 76.298ms",
      "[40.000s] GC(20) Pause Young (Normal) (G1 Evacuation Pause) 576M->300M(750M) 30.000ms",
      "[41.000s] GC(21) Pause Remark 310M->305M(750M) 4.000ms",
      "[70.000s] GC(22) Pause Young (Concurrent Start) (G1 Humongous Allocation) 605M->320M(750M) 50.500ms",
      "[95.237s] GC(23) Pause Full (Diagnostic Command)",
      "[96.134s] GC(23) Pause Full (Diagnostic Command) 434M->250M(750M) 896.643ms");

  @Test
  void youngPausesInsideTheWindowAndTheAllocationBetweenTheCollectionsAroundIt() {
    GcLogWindow w = GcLogWindow.of(LOG, 34, 94);
    assertThat(w.youngPauses()).isEqualTo(2);
    assertThat(w.youngMillis()).isCloseTo(80.5, within(0.001));
    assertThat(w.longestMillis()).isCloseTo(50.5, within(0.001));
    // (576 - 276) + (310 - 300) + (605 - 305) + (434 - 320), from 21.601 s to 96.134 s
    assertThat(w.allocatedMiB()).isEqualTo(724);
    assertThat(w.seconds()).isCloseTo(96.134 - 21.601, within(0.001));
    assertThat(w.allocatedMiBPerMinute()).isCloseTo(724 / (96.134 - 21.601) * 60, within(0.001));
  }

  @Test
  void noCollectionAfterTheWindowMeansNoRate() {
    GcLogWindow w = GcLogWindow.of(LOG.subList(0, 5), 34, 94);
    assertThat(w.youngPauses()).isEqualTo(2);
    assertThat(w.allocatedMiBPerMinute()).isNaN();
  }
}
