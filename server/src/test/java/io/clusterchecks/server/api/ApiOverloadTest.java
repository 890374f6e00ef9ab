package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.ManualTime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under load: a flood of requests other than heartbeats, over real sockets, holds
 * every slot they may take and far more than Jetty's 250 threads, while workers keep reporting.
 * The heartbeats must still be answered, so no live worker expires and no config moves, and the
 * excess must get a clear 503 at once instead of queueing. Time is {@link ManualTime}: the expiry
 * deadline passes exactly when the test says, with the heartbeats answered before it.
 *
 * <p>The slow request is a route added beside the worker API (as the dashboard's are) that waits
 * for the test, standing in for any slow low-priority request: the state view and CLI commands
 * waiting for a busy dispatch thread, a follower waiting for its leader.
 */
class ApiOverloadTest {
  private static final String TOKEN = ApiFixture.TOKEN;
  private static final int WORKERS = 20;
  private static final int LIMIT = 8;
  /** More than Jetty's 250 threads: without priority admission no thread is left for heartbeats. */
  private static final int FLOOD = 300;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ManualTime time = new ManualTime();
  private final CountDownLatch release = new CountDownLatch(1);
  private Dispatcher dispatcher;
  private ApiServer server;
  private final List<Thread> flood = new ArrayList<>();

  @AfterEach
  void tearDown() throws InterruptedException {
    release.countDown();
    for (Thread t : flood) {
      t.join(TimeUnit.SECONDS.toMillis(20));
    }
    if (server != null) {
      server.close();
    }
    if (dispatcher != null) {
      dispatcher.stop();
    }
    registry.close();
  }

  @Test
  void heartbeatsAreServedAndNoLiveWorkerExpiresWhileAFloodHoldsEveryOtherSlot() throws Exception {
    dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(Duration.ZERO)
        .withArrivalWindow(Duration.ZERO), time, time, registry);
    server = new ApiServer(dispatcher,
        ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0).withPlainHttp(), registry)
        .lowPriorityLimit(LIMIT)
        .extraRoutes(routes -> {
          routes.get("/slow", ctx -> {
            release.await();
            ctx.result("done");
          });
          routes.get(PriorityAdmission.DASHBOARD_EVENTS_PATH, ctx -> ctx.result("stream"));
        })
        .start();
    dispatcher.start();
    time.advance(Duration.ZERO); // the zero warmup ends
    assertThat(dispatcher.isLeading() && !dispatcher.isWarmingUp()).isTrue();
    List<KeepAliveClient> workers = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      workers.add(new KeepAliveClient("127.0.0.1", server.port(), false, 30_000));
      assertThat(heartbeat(workers.get(i), i).status()).isEqualTo(200);
    }
    List<Config> configs = new ArrayList<>();
    for (int i = 0; i < 2 * WORKERS; i++) {
      configs.add(Config.builder("http_check").clusterCheck(true).instanceYaml("url: http://c" + i + "/\n").build());
    }
    dispatcher.schedule(configs);
    Map<String, String> placed = dispatcher.placement();
    assertThat(placed).hasSize(2 * WORKERS);
    assertThat(Map.copyOf(placed).values()).hasSameElementsAs(names());

    // One second before every worker's deadline, the flood arrives and holds on.
    Duration timeout = DispatcherSettings.defaults().nodeExpirationTimeout();
    time.advance(timeout.minusSeconds(1));
    ConcurrentLinkedQueue<KeepAliveClient.Answer> answers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    byte[] slow = KeepAliveClient.request("GET", "/slow", TOKEN, new byte[0]);
    for (int i = 0; i < FLOOD; i++) {
      Thread t = new Thread(() -> {
        try (KeepAliveClient c = new KeepAliveClient("127.0.0.1", server.port(), false, 30_000)) {
          answers.add(c.exchange(slow));
        } catch (IOException e) {
          failures.add(e.toString());
        }
      }, "flood-" + i);
      t.setDaemon(true);
      t.start();
      flood.add(t);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() + failures.size() == FLOOD - LIMIT);

    // Every worker reports while the flood holds its slots, and is answered.
    for (int i = 0; i < WORKERS; i++) {
      KeepAliveClient.Answer a = heartbeat(workers.get(i), i);
      assertThat(a.status()).as("heartbeat of worker %d during the flood", i).isEqualTo(200);
      assertThat(a.body()).isEqualTo("{\"isuptodate\":true}");
    }
    // The dashboard's event stream takes no slot (it is capped where it is served).
    try (KeepAliveClient c = new KeepAliveClient("127.0.0.1", server.port(), false, 30_000)) {
      KeepAliveClient.Answer a = c.exchange(KeepAliveClient.request("GET", PriorityAdmission.DASHBOARD_EVENTS_PATH,
          TOKEN, new byte[0]));
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo("stream");
    }
    // The deadlines set by the first reports pass: the workers reported since, none expires.
    time.advance(Duration.ofSeconds(2));
    assertThat(registry.get("cluster_checks_nodes_expired").counter().count()).isZero();
    assertThat(dispatcher.state().nodes()).hasSize(WORKERS);
    assertThat(dispatcher.placement()).isEqualTo(placed);

    // The excess was refused at once, clearly; the requests holding slots finish normally.
    assertThat(failures).isEmpty();
    assertThat(answers).hasSize(FLOOD - LIMIT).allSatisfy(a -> {
      assertThat(a.status()).isEqualTo(503);
      assertThat(a.head()).containsIgnoringCase("\r\nRetry-After: 1\r\n");
      assertThat(a.body()).startsWith("overloaded: " + LIMIT + " requests other than worker status are in progress");
    });
    assertThat(registry.get(ApiMetrics.OVERLOAD_REJECTIONS).tag("priority", "low").counter().count())
        .isEqualTo(FLOOD - LIMIT);
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == FLOOD);
    assertThat(answers.stream().filter(a -> a.status() == 200 && a.body().equals("done"))).hasSize(LIMIT);
    workers.forEach(KeepAliveClient::close);
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      names.add("worker-" + i);
    }
    return names;
  }

  private static KeepAliveClient.Answer heartbeat(KeepAliveClient client, int worker) throws IOException {
    return client.exchange(KeepAliveClient.request("POST", "/api/v1/clusterchecks/status/worker-" + worker, TOKEN,
        "{\"last_change\":-1,\"node_type\":1}".getBytes(StandardCharsets.UTF_8)));
  }
}
