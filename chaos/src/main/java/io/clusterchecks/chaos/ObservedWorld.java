package io.clusterchecks.chaos;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.wire.StateResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One look at the system from outside: what every worker that is not dead holds, which of them
 * are silent, and what each replica that answered said.
 *
 * @param nanos when ({@link System#nanoTime()})
 * @param holdings worker to the configs it holds, by digest (silent workers included)
 * @param silent workers that are not posting their status now
 * @param replicas the replicas that answered
 * @param contactAgeMillis per worker that is not dead, how long since the agent last answered it
 *     (a status or configs request that succeeded); absent before its first answer
 */
record ObservedWorld(long nanos, Map<String, Map<String, Config>> holdings, Set<String> silent,
    List<ReplicaProbe.View> replicas, Map<String, Long> contactAgeMillis) {

  /** Digest to the workers holding it. */
  Map<String, List<String>> holders() {
    Map<String, List<String>> out = new HashMap<>();
    holdings.forEach((w, configs) -> configs.keySet()
        .forEach(d -> out.computeIfAbsent(d, k -> new ArrayList<>()).add(w)));
    return out;
  }

  /** Digest to worker, for workers that post their status (where each config runs). */
  Map<String, String> placement() {
    Map<String, String> out = new TreeMap<>();
    holdings.forEach((w, configs) -> {
      if (!silent.contains(w)) {
        configs.keySet().forEach(d -> out.put(d, w));
      }
    });
    return out;
  }

  /** The leader's view when exactly one replica says it leads. */
  Optional<ReplicaProbe.View> soleLeader() {
    List<ReplicaProbe.View> leaders = replicas.stream().filter(ReplicaProbe.View::leader).toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  long leaderCount() {
    return replicas.stream().filter(ReplicaProbe.View::leader).count();
  }

  /**
   * Why the world is not settled yet, or empty when it is: every file of conf.d at its current
   * revision held by exactly one worker, nothing else held, and (when {@code withState}) one
   * leader out of warmup whose placement and state name, worker by worker, exactly the configs
   * they hold.
   */
  Optional<String> unsettled(Map<String, Integer> expected, boolean withState) {
    if (!silent.isEmpty()) {
      return Optional.of(silent.size() + " worker(s) silent");
    }
    Map<ConfigIdentity, Integer> held = new HashMap<>();
    for (Map<String, Config> configs : holdings.values()) {
      for (Config c : configs.values()) {
        held.merge(ConfigIdentity.of(c), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      int n = held.getOrDefault(new ConfigIdentity(e.getKey(), e.getValue()), 0);
      if (n != 1) {
        return Optional.of(e.getKey() + "@" + e.getValue() + " held by " + n + " worker(s)");
      }
    }
    for (ConfigIdentity id : held.keySet()) {
      if (!Integer.valueOf(id.revision()).equals(expected.get(id.file()))) {
        return Optional.of(id + " held but not in conf.d");
      }
    }
    if (!withState) {
      return Optional.empty();
    }
    Optional<ReplicaProbe.View> leader = soleLeader();
    if (leader.isEmpty()) {
      return Optional.of(leaderCount() + " replica(s) say they lead");
    }
    if (leader.get().warmup()) {
      return Optional.of("leader in warmup");
    }
    Optional<String> placementDiffers = differs("placement", said(leader.get().placement()));
    if (placementDiffers.isPresent()) {
      return placementDiffers;
    }
    StateResponse state = leader.get().state();
    if (state == null) {
      return Optional.of("no state read yet");
    }
    if (state.warmup()) {
      return Optional.of("leader in warmup");
    }
    if (!state.dangling().isEmpty()) {
      return Optional.of(state.dangling().size() + " dangling config(s) in the leader's state");
    }
    Map<String, Set<String>> said = new HashMap<>();
    for (StateResponse.Node n : state.nodes()) {
      Set<String> digests = new HashSet<>();
      n.configs().forEach(c -> digests.add(Digests.digest(c)));
      said.put(n.name(), digests);
    }
    return differs("state API", said);
  }

  private static Map<String, Set<String>> said(Map<String, String> placement) {
    Map<String, Set<String>> out = new HashMap<>();
    placement.forEach((digest, worker) -> out.computeIfAbsent(worker, k -> new HashSet<>()).add(digest));
    return out;
  }

  /** Whether the leader's account, worker to digests, differs from what the workers hold. */
  private Optional<String> differs(String what, Map<String, Set<String>> said) {
    for (Map.Entry<String, Map<String, Config>> e : holdings.entrySet()) {
      Set<String> s = said.getOrDefault(e.getKey(), Set.of());
      if (!s.equals(e.getValue().keySet())) {
        return Optional.of(what + " says " + e.getKey() + " runs " + s.size() + " config(s), it holds "
            + e.getValue().size());
      }
    }
    for (Map.Entry<String, Set<String>> e : said.entrySet()) {
      if (!e.getValue().isEmpty() && !holdings.containsKey(e.getKey())) {
        return Optional.of(what + " gives " + e.getValue().size() + " config(s) to " + e.getKey()
            + ", which is not running");
      }
    }
    return Optional.empty();
  }
}
