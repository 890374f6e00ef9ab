package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTrackerReplayTest {

  private static Config check(String name) {
    return Config.builder(name).clusterCheck(true).instanceYaml("name: " + name + "\n").build();
  }

  @Test
  void replayGivesExactlyWhatIsScheduledNowAndNothingDeleted() {
    List<String> calls = new ArrayList<>();
    ConfigListener listener = new ConfigListener() {
      @Override
      public void schedule(List<Config> configs) {
        configs.forEach(c -> calls.add("+" + c.checkName()));
      }

      @Override
      public void unschedule(List<Config> configs) {
        configs.forEach(c -> calls.add("-" + c.checkName()));
      }
    };
    ConfigTracker tracker = new ConfigTracker("test", listener);
    tracker.update("ns/a", List.of(check("a1"), check("a2")));
    tracker.update("ns/b", List.of(check("b1")));
    tracker.update("ns/a", List.of());
    calls.clear();

    assertThat(tracker.replay()).isEqualTo(1);
    assertThat(calls).containsExactly("+b1");
  }
}
