package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.core.wire.NodeType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The workers that report, and when each expires (docs/reference/dispatcher.md sections 5, 7).
 * Ours: a node expires exactly {@code node_expiration_timeout} after its last heartbeat, from one
 * deadline per node in a priority queue and one timer for the earliest, rather than on a
 * half-timeout ticker. Workers the previous leader's placement names and that have not reported
 * yet are kept apart ({@link ProvisionalNodes}). Dispatch thread only.
 */
final class NodeRegistry {

  private record Deadline(long atMillis, NodeState node) {}

  private final Heartbeats heartbeats;
  private final long timeoutMillis;
  private final Map<String, NodeState> nodes = new HashMap<>();
  private final ProvisionalNodes provisional;
  private final PriorityQueue<Deadline> expiries =
      new PriorityQueue<>(Comparator.comparingLong(Deadline::atMillis));
  private TaskScheduler.Cancellable timer;
  private long timerAt = Long.MAX_VALUE;
  /** Reporting nodes per type, kept as nodes come, go and change type. */
  private final EnumMap<NodeType, Integer> types = new EnumMap<>(NodeType.class);

  NodeRegistry(Heartbeats heartbeats, Duration timeout) {
    this.heartbeats = heartbeats;
    this.timeoutMillis = timeout.toMillis();
    this.provisional = new ProvisionalNodes(timeoutMillis);
  }

  NodeState get(String name) {
    return nodes.get(name);
  }

  Collection<NodeState> all() {
    return nodes.values();
  }

  int size() {
    return nodes.size();
  }

  boolean isEmpty() {
    return nodes.isEmpty();
  }

  ProvisionalNodes provisional() {
    return provisional;
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  /** Node agents reporting: they switch load-aware dispatching off while in the pool. */
  int nodeAgents() {
    return types.getOrDefault(NodeType.NODE_AGENT, 0);
  }

  /** Reporting nodes per type, every type present (immutable copy). */
  Map<NodeType, Integer> typeCounts() {
    EnumMap<NodeType, Integer> out = new EnumMap<>(NodeType.class);
    for (NodeType t : NodeType.values()) {
      out.put(t, types.getOrDefault(t, 0));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * A worker whose first status is recorded becomes a node: the provisional node of the same
   * name if the previous placement named it (it keeps its configs), else a new one. Null when it
   * is known already or expired again before this ran.
   */
  NodeState register(String name) {
    Heartbeats.Liveness l = heartbeats.get(name);
    if (nodes.containsKey(name) || l == null) {
      return null;
    }
    NodeState claimed = provisional.claim(name);
    NodeState node = claimed != null ? claimed : new NodeState(name);
    node.type = l.type;
    nodes.put(name, node);
    types.merge(node.type, 1, Integer::sum);
    expiries.add(new Deadline(l.lastHeartbeatMillis + timeoutMillis, node));
    return node;
  }

  /**
   * Removes and returns every node whose last heartbeat is at least the timeout old at
   * {@code nowMillis}. A heartbeat racing this wins: an entry goes only if it is still the expired
   * one, so a worker that refreshed it stays, and one whose status created a new entry after the
   * removal registers again in the task that status queued. Each expiry is a line of {@code log}.
   */
  List<NodeState> expire(long nowMillis, BurstLog log) {
    timer = null;
    timerAt = Long.MAX_VALUE;
    List<NodeState> expired = new ArrayList<>();
    Deadline head;
    while ((head = expiries.peek()) != null && head.atMillis() <= nowMillis) {
      expiries.poll();
      NodeState node = head.node();
      if (nodes.get(node.name) != node) {
        continue; // stale entry of a node that already went
      }
      Heartbeats.Liveness l = heartbeats.get(node.name);
      long last = l == null ? Long.MIN_VALUE / 2 : l.lastHeartbeatMillis;
      if (l == null || heartbeats.removeIfExpired(node.name, nowMillis, timeoutMillis) != null) {
        if (!node.name.isEmpty()) {
          log.event(node.name, "Expiring out node {}, last status report {} seconds ago; {} configs to dispatch again",
              node.name, (nowMillis - last) / 1000, node.configs.size());
        }
        nodes.remove(node.name);
        types.merge(node.type, -1, Integer::sum);
        expired.add(node);
      } else {
        Heartbeats.Liveness fresh = heartbeats.get(node.name);
        expiries.add(new Deadline((fresh == null ? nowMillis : fresh.lastHeartbeatMillis) + timeoutMillis, node));
      }
    }
    return expired;
  }

  /**
   * Every provisional node that has not reported by {@code nowMillis} (the leadership start plus
   * the timeout) is removed and returned. One whose first status is recorded but whose
   * registration is queued behind this task stays: the registration makes it a node. Each
   * expiry is a line of {@code log}.
   */
  List<NodeState> expireProvisional(long nowMillis, BurstLog log) {
    List<NodeState> expired = new ArrayList<>();
    for (NodeState node : provisional.takeAll()) {
      if (heartbeats.get(node.name) != null) {
        provisional.keep(node);
        continue;
      }
      if (!node.name.isEmpty()) {
        log.event(node.name, "Expiring out node {}: named by the previous placement, it has not reported since this replica"
            + " leads, {} seconds ago; {} configs to dispatch again", node.name,
            (nowMillis - provisional.leadershipStartMillis()) / 1000, node.configs.size());
      }
      expired.add(node);
    }
    return expired;
  }

  /** Arms the one expiry timer at the earliest deadline, if it is not armed there already. */
  void armTimer(TaskScheduler scheduler, InstantSource clock, Runnable check) {
    Deadline head = expiries.peek();
    if (head == null || head.atMillis() == timerAt) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    timerAt = head.atMillis();
    timer = scheduler.schedule(check, Duration.ofMillis(Math.max(0, head.atMillis() - clock.millis())));
  }

  /** Node types as the heartbeats now say. */
  void refreshTypes() {
    types.clear();
    for (NodeState n : nodes.values()) {
      Heartbeats.Liveness l = heartbeats.get(n.name);
      if (l != null) {
        n.type = l.type;
      }
      types.merge(n.type, 1, Integer::sum);
    }
  }

  /** Leadership lost: no node, no provisional node, no timer. */
  void clear() {
    nodes.clear();
    provisional.clear();
    expiries.clear();
    types.clear();
    if (timer != null) {
      timer.cancel();
      timer = null;
      timerAt = Long.MAX_VALUE;
    }
  }
}
