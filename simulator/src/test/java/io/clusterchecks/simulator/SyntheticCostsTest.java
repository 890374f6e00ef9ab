package io.clusterchecks.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.simulator.SyntheticCosts.Cost;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticCostsTest {
  private static final Config HTTP = Config.builder("http_check")
      .instanceYaml("name: a\nurl: http://a\n", "name: b\nurl: http://b\n", "url: http://c\n")
      .initConfigYaml("timeout: 5\n").build();
  private static final Config KSM = Config.builder("kubernetes_state_core").instanceYaml("collectors: [pods]\n").build();

  private static Map<String, Config> byDigest(Config... configs) {
    Map<String, Config> m = new LinkedHashMap<>();
    for (Config c : configs) {
      m.put(Digests.digest(c), c);
    }
    return m;
  }

  @Test
  void statsCoverEveryInstanceKeyedByTheAgentsCheckIds() {
    SyntheticCosts costs = SyntheticCosts.builder()
        .checkName("http_check", Cost.of(5).withMetricSamples(3))
        .checkName("kubernetes_state_core", Cost.of(4000).withInterval(Duration.ofSeconds(30)))
        .build();
    Map<String, CheckStats> stats = costs.statsFor(byDigest(HTTP, KSM), Duration.ofSeconds(61), 1_718_000_000_123L);

    Set<String> expected = new HashSet<>(CheckIds.checkIds(HTTP));
    expected.addAll(CheckIds.checkIds(KSM));
    assertThat(expected).hasSize(4);
    assertThat(stats).containsOnlyKeys(expected);
    for (String id : CheckIds.checkIds(HTTP)) {
      CheckStats s = stats.get(id);
      assertThat(s.averageExecutionTimeMs()).isEqualTo(5);
      assertThat(s.metricSamples()).isEqualTo(3);
      assertThat(s.totalRuns()).isEqualTo(61 / 15 + 1);
      assertThat(s.totalMetricSamples()).isEqualTo(3 * (61 / 15 + 1));
      assertThat(s.lastExecutionDate()).isEqualTo(1_718_000_000_123L);
      assertThat(s.lastSuccessDate()).isEqualTo(1_718_000_000L);
      assertThat(s.lastExecFailed()).isFalse();
    }
    CheckStats ksm = stats.get(CheckIds.checkIds(KSM).get(0));
    assertThat(ksm.averageExecutionTimeMs()).isEqualTo(4000);
    assertThat(ksm.totalRuns()).isEqualTo(61 / 30 + 1);
  }

  @Test
  void checkIdWinsOverDigestWinsOverNameWinsOverDefault() {
    String firstId = CheckIds.checkIds(HTTP).get(0);
    String digest = Digests.digest(HTTP);
    SyntheticCosts costs = SyntheticCosts.builder()
        .defaultCost(Cost.of(1))
        .checkName("http_check", Cost.of(2))
        .digest(digest, Cost.of(3))
        .checkId(firstId, Cost.of(4))
        .build();
    assertThat(costs.costOf(firstId, digest, "http_check").averageExecutionTimeMs()).isEqualTo(4);
    assertThat(costs.costOf("http_check:other", digest, "http_check").averageExecutionTimeMs()).isEqualTo(3);
    assertThat(costs.costOf("http_check:other", "other", "http_check").averageExecutionTimeMs()).isEqualTo(2);
    assertThat(costs.costOf("redisdb:x", "other", "redisdb").averageExecutionTimeMs()).isEqualTo(1);

    Map<String, CheckStats> stats = costs.statsFor(byDigest(HTTP, KSM), Duration.ZERO, 0);
    assertThat(stats.get(firstId).averageExecutionTimeMs()).isEqualTo(4);
    assertThat(stats.get(CheckIds.checkIds(HTTP).get(1)).averageExecutionTimeMs()).isEqualTo(3);
    assertThat(stats.get(CheckIds.checkIds(KSM).get(0)).averageExecutionTimeMs()).isEqualTo(1);
  }

  @Test
  void driftMovesTheTimingLinearlyAndNeverBelowZero() {
    SyntheticCosts costs = SyntheticCosts.builder()
        .checkName("up", Cost.of(100).withDrift(60))
        .checkName("down", Cost.of(100).withDrift(-60))
        .build();
    assertThat(costs.executionTimeMs("up:1", "d", "up", Duration.ZERO)).isEqualTo(100);
    assertThat(costs.executionTimeMs("up:1", "d", "up", Duration.ofSeconds(30))).isEqualTo(130);
    assertThat(costs.executionTimeMs("up:1", "d", "up", Duration.ofMinutes(2))).isEqualTo(220);
    assertThat(costs.executionTimeMs("down:1", "d", "down", Duration.ofMinutes(1))).isEqualTo(40);
    assertThat(costs.executionTimeMs("down:1", "d", "down", Duration.ofMinutes(10))).isZero();
  }

  @Test
  void noiseIsDeterministicGivenTheSeedAndBoundedAndChangesPerPeriod() {
    Cost noisy = Cost.of(1000).withNoise(0.2);
    SyntheticCosts a = SyntheticCosts.builder().defaultCost(noisy).seed(42).noisePeriod(Duration.ofSeconds(10)).build();
    SyntheticCosts again = SyntheticCosts.builder().defaultCost(noisy).seed(42).noisePeriod(Duration.ofSeconds(10)).build();
    SyntheticCosts other = SyntheticCosts.builder().defaultCost(noisy).seed(43).noisePeriod(Duration.ofSeconds(10)).build();

    Set<Long> seen = new HashSet<>();
    int differentFromOtherSeed = 0;
    double sum = 0;
    for (int p = 0; p < 200; p++) {
      Duration t = Duration.ofSeconds(10L * p + 3);
      long v = a.executionTimeMs("c:1", "d", "c", t);
      assertThat(again.executionTimeMs("c:1", "d", "c", t)).isEqualTo(v);
      // constant within one noise period
      assertThat(a.executionTimeMs("c:1", "d", "c", t.plusSeconds(6))).isEqualTo(v);
      assertThat(v).isBetween(800L, 1200L);
      if (other.executionTimeMs("c:1", "d", "c", t) != v) {
        differentFromOtherSeed++;
      }
      seen.add(v);
      sum += v;
    }
    assertThat(seen).hasSizeGreaterThan(50);
    assertThat(differentFromOtherSeed).isGreaterThan(150);
    assertThat(sum / 200).isCloseTo(1000, within(50.0));
    // different checks get different noise at the same moment
    assertThat(a.executionTimeMs("c:1", "d", "c", Duration.ZERO))
        .isNotEqualTo(a.executionTimeMs("c:2", "d", "c", Duration.ZERO));
  }

  @Test
  void utilizationIsTheSharedBusyTimeCappedAtOne() {
    SyntheticCosts costs = SyntheticCosts.builder()
        .checkName("http_check", Cost.of(1500)) // 3 instances x 1.5 s / 15 s = 0.3
        .checkName("kubernetes_state_core", Cost.of(3000).withInterval(Duration.ofSeconds(10))) // 0.3
        .build();
    assertThat(costs.utilizationPerWorker(byDigest(HTTP, KSM), Duration.ZERO, 2)).isCloseTo(0.3, within(1e-9));
    assertThat(costs.utilizationPerWorker(byDigest(HTTP, KSM), Duration.ZERO, 1)).isCloseTo(0.6, within(1e-9));
    assertThat(costs.utilizationPerWorker(Map.of(), Duration.ZERO, 4)).isZero();
    SyntheticCosts heavy = SyntheticCosts.builder().defaultCost(Cost.of(60_000)).build();
    assertThat(heavy.utilizationPerWorker(byDigest(KSM), Duration.ZERO, 1)).isEqualTo(1.0);
  }

  @Test
  void invalidCostsAreRejected() {
    assertThatThrownBy(() -> Cost.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cost.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cost.of(1).withNoise(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cost.of(1).withInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cost.of(1).withMetricSamples(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyntheticCosts.builder().noisePeriod(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
