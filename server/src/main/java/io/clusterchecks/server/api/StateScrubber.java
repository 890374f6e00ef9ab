package io.clusterchecks.server.api;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.SecretScrubber;
import io.clusterchecks.core.wire.StateResponse;
import java.util.List;

/**
 * The state answer of {@code ?scrub=true}: every config's instances, {@code init_config} and
 * {@code logs} with secrets hidden ({@link SecretScrubber}), and the real check IDs beside them,
 * because IDs hash the real bytes and clients would otherwise derive IDs of checks that do not run.
 */
final class StateScrubber {
  private StateScrubber() {}

  static StateResponse scrub(StateResponse state) {
    List<StateResponse.Node> nodes = state.nodes().stream()
        .map(n -> new StateResponse.Node(n.name(), scrubAll(n.configs()), idsOf(n.configs()), n.provisional()))
        .toList();
    return new StateResponse(state.notRunning(), state.warmup(), nodes, scrubAll(state.dangling()),
        state.configErrors(), state.leaderIp(), idsOf(state.dangling()));
  }

  private static List<Config> scrubAll(List<Config> configs) {
    return configs.stream().map(SecretScrubber::scrubConfig).toList();
  }

  private static List<List<String>> idsOf(List<Config> configs) {
    return configs.stream().map(StateScrubber::ids).toList();
  }

  private static List<String> ids(Config c) {
    try {
      return CheckIds.checkIds(c);
    } catch (RuntimeException e) {
      // A config whose instances do not parse has no ID; the client shows "?" for it.
      return List.of();
    }
  }
}
