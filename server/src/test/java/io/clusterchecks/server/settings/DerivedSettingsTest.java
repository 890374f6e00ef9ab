package io.clusterchecks.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.dispatch.DispatcherSettings.Balancing.BandRule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values computed from keys, and the rules the keys share with the dispatcher. */
class DerivedSettingsTest {

  @Test
  void theDefaultKeysGiveTheDispatchersOwnDefaults() {
    assertThat(DerivedSettings.dispatcherSettings(SettingsLoader.defaults()))
        .isEqualTo(DispatcherSettings.defaults().withBalancing(DispatcherSettings.Balancing.defaults()));
  }

  @Test
  void bandsArePercentagesOfTheMean() {
    AgentSettings s = SettingsLoader.load(null, Map.of("DD_CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE", "3",
        "DD_CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE", "8", "DD_CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE", "10",
        "DD_CLUSTER_CHECKS_REBALANCE_MAX_MOVES", "50", "DD_CLUSTER_CHECKS_EXCLUDE_CHECKS_FROM_DISPATCHING", "ksm"));
    DispatcherSettings.Balancing b = DerivedSettings.balancing(s.clusterChecks());
    assertThat(b.target()).isEqualTo(1.03);
    assertThat(b.trigger()).isEqualTo(1.08);
    assertThat(b.fillBelow()).isEqualTo(0.9);
    assertThat(b.moveBudget()).isEqualTo(50);
    assertThat(b.excludeFromDispatching()).containsExactly("ksm");
  }

  @ParameterizedTest(name = "rebalance every {0}: stats every {1} ms")
  @CsvSource({"10m, 60000", "2m, 60000", "90s, 45000", "3s, 1500", "1s, 1000", "1ms, 1000"})
  void runnerStatsAreCollectedTwicePerRebalanceWithinASecondAndAMinute(String rebalance, long statsMillis) {
    AgentSettings s = SettingsLoader.load(null, Map.of("DD_CLUSTER_CHECKS_REBALANCE_PERIOD", rebalance));
    assertThat(DerivedSettings.runnerStatsPeriod(s.clusterChecks())).isEqualTo(Duration.ofMillis(statsMillis));
    assertThat(DerivedSettings.runnerStatsKeptFor(s.clusterChecks())).isEqualTo(Duration.ofMillis(3 * statsMillis));
  }

  /** The band rules are the dispatcher's: the loader names the keys, then gives the same reason. */
  @ParameterizedTest
  @CsvSource({"5, 2, 6, TRIGGER, cluster_checks.rebalance_trigger_percentage (2)",
      "5, 6, 3, FILL_BELOW, cluster_checks.rebalance_fill_below_percentage (3)"})
  void aBandTighterThanTheTargetIsRefusedWithTheDispatchersReason(int target, int trigger, int fill, BandRule rule,
      String named) {
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of(
        "DD_CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE", String.valueOf(target),
        "DD_CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE", String.valueOf(trigger),
        "DD_CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE", String.valueOf(fill))))
        .isInstanceOf(SettingsException.class)
        .hasMessage(named + " must be at least cluster_checks.rebalance_target_percentage (" + target + "): "
            + rule.why());
    assertThatThrownBy(() -> new DispatcherSettings.Balancing(true, java.util.Set.of(), DerivedSettings.above(target),
        DerivedSettings.above(trigger), DerivedSettings.below(fill), 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(rule.why());
  }

  @Test
  void equalBandsFit() {
    for (int p = 0; p <= 100; p++) {
      assertThat(BandRule.brokenBy(DerivedSettings.above(p), DerivedSettings.above(p), DerivedSettings.below(p)))
          .as("all bands %d%%", p).isNull();
    }
  }

  @Test
  void theUnscheduledThresholdIsRaisedByTheDispatchersRuleWithAWarning() {
    AgentSettings s = SettingsLoader.load(null, Map.of("DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", "90",
        "DD_CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD", "40"));
    Duration expected = DispatcherSettings.unscheduledThresholdFor(Duration.ofSeconds(40), Duration.ofSeconds(90));
    assertThat(s.get(Keys.CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD)).isEqualTo(expected)
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(s.warnings()).singleElement().asString().contains("using 90s");
    assertThat(DerivedSettings.dispatcherSettings(s).unscheduledCheckThreshold()).isEqualTo(expected);
  }
}
