package io.clusterchecks.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay over real sockets, in front of echo servers that answer with their own name. */
class TcpRelayTest {
  private final List<ServerSocket> servers = new ArrayList<>();
  private TcpRelay proxy;

  @AfterEach
  void close() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    for (ServerSocket s : servers) {
      s.close();
    }
  }

  /** A server that answers every byte it reads with its tag. */
  private int taggedEcho(char tag) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(s);
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket c = s.accept();
          Thread h = new Thread(() -> {
            try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
              while (in.read() >= 0) {
                out.write(tag);
                out.flush();
              }
            } catch (IOException e) {
              // closed
            }
          });
          h.setDaemon(true);
          h.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return s.getLocalPort();
  }

  private static int exchange(Socket s) throws IOException {
    s.getOutputStream().write('x');
    s.getOutputStream().flush();
    return s.getInputStream().read();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(1000);
    return s;
  }

  @Test
  void relaysUntilCutThenDropsEveryByteUntilRestored() throws IOException {
    proxy = TcpRelay.start("one", List.of(new TcpRelay.Link("a", taggedEcho('a'))));
    TcpRelay.Link link = proxy.links().get(0);
    try (Socket s = connect()) {
      assertThat(exchange(s)).isEqualTo('a');
      link.cut();
      s.getOutputStream().write('x');
      s.getOutputStream().flush();
      try {
        s.getInputStream().read();
        throw new AssertionError("a cut link relayed a byte");
      } catch (SocketTimeoutException expected) {
        // dropped, not refused: the client only notices by its own timeout
      }
    }
    try (Socket held = connect()) {
      held.getOutputStream().write('x');
      held.getOutputStream().flush();
      try {
        held.getInputStream().read();
        throw new AssertionError("a connection opened during the cut was relayed");
      } catch (SocketTimeoutException expected) {
        // accepted and held
      }
    }
    link.restore();
    try (Socket s = connect()) {
      assertThat(exchange(s)).isEqualTo('a');
    }
  }

  @Test
  void aServiceProxySendsNewConnectionsOnlyToReachableTargets() throws IOException {
    proxy = TcpRelay.start("front", List.of(new TcpRelay.Link("a", taggedEcho('a')),
        new TcpRelay.Link("b", taggedEcho('b')), new TcpRelay.Link("c", taggedEcho('c'))));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      try (Socket s = connect()) {
        seen.add(exchange(s));
      }
    }
    assertThat(seen).containsExactlyInAnyOrder((int) 'a', (int) 'b', (int) 'c');

    proxy.links().get(0).cut();
    proxy.links().get(1).ready(false);
    for (int i = 0; i < 6; i++) {
      try (Socket s = connect()) {
        assertThat(exchange(s)).isEqualTo('c');
      }
    }
    servers.get(2).close(); // c refuses now: nothing reachable, the connection is closed
    try (Socket s = connect()) {
      s.getOutputStream().write('x');
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void aDelayedLinkStillRelaysEveryByte() throws IOException {
    proxy = TcpRelay.start("one", List.of(new TcpRelay.Link("a", taggedEcho('a'))));
    proxy.links().get(0).delay(100);
    try (Socket s = connect()) {
      assertThat(exchange(s)).isEqualTo('a');
      assertThat(exchange(s)).isEqualTo('a');
    }
  }

  @Test
  void countsTheConnectionsRelayedToEachTargetUntilTheyClose() throws IOException {
    proxy = TcpRelay.start("front", List.of(new TcpRelay.Link("a", taggedEcho('a')),
        new TcpRelay.Link("b", taggedEcho('b'))));
    try (Socket first = connect(); Socket second = connect()) {
      int one = exchange(first);
      int two = exchange(second);
      assertThat(Set.of(one, two)).containsExactlyInAnyOrder((int) 'a', (int) 'b');
      assertThat(proxy.links().get(0).relayedConnections()).isEqualTo(1);
      assertThat(proxy.links().get(1).relayedConnections()).isEqualTo(1);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(proxy.links().get(0).relayedConnections()).isZero();
      assertThat(proxy.links().get(1).relayedConnections()).isZero();
    });
  }

  @Test
  void aClosedRelaysPortCanBeBoundAgainByTheNextRun() throws IOException {
    int target = taggedEcho('a');
    int port;
    try (TcpRelay first = TcpRelay.to("first", target)) {
      port = first.port();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(1000);
        assertThat(exchange(s)).isEqualTo('a');
      }
    }
    // The relayed connection's threads finish closing on their own: the port frees once they have
    // (a relay that kept its listening socket open would never give it back).
    await().atMost(Duration.ofSeconds(10)).ignoreException(BindException.class)
        .until(() -> (proxy = TcpRelay.start("again", port, List.of(new TcpRelay.Link("a", target)))) != null);
    assertThat(proxy.port()).isEqualTo(port);
    try (Socket s = connect()) {
      assertThat(exchange(s)).isEqualTo('a');
    }
  }
}
