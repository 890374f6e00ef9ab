package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The follower's side of delta pulls against a leader that answers what the test scripts, over a
 * real socket: a delta that cannot be read or does not start from the copy held leaves the copy
 * as it was (and the next pull asks for the whole placement once the copy is in doubt), and a
 * leader that does not know {@code since} (an older version) answers the whole placement, which
 * the follower takes as before.
 */
class PlacementDeltaFailureTest {
  private static final String TOKEN = "placement-delta-failure-token-0123456789";
  private static final long V1 = (1L << 32) | 5;

  private final Deque<String> answers = new ArrayDeque<>();
  private final List<String> queries = new ArrayList<>();
  private HttpServer scriptedLeader;
  private LeadershipHandler follower;
  private PlacementPuller puller;

  @BeforeEach
  void start() throws IOException {
    scriptedLeader = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    scriptedLeader.createContext(PlacementPuller.PATH, this::answer);
    scriptedLeader.start();
    LeaderAddress leader = new LeaderAddress("dca-leader", "127.0.0.1", scriptedLeader.getAddress().getPort());
    ManualTime time = new ManualTime();
    Dispatcher idle = new Dispatcher(DispatcherSettings.defaults(), time, time, new SimpleMeterRegistry());
    LeaderForwarder forwarder = new LeaderForwarder(2);
    follower = new LeadershipHandler(idle, new LeaderAddress("dca-follower", "127.0.0.1", 1), forwarder, false,
        new SimpleMeterRegistry());
    follower.following(leader);
    puller = new PlacementPuller(follower, forwarder, () -> TOKEN, false, Duration.ofHours(1), true,
        new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    puller.close();
    scriptedLeader.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    synchronized (queries) {
      queries.add(String.valueOf(exchange.getRequestURI().getQuery()));
    }
    String body = answers.poll();
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String version = body == null ? "" : body.replaceAll("(?s).*\"version\":(\\d+).*", "$1");
    exchange.getResponseHeaders().add("ETag", "\"" + version + "\"");
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(body == null ? 503 : 200, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String lastQuery() {
    synchronized (queries) {
      return queries.get(queries.size() - 1);
    }
  }

  private static String whole(long version, String placement) {
    return "{\"placement\":" + placement + ",\"version\":" + version + "}";
  }

  @Test
  void aFailedDeltaKeepsTheCopyAndAnOlderLeaderIsCopiedWhole() {
    answers.add(whole(V1, "{\"d1\":\"w1\",\"d2\":\"w2\"}"));
    assertThat(puller.pullOnce()).isTrue();
    assertThat(lastQuery()).isEqualTo("null");
    Map<String, String> first = follower.warmCopy();
    assertThat(first).containsExactlyInAnyOrderEntriesOf(Map.of("d1", "w1", "d2", "w2"));

    // Cut short: not JSON. The copy stays, and is still asked about.
    answers.add("{\"since\":" + V1 + ",\"version\":" + (V1 + 1) + ",\"placed\":{\"d3\":");
    assertThat(puller.pullOnce()).isFalse();
    assertThat(lastQuery()).isEqualTo("since=" + V1);
    assertThat(follower.warmCopy()).isSameAs(first);

    // Changes that start from another version than the copy's: not applied.
    answers.add("{\"since\":" + (V1 - 2) + ",\"version\":" + (V1 + 1) + ",\"placed\":{\"d3\":\"w1\"},\"removed\":[]}");
    assertThat(puller.pullOnce()).isFalse();
    assertThat(lastQuery()).isEqualTo("since=" + V1);
    assertThat(follower.warmCopy()).isSameAs(first);

    // The leader fails outright: the copy stays too.
    assertThat(puller.pullOnce()).isFalse();
    assertThat(follower.warmCopy()).isSameAs(first);

    // After changes that did not apply, the follower asks for the whole placement.
    answers.add(whole(V1 + 3, "{\"d1\":\"w1\",\"d3\":\"w3\"}"));
    assertThat(puller.pullOnce()).isTrue();
    assertThat(lastQuery()).isEqualTo("null");
    assertThat(follower.warmCopy()).containsExactlyInAnyOrderEntriesOf(Map.of("d1", "w1", "d3", "w3"));

    // A leader that does not know since answers whole: taken as it is.
    answers.add(whole(V1 + 7, "{\"d4\":\"w4\"}"));
    assertThat(puller.pullOnce()).isTrue();
    assertThat(lastQuery()).isEqualTo("since=" + (V1 + 3));
    assertThat(follower.warmCopy()).containsExactlyInAnyOrderEntriesOf(Map.of("d4", "w4"));

    // And real changes apply.
    answers.add("{\"since\":" + (V1 + 7) + ",\"version\":" + (V1 + 9) + ",\"placed\":{\"d5\":\"w1\"},\"removed\":[\"d4\"]}");
    assertThat(puller.pullOnce()).isTrue();
    assertThat(lastQuery()).isEqualTo("since=" + (V1 + 7));
    assertThat(follower.warmCopy()).containsExactlyInAnyOrderEntriesOf(Map.of("d5", "w1"));
    assertThat(follower.heldCopy().version()).isEqualTo(V1 + 9);
    assertThat(puller.counts()).as("whole, delta, unchanged").containsExactly(3, 1, 0);
  }
}
