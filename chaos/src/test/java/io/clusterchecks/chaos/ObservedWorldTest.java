package io.clusterchecks.chaos;

import static io.clusterchecks.chaos.InvariantsTest.config;
import static io.clusterchecks.chaos.InvariantsTest.held;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.wire.StateResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a look counts as settled, and what it says when it does not. */
class ObservedWorldTest {
  private final Config a = config("cfg-00000.yaml", 0);
  private final Config b = config("cfg-00001.yaml", 1);
  private final Map<String, Integer> expected = Map.of("cfg-00000.yaml", 0, "cfg-00001.yaml", 1);

  /** A leader whose placement route agrees with its state. */
  private static ReplicaProbe.View leader(StateResponse state) {
    Map<String, String> placement = new HashMap<>();
    state.nodes().forEach(n -> n.configs().forEach(c -> placement.put(Digests.digest(c), n.name())));
    return new ReplicaProbe.View(0, true, state.warmup(), 5, placement, state);
  }

  private static ObservedWorld look(Map<String, Map<String, Config>> holdings, List<ReplicaProbe.View> replicas) {
    return new ObservedWorld(1, holdings, Set.of(), replicas, Map.of());
  }

  @Test
  void settledWhenEachFileRunsOnceAndTheLeaderAgrees() {
    StateResponse state = new StateResponse("", false,
        List.of(new StateResponse.Node("w1", List.of(a)), new StateResponse.Node("w2", List.of(b))), List.of());
    ObservedWorld w = look(Map.of("w1", held(a), "w2", held(b)), List.of(leader(state)));
    assertThat(w.unsettled(expected, true)).isEmpty();
    assertThat(w.placement()).hasSize(2).containsValues("w1", "w2");
  }

  @Test
  void anOldRevisionOrAMissingFileIsNotSettled() {
    ObservedWorld stale = look(Map.of("w1", held(a, config("cfg-00001.yaml", 0))), List.of());
    assertThat(stale.unsettled(expected, false)).hasValueSatisfying(
        why -> assertThat(why).contains("cfg-00001.yaml@1 held by 0"));
    ObservedWorld twice = look(Map.of("w1", held(a, b), "w2", held(b)), List.of());
    assertThat(twice.unsettled(expected, false)).hasValueSatisfying(why -> assertThat(why).contains("held by 2"));
  }

  @Test
  void theLeadersStateMustNameWhatEachWorkerHolds() {
    ObservedWorld noLeader = look(Map.of("w1", held(a, b)), List.of());
    assertThat(noLeader.unsettled(expected, false)).isEmpty();
    assertThat(noLeader.unsettled(expected, true)).hasValue("0 replica(s) say they lead");

    StateResponse agrees = new StateResponse("", false, List.of(new StateResponse.Node("w1", List.of(a, b))),
        List.of());
    ReplicaProbe.View noState = new ReplicaProbe.View(0, true, false, 5, leader(agrees).placement(), null);
    assertThat(look(Map.of("w1", held(a, b)), List.of(noState)).unsettled(expected, false)).isEmpty();
    assertThat(look(Map.of("w1", held(a, b)), List.of(noState)).unsettled(expected, true)).hasValue("no state read yet");

    StateResponse dangling = new StateResponse("", false, List.of(new StateResponse.Node("w1", List.of(a, b))),
        List.of(b));
    assertThat(look(Map.of("w1", held(a, b)), List.of(leader(dangling))).unsettled(expected, true))
        .hasValue("1 dangling config(s) in the leader's state");

    StateResponse elsewhere = new StateResponse("", false, List.of(new StateResponse.Node("w1", List.of(a)),
        new StateResponse.Node("w9", List.of(b))), List.of());
    assertThat(look(Map.of("w1", held(a, b)), List.of(leader(elsewhere))).unsettled(expected, true))
        .hasValue("placement says w1 runs 1 config(s), it holds 2");

    StateResponse warm = new StateResponse("", true, List.of(), List.of());
    assertThat(look(Map.of("w1", held(a, b)), List.of(leader(warm))).unsettled(expected, true))
        .hasValue("leader in warmup");
  }
}
