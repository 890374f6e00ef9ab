package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.time.TaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Workers that the previous leader's placement names and that have not reported to this leader
 * yet. A new leader cannot tell a worker that died from one that is still waiting on the old
 * leader (a frozen leader, a slow election, a follower still forwarding to it), so such a worker
 * is given the same grace as any node: it keeps its configs, assigned to it and not dangling,
 * until it has been silent for {@code node_expiration_timeout}. If it reports meanwhile it simply
 * continues, nothing moved; if not, it expires like any node and its configs are dispatched again.
 *
 * <p>Its silence is counted from the later of its last report the previous leader saw and the
 * start of this leadership. Every report the previous leader saw came before this replica led (a
 * replica copies a placement only while it follows, or keeps its own when it steps down), so the
 * later of the two is always the leadership start, read on this replica's own clock: no age nor
 * timestamp from another replica is needed, and no other replica's clock is trusted. Every
 * provisional node thus expires at the same instant, {@code leadership start + timeout}.
 *
 * <p>A provisional node is never in {@link Placement}: nothing new is placed on a worker that may
 * be dead. Dispatch thread only.
 */
final class ProvisionalNodes {
  private final long timeoutMillis;
  /** By name, so expiries are logged in a stable order. */
  private final TreeMap<String, NodeState> byName = new TreeMap<>();
  private long leadershipStartMillis;
  private TaskScheduler.Cancellable timer;

  ProvisionalNodes(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** A leadership starts now. */
  void lead(long nowMillis) {
    leadershipStartMillis = nowMillis;
  }

  /** When every provisional node that has not reported by then expires. */
  long deadlineMillis() {
    return leadershipStartMillis + timeoutMillis;
  }

  long leadershipStartMillis() {
    return leadershipStartMillis;
  }

  boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** The provisional node named {@code name}, created if needed. */
  NodeState hold(String name) {
    return byName.computeIfAbsent(name, n -> {
      NodeState node = new NodeState(n);
      node.provisional = true;
      return node;
    });
  }

  /** The worker reported: its node, no longer provisional, or null if it was not one. */
  NodeState claim(String name) {
    NodeState node = byName.remove(name);
    if (node != null) {
      node.provisional = false;
    }
    return node;
  }

  Collection<NodeState> all() {
    return byName.values();
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  /** Removes and returns the provisional nodes, in name order. */
  List<NodeState> takeAll() {
    List<NodeState> out = new ArrayList<>(byName.values());
    byName.clear();
    return out;
  }

  /** Puts back a node that must stay provisional (its report is queued behind the expiry). */
  void keep(NodeState node) {
    byName.put(node.name, node);
  }

  /** Arms the one expiry timer at the deadline, unless armed already. */
  void armExpiry(TaskScheduler scheduler, long nowMillis, Runnable expire) {
    if (timer == null && !byName.isEmpty()) {
      timer = scheduler.schedule(() -> {
        timer = null;
        expire.run();
      }, Duration.ofMillis(Math.max(0, deadlineMillis() - nowMillis)));
    }
  }

  /** Leadership lost: forget every provisional node and the timer. */
  void clear() {
    byName.clear();
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
