package io.clusterchecks.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One address in front of the agent replicas, as a Kubernetes Service is: each new connection
 * goes to the next replica, round robin, skipping one that refuses the connection (a killed
 * replica). Bytes are relayed as they come (TLS passes through); an open connection stays with
 * its replica and breaks when that replica dies, so its client connects again and lands on a
 * live one.
 */
final class ServiceProxy implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 500;

  private final ServerSocket server;
  private final List<Integer> targets;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  ServiceProxy(int port, List<Integer> targets) throws IOException {
    this.targets = List.copyOf(targets);
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    Thread accept = new Thread(this::accept, "service-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = connect();
      if (upstream == null) {
        closeQuietly(client);
        continue;
      }
      relay(client, upstream);
      relay(upstream, client);
    }
  }

  /** The next replica that accepts a connection, or null when none does. */
  private Socket connect() {
    for (int i = 0; i < targets.size(); i++) {
      int port = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
        return s;
      } catch (IOException e) {
        closeQuietly(s);
      }
    }
    return null;
  }

  private static void relay(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away: close both, the client reconnects
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "service-proxy-relay");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
