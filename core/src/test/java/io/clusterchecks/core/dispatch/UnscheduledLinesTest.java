package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A conf.d nobody runs (no worker reports) is flagged unscheduled config by config, as the
 * reference does, but logged in a bounded number of lines: a million configs once wrote a million
 * lines and kept the dispatch thread busy for minutes.
 */
class UnscheduledLinesTest {

  @Test
  void aRoundThatFlagsManyConfigsLogsTheFirstFewAndOneLineForTheRest() {
    try (DispatcherLines lines = new DispatcherLines()) {
      DispatcherFixture f = new DispatcherFixture().active();
      List<Config> configs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        configs.add(clusterCheck("c" + i));
      }
      f.dispatcher.schedule(configs);
      f.time.advance(f.settings.unscheduledCheckThreshold().plus(Duration.ofSeconds(1)));

      assertThat(f.stats().unscheduledChecks()).as("every config counted").isEqualTo(100);
      List<String> warned = lines.messages().stream().filter(m -> m.startsWith("Detected")).toList();
      assertThat(warned).hasSize(WaitingConfigs.DETAIL_LOG_LIMIT + 1);
      assertThat(warned.get(0)).startsWith("Detected unscheduled check config. Name:c0");
      assertThat(warned.get(warned.size() - 1))
          .isEqualTo("Detected 80 more unscheduled check configs (100 in all; each counted in the unscheduled metric)");
    }
  }
}
