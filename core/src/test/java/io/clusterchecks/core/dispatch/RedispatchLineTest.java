package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The line of a re-dispatched chunk names the first 20 nodes with their counts and counts the
 * rest: it listed every node, a line as long as the fleet per 10,000 configs after a mass expiry.
 */
class RedispatchLineTest {

  @Test
  void aChunkOverFiftyNodesNamesTwentyAndCountsTheRest() {
    try (DispatcherLines lines = new DispatcherLines()) {
      DispatcherFixture f = new DispatcherFixture().active();
      List<Config> configs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        configs.add(clusterCheck("c" + i));
      }
      f.dispatcher.schedule(configs); // no node yet: they wait
      for (int i = 0; i < 50; i++) {
        f.report(String.format("runner-%02d", i), 0);
      }
      f.time.advance(f.settings.arrivalWindow());

      List<String> redispatched = lines.messages().stream().filter(m -> m.startsWith("Re-dispatched")).toList();
      assertThat(redispatched).singleElement().asString()
          .startsWith("Re-dispatched 200 dangling configs: {runner-00=4, runner-01=4, ")
          .contains("runner-19=4, ... (30 more nodes)}")
          .doesNotContain("runner-20");
      assertThat(f.stats().danglingConfigs()).isZero();
    }
  }
}
