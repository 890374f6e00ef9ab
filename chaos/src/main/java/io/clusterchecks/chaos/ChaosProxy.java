package io.clusterchecks.chaos;

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
 * A TCP relay on loopback with fault controls, in front of one target or several.
 *
 * <p>With one target (a replica's path to one ZooKeeper server) a {@linkplain Link#cut() cut} is a
 * partition: bytes are dropped both ways and new connections are accepted and held, so each side
 * only notices through its own timeouts.
 *
 * <p>With several targets it stands for the Kubernetes Service the workers reach the replicas
 * through: each new connection goes to the next target, round robin, skipping targets that are
 * cut, {@linkplain Link#ready(boolean) not ready} (a stopped or frozen replica, which a readiness
 * probe would have removed) or that refuse the connection. Connections already open stay with
 * their target, so a frozen replica still holds the requests that reached it before.
 */
final class ChaosProxy implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 500;

  /** One target and its faults. */
  static final class Link {
    private final String name;
    private final int port;
    private volatile boolean cut;
    private volatile boolean ready = true;
    private volatile long delayMs;

    Link(String name, int port) {
      this.name = name;
      this.port = port;
    }

    /** From now on every byte on this link is dropped, on open and new connections. */
    void cut() {
      cut = true;
    }

    /** Every byte on this link waits {@code ms} before it is relayed. */
    void delay(long ms) {
      delayMs = ms;
    }

    /** No cut, no delay. Connections held during a cut stay dead. */
    void restore() {
      cut = false;
      delayMs = 0;
    }

    void ready(boolean ready) {
      this.ready = ready;
    }

    String name() {
      return name;
    }
  }

  private final String name;
  private final List<Link> links;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  ChaosProxy(String name, List<Link> links) throws IOException {
    if (links.isEmpty()) {
      throw new IllegalArgumentException("a proxy needs a target");
    }
    this.name = name;
    this.links = List.copyOf(links);
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    daemon("proxy-" + name, this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  List<Link> links() {
    return links;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(client);
      daemon("proxy-" + name + "-open", () -> open(client));
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
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.port), CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        closeQuietly(upstream);
        continue;
      }
      sockets.add(upstream);
      daemon("proxy-" + name + "-up", () -> pipe(client, upstream, link));
      pipe(upstream, client, link);
      return;
    }
    if (links.size() == 1 && links.get(0).cut) {
      drain(client); // a partition: the connection is held, not refused
    } else {
      closeQuietly(client); // nothing reachable: refused, as a Service with no ready endpoint
    }
  }

  private void pipe(Socket from, Socket to, Link link) {
    byte[] buf = new byte[16384];
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
      // the connection is over
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

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    sockets.forEach(ChaosProxy::closeQuietly);
  }
}
