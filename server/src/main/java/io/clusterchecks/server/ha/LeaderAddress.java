package io.clusterchecks.server.ha;

import java.net.URI;
import java.util.Objects;

/**
 * A replica as the others see it: its election identity (pod name, host name) and the address
 * its worker API answers on ({@code cluster_agent.advertise_host} or the pod IP, and
 * {@code cluster_agent.cmd_port}).
 */
public record LeaderAddress(String identity, String host, int port) {

  public LeaderAddress {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** {@code host:port}, with an IPv6 literal in brackets. */
  public String hostPort() {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return h + ":" + port;
  }

  /** The base URL of the replica's API, e.g. {@code https://10.0.0.5:5005}. */
  public URI baseUri(boolean tls) {
    return URI.create((tls ? "https://" : "http://") + hostPort());
  }

  /**
   * The ZooKeeper participant id: {@code identity@host:port}. The identity cannot contain
   * {@code @}; the address is everything after the last one.
   */
  public String participantId() {
    return identity + "@" + hostPort();
  }

  /** Parses {@link #participantId()}; throws IllegalArgumentException on anything else. */
  public static LeaderAddress parseParticipantId(String id) {
    int at = id.lastIndexOf('@');
    int colon = id.lastIndexOf(':');
    if (at <= 0 || colon <= at + 1 || colon == id.length() - 1) {
      throw new IllegalArgumentException("not a participant id (identity@host:port): " + id);
    }
    String host = id.substring(at + 1, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(id.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in participant id: " + id, e);
    }
    return new LeaderAddress(id.substring(0, at), host, port);
  }

  @Override
  public String toString() {
    return identity + " at " + hostPort();
  }
}
