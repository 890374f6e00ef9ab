package io.clusterchecks.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback with fault controls, in front of one target or several. Bytes are
 * relayed as they come (TLS passes through untouched).
 *
 * <p>With one target (a replica's path to one ZooKeeper server) a {@linkplain Link#cut() cut} is a
 * partition, not a reset: bytes are dropped both ways and new connections are accepted and held,
 * so each side only notices through its own timeouts, as with a real network split.
 *
 * <p>With several targets it stands for the Kubernetes Service that workers reach the replicas
 * through: each new connection goes to the next target, round robin, skipping targets that are
 * cut, {@linkplain Link#ready(boolean) not ready} (a stopped or frozen replica, which a readiness
 * probe would have removed) or that refuse the connection (a killed replica). When none is left
 * the connection is closed, as a Service with no ready endpoint refuses it. Connections already
 * open stay with their target, so a frozen replica still holds the requests that reached it, and
 * a dead one breaks them: the client connects again and lands on a live target.
 */
public final class TcpRelay implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 500;
  private static final int BUFFER = 16 * 1024;

  /** One target and its faults. */
  public static final class Link {
    private final String name;
    private final int port;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean ready = true;
    private volatile long delayMs;

    /** A target on loopback. */
    public Link(String name, int port) {
      this.name = name;
      this.port = port;
    }

    /** From now on every byte on this link is dropped, on open and new connections. */
    public void cut() {
      cut = true;
    }

    /** Every read on this link waits {@code ms} before it is relayed (a slow network). */
    public void delay(long ms) {
      delayMs = ms;
    }

    /** No cut, no delay. Connections held during a cut stay dead. */
    public void restore() {
      cut = false;
      delayMs = 0;
    }

    /** Whether new connections may go to this target (several targets only). */
    public void ready(boolean ready) {
      this.ready = ready;
    }

    public String name() {
      return name;
    }

    /** Client connections currently relayed to this target. */
    public int relayedConnections() {
      clients.removeIf(Socket::isClosed);
      return clients.size();
    }
  }

  private final String name;
  private final List<Link> links;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  private TcpRelay(String name, List<Link> links, ServerSocket server) {
    this.name = name;
    this.links = links;
    this.server = server;
    daemon("relay-" + name, this::acceptLoop);
  }

  /** A relay on a free loopback port. */
  public static TcpRelay start(String name, List<Link> links) throws IOException {
    return start(name, 0, links);
  }

  /**
   * A relay on the given loopback port (0 for a free one); the port is bound with
   * {@code SO_REUSEADDR}, so a run can take the port of the previous one at once.
   */
  public static TcpRelay start(String name, int port, List<Link> links) throws IOException {
    if (links.isEmpty()) {
      throw new IllegalArgumentException("a relay needs a target");
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    return new TcpRelay(name, List.copyOf(links), server);
  }

  /** A relay to one target on loopback. */
  public static TcpRelay to(String name, int targetPort) throws IOException {
    return start(name, List.of(new Link(name, targetPort)));
  }

  public int port() {
    return server.getLocalPort();
  }

  public List<Link> links() {
    return links;
  }

  /** With one target: that target's link. */
  public Link link() {
    return links.get(0);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      daemon("relay-" + name + "-open", () -> open(client));
    }
  }

  private void open(Socket client) {
    int start = Math.floorMod(next.getAndIncrement(), links.size());
    for (int i = 0; i < links.size(); i++) {
      Link link = links.get((start + i) % links.size());
      if (link.cut || !link.ready) {
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.setTcpNoDelay(true);
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.port), CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        closeQuietly(upstream);
        continue;
      }
      sockets.add(upstream);
      link.clients.add(client);
      daemon("relay-" + name + "-up", () -> pipe(client, upstream, link));
      pipe(upstream, client, link);
      return;
    }
    if (links.size() == 1 && links.get(0).cut) {
      drain(client); // a partition: the connection is held, not refused
    } else {
      closeQuietly(client); // nothing reachable: refused
      sockets.remove(client);
    }
  }

  private void pipe(Socket from, Socket to, Link link) {
    byte[] buf = new byte[BUFFER];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        long delay = link.delayMs;
        if (delay > 0) {
          Thread.sleep(delay);
        }
        if (!link.cut) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side went away: both are closed below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void drain(Socket s) {
    try (InputStream in = s.getInputStream()) {
      byte[] buf = new byte[8192];
      while (in.read(buf) >= 0) {
        // dropped
      }
    } catch (IOException e) {
      // over
    } finally {
      closeQuietly(s);
      sockets.remove(s);
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** Stops accepting and closes every relayed connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    sockets.forEach(TcpRelay::closeQuietly);
  }
}
