package io.clusterchecks.server.stats;

import java.util.Objects;

/**
 * A runner to ask for stats: the node (worker) name the dispatcher knows it by, and the client IP
 * the worker last sent as {@code X-Real-Ip} (behaviour doc §1.5). An empty IP is allowed: the
 * collection then fails for that node without a request, as in the reference.
 */
public record RunnerTarget(String node, String ip) {
  public RunnerTarget {
    Objects.requireNonNull(node, "node");
    if (node.isEmpty()) {
      throw new IllegalArgumentException("empty node name");
    }
    ip = ip == null ? "" : ip.strip();
  }
}
