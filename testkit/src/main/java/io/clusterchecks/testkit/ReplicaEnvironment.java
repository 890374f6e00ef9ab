package io.clusterchecks.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of an agent replica started as a process on loopback, as the shipped-jar tests
 * and the chaos suite start them: the shared token, the worker API on 127.0.0.1 at the given port
 * (advertised there too, so followers forward to it), metrics and health on free ports, and the
 * conf.d to read. Callers add what their run needs (warmup, leader election, pod name).
 */
public final class ReplicaEnvironment {
  private ReplicaEnvironment() {}

  /** A new, mutable map with the settings every loopback replica shares. */
  public static Map<String, String> loopback(String token, int port, Path confd) {
    Map<String, String> env = new HashMap<>();
    env.put("DD_CLUSTER_AGENT_AUTH_TOKEN", token);
    env.put("DD_CLUSTER_AGENT_CMD_HOST", "127.0.0.1");
    env.put("DD_CLUSTER_AGENT_ADVERTISE_HOST", "127.0.0.1");
    env.put("DD_CLUSTER_AGENT_CMD_PORT", Integer.toString(port));
    env.put("DD_METRICS_PORT", "0");
    env.put("DD_HEALTH_PORT", "0");
    env.put("DD_CONFD_PATH", confd.toString());
    return env;
  }
}
