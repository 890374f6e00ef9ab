package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.wire.NodeType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The liveness of every worker, written by HTTP threads on each status and read by the dispatch
 * thread when it checks for expiry. Kept apart from the dispatch state so a heartbeat is a map
 * lookup and two volatile writes: it never waits behind dispatch work.
 */
final class Heartbeats {

  /** One worker's last report. Fields are written by HTTP threads and read anywhere. */
  static final class Liveness {
    final String node;
    volatile long lastHeartbeatMillis;
    volatile String clientIp = "";
    volatile NodeType type = NodeType.UNKNOWN;

    Liveness(String node, long nowMillis) {
      this.node = node;
      this.lastHeartbeatMillis = nowMillis;
    }

    /** What reported and from where, for logs. */
    String describe() {
      String kind = switch (type) {
        case CLC_RUNNER -> "cluster check runner";
        case NODE_AGENT -> "node agent";
        case UNKNOWN -> "legacy agent";
      };
      return clientIp.isEmpty() ? kind : kind + " at " + clientIp;
    }
  }

  private final ConcurrentHashMap<String, Liveness> byNode = new ConcurrentHashMap<>();
  /** Entries ever created: a worker that starts (or starts again) reporting adds one. */
  private final AtomicLong arrivals = new AtomicLong();

  /**
   * Records a status from {@code node}. Returns the entry it created when the node was not known
   * (or had just expired), so the caller must register it with the dispatch thread; null when the
   * node was known.
   */
  Liveness touch(String node, long nowMillis, String clientIp, NodeType type) {
    Liveness l = byNode.get(node);
    Liveness created = null;
    if (l == null) {
      Liveness fresh = new Liveness(node, nowMillis);
      l = byNode.putIfAbsent(node, fresh);
      if (l == null) {
        l = fresh;
        created = fresh;
        arrivals.incrementAndGet();
      }
    }
    l.lastHeartbeatMillis = nowMillis;
    l.type = type;
    if (clientIp != null && !clientIp.isEmpty() && !clientIp.equals(l.clientIp)) {
      l.clientIp = clientIp;
    }
    // The expiry check may have removed this entry between our read and our write; then this
    // heartbeat must register the node again rather than vanish.
    if (created == null && byNode.get(node) != l) {
      return touch(node, nowMillis, clientIp, type);
    }
    return created;
  }

  /** Every worker that reports, with its runner address, by name: read without waiting. */
  List<RunnerTarget> targets() {
    List<RunnerTarget> out = new ArrayList<>(byNode.size());
    byNode.values().forEach(l -> out.add(new RunnerTarget(l.node, l.clientIp)));
    out.sort(Comparator.comparing(RunnerTarget::node));
    return out;
  }

  /** How many times a worker started reporting (a new one, or one that had expired); only grows. */
  long arrivals() {
    return arrivals.get();
  }

  Liveness get(String node) {
    return byNode.get(node);
  }

  /**
   * Removes the node's entry if its last heartbeat is at least {@code timeoutMillis} old,
   * atomically with respect to a concurrent {@link #touch}. Returns the entry removed, or null.
   *
   * <p>This is the only way the dispatch thread takes a live node's entry out: a heartbeat that
   * lands after this removal creates a fresh entry (and asks for a registration), and nothing
   * removes that fresh entry unless it, too, expires.
   */
  Liveness removeIfExpired(String node, long nowMillis, long timeoutMillis) {
    Liveness[] removed = {null};
    byNode.computeIfPresent(node, (k, l) -> {
      if (nowMillis - l.lastHeartbeatMillis >= timeoutMillis) {
        removed[0] = l;
        return null;
      }
      return l;
    });
    return removed[0];
  }

  /** Removes exactly {@code entry}: a newer entry for the same node (a racing heartbeat) stays. */
  void remove(Liveness entry) {
    byNode.remove(entry.node, entry);
  }

  void clear() {
    byNode.clear();
  }
}
