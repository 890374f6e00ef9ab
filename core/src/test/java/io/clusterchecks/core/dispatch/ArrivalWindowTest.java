package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Configs that wait for a node are spread over the workers as they arrive, never all given to
 * the first one that reports.
 */
class ArrivalWindowTest {

  @Test
  void waitingConfigsAreSharedByWorkersReportingOneAfterAnother() {
    DispatcherFixture f = new DispatcherFixture().active(); // warmup over, no worker reported
    List<Config> configs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      configs.add(clusterCheck("c" + i));
    }
    f.dispatcher.schedule(configs);
    assertThat(f.stats().danglingConfigs()).isEqualTo(100);

    int workers = 5;
    int fairShare = 100 / workers;
    List<String> reported = new ArrayList<>();
    for (int second = 1; second <= 30; second++) {
      f.time.advanceSeconds(1);
      if (reported.size() < workers) {
        String w = "w" + reported.size();
        f.report(w, 0);
        reported.add(w);
      }
      reported.forEach(f::heartbeat);
      for (String w : reported) {
        assertThat(f.checksOn(w).size()).as("%s at %d s", w, second).isLessThanOrEqualTo(fairShare + 1);
      }
    }
    assertThat(f.stats().danglingConfigs()).isZero();
    for (String w : reported) {
      assertThat(f.checksOn(w)).hasSize(fairShare);
    }
  }

  @Test
  void theWindowHoldsOnlyWhenNoWorkerWasReporting() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("w0", 0);
    f.schedule(clusterCheck("a"));
    assertThat(f.checksOn("w0")).as("a worker reports: placed at once").containsExactly("a");
    f.report("w1", 0);
    f.schedule(clusterCheck("b"));
    assertThat(f.checksOn("w1")).containsExactly("b");
  }

  @Test
  void configsAddedDuringTheWindowWaitForItToo() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.schedule(clusterCheck("a"));
    f.report("w0", 0);
    f.schedule(clusterCheck("b"), clusterCheck("c"), clusterCheck("d"));
    assertThat(f.checksOn("w0")).isEmpty();
    f.time.advanceSeconds(3);
    f.report("w1", 0);
    f.time.advance(f.settings.arrivalWindow().minusSeconds(3));
    assertThat(f.checksOn("w0")).hasSize(2);
    assertThat(f.checksOn("w1")).hasSize(2);
  }
}
