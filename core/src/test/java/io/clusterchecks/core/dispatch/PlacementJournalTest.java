package io.clusterchecks.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The journal's window stays within its limit whatever the batches, and reaches back exactly as
 * far as it says: changes since its oldest version are told, since anything older they are not.
 */
class PlacementJournalTest {

  @Test
  void theWindowNeverCostsMoreThanTheLimitAndReachesBackAsFarAsItSays() {
    long seed = Long.getLong("placement.journal.seed", System.nanoTime());
    System.out.println("PlacementJournalTest seed " + seed + " (replay with -Dplacement.journal.seed=" + seed + ")");
    Random random = new Random(seed);
    int limit = 200;
    PlacementJournal journal = new PlacementJournal(limit);
    long version = (1L << 32) + 1;
    journal.cut(version);
    for (int i = 0; i < 2_000; i++) {
      int changes = random.nextInt(10) == 0 ? random.nextInt(400) : random.nextInt(20);
      for (int c = 0; c < changes; c++) {
        if (random.nextBoolean()) {
          journal.placed(random.nextInt(50), "w" + random.nextInt(5));
        } else {
          journal.removed(random.nextInt(50));
        }
      }
      PlacementChanges window = journal.cut(++version);
      assertThat(window.cost()).isLessThanOrEqualTo(limit);
      assertThat(window.newestVersion()).isEqualTo(version);
      assertThat(window.since(window.oldestVersion())).isPresent();
      assertThat(window.since(version)).get().extracting(PlacementDelta::size).isEqualTo(0);
      if (window.oldestVersion() > (1L << 32) + 1) {
        assertThat(window.since(window.oldestVersion() - 1)).isEmpty();
      }
    }
  }

  @Test
  void eachDigestIsToldOnceWithItsLastState() {
    PlacementJournal journal = new PlacementJournal(100);
    journal.cut(10);
    journal.placed(0xa, "w1");
    journal.placed(0xb, "w1");
    journal.cut(11);
    journal.removed(0xa);
    journal.placed(0xb, "w2");
    journal.placed(0xc, "w2");
    journal.removed(0xc);
    PlacementChanges window = journal.cut(12);

    PlacementDelta delta = window.since(10).orElseThrow();
    assertThat(delta.placed()).containsExactlyInAnyOrderEntriesOf(Map.of("b", "w2"));
    assertThat(delta.removed()).containsExactlyInAnyOrder("a", "c");
    assertThat(delta.applyTo(Map.of("a", "w0", "z", "w9"))).containsExactlyInAnyOrderEntriesOf(
        Map.of("b", "w2", "z", "w9"));
    assertThat(window.since(11).orElseThrow().placed()).containsExactlyInAnyOrderEntriesOf(Map.of("b", "w2"));
    assertThat(window.since(9)).as("never issued").isEmpty();
  }

  @Test
  void aTransitionOverTheLimitAndAResetStartANewWindow() {
    PlacementJournal journal = new PlacementJournal(10);
    journal.cut(1);
    for (int i = 0; i < 20; i++) {
      journal.placed(i, "w");
    }
    PlacementChanges window = journal.cut(2);
    assertThat(window.since(1)).isEmpty();
    assertThat(window.since(2)).isPresent();

    journal.reset();
    assertThat(journal.window().since(2)).isEmpty();
    assertThat(journal.cut(3).since(3)).isPresent();
  }
}
