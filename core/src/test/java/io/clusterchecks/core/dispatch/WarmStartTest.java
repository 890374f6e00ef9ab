package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A new leader that starts from the previous leader's placement keeps every config on its worker
 * while that worker reports; only the configs of a worker that is gone move.
 */
class WarmStartTest {

  @Test
  void configsStayOnTheirWorkersAndOnlyADeadWorkersConfigsMove() {
    List<Config> configs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      configs.add(clusterCheck("c" + i));
    }
    // The old leader: three workers, placement by least configs.
    DispatcherFixture old = new DispatcherFixture().active();
    for (String n : List.of("w1", "w2", "w3")) {
      old.report(n, 0);
    }
    old.dispatcher.schedule(configs);
    Map<String, String> placement = old.dispatcher.placement();
    assertThat(placement).hasSize(12);

    // Skew it on purpose, so a placement from scratch would differ: w3 runs more than its share.
    // (Least-configs would never produce this, so keeping it proves the copy is honoured.)
    Map<String, String> skewed = new HashMap<>(placement);
    skewed.replaceAll((digest, node) -> node.equals("w1") && digest.compareTo("8") < 0 ? "w3" : node);

    // The new leader: w1 and w3 report during warmup; w2 died with the old leader.
    DispatcherFixture next = new DispatcherFixture();
    next.dispatcher.start(skewed);
    next.report("w1", 42);
    next.report("w3", 42);
    next.dispatcher.schedule(configs);
    for (int t = 0; t < 30; t += 10) { // workers keep reporting through the warmup
      next.time.advanceSeconds(10);
      next.heartbeat("w1");
      next.heartbeat("w3");
    }

    Map<String, String> after = next.dispatcher.placement();
    assertThat(after).hasSize(12);
    skewed.forEach((digest, node) -> {
      if (!node.equals("w2")) {
        assertThat(after.get(digest)).as("config %s stays on %s", digest, node).isEqualTo(node);
      } else {
        assertThat(after.get(digest)).as("config %s of the dead worker moves", digest).isIn("w1", "w3");
      }
    });
    // Same digests on both leaders: a worker diffing by digest restarts nothing.
    assertThat(after.keySet()).isEqualTo(placement.keySet());
  }

  @Test
  void aPlacementNamingUnknownDigestsOrNodesIsHarmless() {
    DispatcherFixture f = new DispatcherFixture(DispatcherSettings.defaults().withWarmupDuration(java.time.Duration.ofSeconds(5)));
    f.dispatcher.start(Map.of("no-such-digest", "w1", "x", "ghost"));
    f.report("w1", 0);
    f.schedule(clusterCheck("a"));
    f.time.advance(f.settings.warmupDuration());
    assertThat(f.checksOn("w1")).containsExactly("a");
  }
}
