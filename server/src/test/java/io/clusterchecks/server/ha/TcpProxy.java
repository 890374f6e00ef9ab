package io.clusterchecks.server.ha;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between one client and one server, to cut a network path in tests. {@link #cut()}
 * is a partition, not a reset: bytes are silently dropped and new connections are accepted and
 * held, so the client only notices by its own timeouts, as with a real network split.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Socket> relayed = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean closed;

  TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Drops every byte from now on, both ways, on current and new connections. */
  void cut() {
    cut = true;
  }

  /** New connections are relayed again (connections opened during the cut stay dead). */
  void restore() {
    cut = false;
  }

  /** Client connections currently relayed to the server. */
  int relayedConnections() {
    relayed.removeIf(Socket::isClosed);
    return relayed.size();
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
      if (cut) {
        Thread t = new Thread(() -> drain(client), "tcp-proxy-held");
        t.setDaemon(true);
        t.start();
        continue;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(targetHost, targetPort), 1000);
        sockets.add(upstream);
        relayed.add(client);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (!cut) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // connection over
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-pipe");
    t.setDaemon(true);
    t.start();
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
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // ignore
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // ignore
    }
    sockets.forEach(TcpProxy::closeQuietly);
  }
}
