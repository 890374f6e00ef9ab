package io.clusterchecks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short form of the chaos suite: three replica processes on a ZooKeeper ensemble of three,
 * 50 workers, 1,000 conf.d files, every kind of fault once in an order drawn from the seed. A
 * fixed seed keeps CI repeatable; {@code -Dchaos.seed=N} runs another schedule. The long form is a
 * command (docs/reliability.md).
 */
class ChaosShortTest {
  private static final long DEFAULT_SEED = 20261202L;

  @TempDir
  Path work;

  @Test
  void everyConfigRunsExactlyOnceThroughEveryKindOfFault() throws Exception {
    long seed = Long.getLong("chaos.seed", DEFAULT_SEED);
    System.out.println("chaos seed " + seed + " (replay with -Dchaos.seed=" + seed + ")");
    ChaosOptions options = ChaosOptions.shortForm(seed);
    ChaosReport report = new ChaosRun(options, work, System.out).run();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
    String summary = text.toString(StandardCharsets.UTF_8);
    System.out.println(summary);

    assertThat(report.violations()).as("seed %d:%n%s", seed, summary).isEmpty();
    assertThat(report.events()).as("events run, seed %d", seed).isEqualTo(options.events());
    // The schedule's first round holds every kind, so the run met each of them.
    assertThat(report.movesByKind()).as("seed %d", seed).containsOnlyKeys(EventKind.values());
    // The first round's silence outlasts the expiry: the agent moved that worker's configs (and
    // the suite checked it dropped them at its first contact back).
    assertThat(report.movesByKind().get(EventKind.WORKER_SILENT)).as("moves off the silent worker, seed %d", seed)
        .isPositive();
    // The leader was killed once at least, so a second term led.
    assertThat(report.termsSeen()).as("leadership terms, seed %d", seed).isGreaterThan(1);
  }
}
