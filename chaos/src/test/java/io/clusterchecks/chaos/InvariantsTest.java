package io.clusterchecks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The invariants on hand-made looks: each promise is caught when broken and quiet when kept. */
class InvariantsTest {
  @TempDir
  Path tmp;
  private ConfdCorpus corpus;
  private Invariants inv;
  private final ChaosOptions options = new ChaosOptions(1, 1, Duration.ofMinutes(1), 3, 2, Duration.ofSeconds(6),
      Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(1));

  @BeforeEach
  void corpus() throws IOException {
    corpus = new ConfdCorpus(tmp.resolve("conf.d"));
    corpus.addNew(2); // cfg-00000.yaml, cfg-00001.yaml at revision 0
    inv = new Invariants(corpus, options);
  }

  static Config config(String file, int rev) {
    return Config.builder("http_check").source("file:/etc/conf.d/http_check.d/" + file)
        .instanceYaml("name: " + file + "\nrev: " + rev + "\n").build();
  }

  static Map<String, Config> held(Config... configs) {
    Map<String, Config> out = new java.util.LinkedHashMap<>();
    for (Config c : configs) {
      out.put(Digests.digest(c), c);
    }
    return out;
  }

  private static ObservedWorld look(long nanos, Map<String, Map<String, Config>> holdings, Set<String> silent) {
    return new ObservedWorld(nanos, holdings, silent, List.of(), Map.of());
  }

  @Test
  void aConfigOnTwoPostingWorkersIsAViolation() {
    Config a = config("cfg-00000.yaml", 0);
    inv.observe(look(1, Map.of("w1", held(a), "w2", held(a)), Set.of()));
    assertThat(inv.violations()).singleElement().asString().contains("none of them silent");
  }

  @Test
  void aConfigOnASilentWorkerAndItsNewWorkerIsTheMeasuredWindow() {
    Config a = config("cfg-00000.yaml", 0);
    inv.observe(look(1_000_000_000L, Map.of("w1", held(a), "w2", held(a)), Set.of("w1")));
    inv.observe(look(1_500_000_000L, Map.of("w1", held(a), "w2", held(a)), Set.of("w1")));
    inv.observe(look(3_000_000_000L, Map.of("w1", held(), "w2", held(a)), Set.of()));
    assertThat(inv.violations()).isEmpty();
    assertThat(inv.doubleRuns()).isEqualTo(1);
    assertThat(inv.maxDoubleRunMillis()).isEqualTo(2000);
  }

  @Test
  void aConfigNoFileEverHeldIsInvented() {
    inv.observe(look(1, Map.of("w1", held(config("cfg-99999.yaml", 0))), Set.of()));
    assertThat(inv.violations()).singleElement().asString().contains("no conf.d file ever held");
  }

  @Test
  void aWorkerActingOnAnOlderTermIsCaught() {
    inv.applied("w1", 3L << 32 | 7);
    inv.applied("w1", 3L << 32 | 9);
    inv.applied("w1", 0); // a flush holds nothing
    assertThat(inv.violations()).isEmpty();
    inv.applied("w1", 2L << 32 | 40);
    assertThat(inv.violations()).singleElement().asString().contains("term 2 after one of term 3");
  }

  @Test
  void movesOffAWorkerThatDidNotDieAreFalseExpiries() {
    Map<String, String> before = Map.of("d1", "w1", "d2", "w2", "d3", "w3");
    Map<String, String> after = Map.of("d1", "w2", "d2", "w2", "d3", "w1");
    int[] allowed = inv.moves("e", before, after, Set.of("w1", "w3"));
    assertThat(allowed).containsExactly(2, 0);
    assertThat(inv.violations()).isEmpty();
    int[] notAllowed = inv.moves("e", before, after, Set.of("w1"));
    assertThat(notAllowed).containsExactly(2, 1);
    assertThat(inv.violations()).singleElement().asString().contains("[w3]");
  }
}
