package io.clusterchecks.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.clusterchecks.core.dispatch.RunnerTarget;
import io.clusterchecks.core.stats.CheckStats;
import io.clusterchecks.core.stats.RunnerStats;
import io.clusterchecks.core.time.ManualTime;
import io.clusterchecks.simulator.SimulatedRunnerApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RunnerStatsCollectorTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef-stats";
  /**
   * A timeout shorter than the default 2 s, so that the rounds where a runner hangs stay short, but
   * ample for every answer that must arrive in time: on a loaded 2-core machine an HTTPS round
   * (TLS handshakes, 8 MiB of refused body) took 50 to 130 ms, and one that passes 500 ms turns a
   * failure mode into "no answer in time", or a good runner into a failure.
   */
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(1500);
  private static SSLContext tls;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger logger;
  private Level previousLevel;

  @BeforeAll
  static void certificate() {
    tls = TestTls.serverContext();
  }

  @BeforeEach
  void captureLogs() {
    logger = (Logger) LoggerFactory.getLogger(RunnerStatsCollector.class);
    previousLevel = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    logger.detachAppender(logs);
    logger.setLevel(previousLevel);
    // The token never reaches a log line, whatever happened.
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(TOKEN)
        || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains(TOKEN)));
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    closing.add(c);
    return c;
  }

  /** A port free on every given loopback address, as one clc_runners_port for several runners. */
  private static int freePortOn(String... ips) throws IOException {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<ServerSocket> held = new ArrayList<>();
      try {
        int port = 0;
        for (String ip : ips) {
          ServerSocket s = new ServerSocket();
          held.add(s);
          s.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
          port = s.getLocalPort();
        }
        return port;
      } catch (IOException retry) {
        // taken on one of the addresses: try another
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
    }
    throw new IOException("no common free port");
  }

  private SimulatedRunnerApi runner(String ip, int port, Map<String, CheckStats> stats, int workers) {
    return closeLater(SimulatedRunnerApi.builder(TOKEN).bindAddress(ip).port(port).sslContext(tls)
        .stats(() -> stats).workers(() -> SimulatedRunnerApi.Workers.even(workers, 0.5)).build().start());
  }

  private RunnerStatsCollector.Builder collector(int port) {
    return RunnerStatsCollector.builder(TOKEN).port(port).meterRegistry(registry);
  }

  private static <T> T await2(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private double failures(String node) {
    Counter c = registry.find(RunnerStatsCollector.FAILED_COUNTER).tags("node", node, "join_leader", "true").counter();
    return c == null ? 0 : c.count();
  }

  private long warnings(String node) {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(node)).count();
  }

  // docs/reference/scenarios.md item 23: stats follow the IPs.
  @Test
  void eachNodeGetsTheStatsAndWorkerCountOfItsIpAndTheyFollowWhenIpsSwap() throws Exception {
    int port = freePortOn("127.0.0.2", "127.0.0.3");
    CheckStats a = CheckStats.ofExecutionTime(100);
    CheckStats b = CheckStats.ofExecutionTime(200);
    runner("127.0.0.2", port, Map.of("check_a:1", a), 1);
    runner("127.0.0.3", port, Map.of("check_b:2", b), 2);
    RunnerStatsCollector c = closeLater(collector(port).build());

    Map<String, RunnerStats> first = await2(c.collect(List.of(
        new RunnerTarget("node1", "127.0.0.2"), new RunnerTarget("node2", "127.0.0.3"))));
    assertThat(first).containsOnlyKeys("node1", "node2");
    assertThat(first.get("node1").checks()).isEqualTo(Map.of("check_a:1", a));
    assertThat(first.get("node1").workers()).isEqualTo(1);
    assertThat(first.get("node1").node()).isEqualTo("node1");
    assertThat(first.get("node2").checks()).isEqualTo(Map.of("check_b:2", b));
    assertThat(first.get("node2").workers()).isEqualTo(2);

    Map<String, RunnerStats> swapped = await2(c.collect(List.of(
        new RunnerTarget("node1", "127.0.0.3"), new RunnerTarget("node2", "127.0.0.2"))));
    assertThat(swapped.get("node1").checks()).isEqualTo(Map.of("check_b:2", b));
    assertThat(swapped.get("node1").workers()).isEqualTo(2);
    assertThat(swapped.get("node2").checks()).isEqualTo(Map.of("check_a:1", a));
    assertThat(swapped.get("node2").workers()).isEqualTo(1);
    assertThat(failures("node1") + failures("node2")).isZero();

    Gauge duration = registry.find(RunnerStatsCollector.DURATION_GAUGE).tag("join_leader", "true").gauge();
    assertThat(duration).isNotNull();
    assertThat(duration.value()).isGreaterThan(0).isLessThan(5);
  }

  @Test
  void statsAgeGrowsUntilTheNextGoodCollectionAndGoesWithTheNode() throws Exception {
    int port = freePortOn("127.0.0.9");
    runner("127.0.0.9", port, Map.of("x:1", CheckStats.ofExecutionTime(10)), 1);
    io.clusterchecks.core.time.ManualTime clock = new io.clusterchecks.core.time.ManualTime();
    RunnerStatsCollector c = closeLater(collector(port).clock(clock).build());
    List<RunnerTarget> targets = List.of(new RunnerTarget("fresh", "127.0.0.9"));

    await2(c.collect(targets));
    Gauge age = registry.find(RunnerStatsCollector.AGE_GAUGE).tags("node", "fresh", "join_leader", "true").gauge();
    assertThat(age).isNotNull();
    assertThat(age.value()).isZero();
    clock.advanceSeconds(42);
    assertThat(age.value()).isEqualTo(42.0);
    await2(c.collect(targets));
    assertThat(age.value()).as("fresh stats again").isZero();

    await2(c.collect(List.of()));
    assertThat(registry.find(RunnerStatsCollector.AGE_GAUGE).gauges()).as("a forgotten node has no series").isEmpty();
  }

  @Test
  void aRotatingTokenIsAskedAtEveryCollection() throws Exception {
    int port = freePortOn("127.0.0.4");
    HostileRunner hostile = closeLater(new HostileRunner("127.0.0.4", port, tls));
    java.util.concurrent.atomic.AtomicReference<String> current = new java.util.concurrent.atomic.AtomicReference<>(TOKEN);
    RunnerStatsCollector c = closeLater(collector(port).rotatingToken(current::get).build());
    await2(c.collect(List.of(new RunnerTarget("n", "127.0.0.4"))));
    current.set(TOKEN + "-rotated");
    await2(c.collect(List.of(new RunnerTarget("n", "127.0.0.4"))));
    assertThat(hostile.seen).extracting(HostileRunner.Seen::authorization)
        .containsExactlyInAnyOrder("Bearer " + TOKEN, "Bearer " + TOKEN, "Bearer " + TOKEN + "-rotated",
            "Bearer " + TOKEN + "-rotated");
  }

  @Test
  void aWrongTokenIsAFailureAndTheTokenIsSentAsBearer() throws Exception {
    int port = freePortOn("127.0.0.4");
    HostileRunner hostile = closeLater(new HostileRunner("127.0.0.4", port, tls));
    RunnerStatsCollector c = closeLater(collector(port).build());
    await2(c.collect(List.of(new RunnerTarget("n", "127.0.0.4"))));
    assertThat(hostile.seen).extracting(HostileRunner.Seen::authorization).containsOnly("Bearer " + TOKEN);
    assertThat(hostile.seen).extracting(HostileRunner.Seen::path)
        .containsExactlyInAnyOrder(RunnerStatsCollector.STATS_PATH, RunnerStatsCollector.WORKERS_PATH);

    runner("127.0.0.5", port, Map.of("x:1", CheckStats.ofExecutionTime(1)), 4);
    c.close();
    assertThat(registry.find(RunnerStatsCollector.DURATION_GAUGE).gauge()).as("removed on close").isNull();
    RunnerStatsCollector wrong = closeLater(RunnerStatsCollector.builder(TOKEN + "-wrong").port(port)
        .meterRegistry(registry).build());
    assertThat(registry.find(RunnerStatsCollector.DURATION_GAUGE).gauge()).isNotNull();
    RunnerStatsCollector.Outcome o = await2(wrong.collectOutcome(List.of(new RunnerTarget("n5", "127.0.0.5"))));
    assertThat(o.stats()).isEmpty();
    assertThat(o.failures().get("n5")).contains("HTTP 403");
    assertThat(failures("n5")).isEqualTo(1);
  }

  @Test
  void garbageAnswersFailOnlyTheirNodeWhichKeepsItsLastGoodStats() throws Exception {
    int port = freePortOn("127.0.0.6", "127.0.0.7");
    HostileRunner hostile = closeLater(new HostileRunner("127.0.0.6", port, tls));
    Map<String, CheckStats> many = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      many.put("good:" + i, CheckStats.ofExecutionTime(i));
    }
    hostile.statsBody.set("{\"bad:1\":{\"AverageExecutionTime\":42}}");
    runner("127.0.0.7", port, many, 3);
    RunnerStatsCollector c = closeLater(collector(port).timeout(SHORT_TIMEOUT).build());
    List<RunnerTarget> targets = List.of(new RunnerTarget("bad", "127.0.0.6"), new RunnerTarget("good", "127.0.0.7"));

    RunnerStatsCollector.Outcome ok = await2(c.collectOutcome(targets));
    assertThat(ok.failures()).isEmpty();
    RunnerStats lastGood = ok.stats().get("bad");
    assertThat(lastGood.checks()).containsOnlyKeys("bad:1");
    assertThat(lastGood.workers()).isEqualTo(2);

    Map<HostileRunner.Mode, String> expectedReason = new LinkedHashMap<>();
    expectedReason.put(HostileRunner.Mode.GARBAGE, "invalid stats answer");
    expectedReason.put(HostileRunner.Mode.STATUS_500, "HTTP 500");
    expectedReason.put(HostileRunner.Mode.WRONG_TYPES, "invalid stats answer: stats of check 'bad:2'");
    expectedReason.put(HostileRunner.Mode.NOT_AN_OBJECT, "not a JSON object");
    expectedReason.put(HostileRunner.Mode.HUGE_WITH_LENGTH, "larger than 8388608 bytes");
    expectedReason.put(HostileRunner.Mode.HUGE_CHUNKED, "larger than 8388608 bytes");
    expectedReason.put(HostileRunner.Mode.HEADERS_THEN_HANG, "no answer in time");
    int round = 0;
    for (Map.Entry<HostileRunner.Mode, String> e : expectedReason.entrySet()) {
      round++;
      hostile.statsMode.set(e.getKey());
      long started = System.nanoTime();
      RunnerStatsCollector.Outcome o = await2(c.collectOutcome(targets));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(o.failures()).as(e.getKey().name()).containsOnlyKeys("bad");
      assertThat(o.failures().get("bad")).as(e.getKey().name()).contains(e.getValue());
      assertThat(o.stats().get("bad")).as("last good kept").isEqualTo(lastGood);
      assertThat(o.stats().get("good").checks()).isEqualTo(many);
      assertThat(o.stats().get("good").workers()).isEqualTo(3);
      assertThat(failures("bad")).isEqualTo(round);
      assertThat(tookMs).as(e.getKey().name()).isLessThan(3000);
    }
    assertThat(failures("good")).isZero();
    // one line per node and collection, never per check; repeated reasons are not warned again
    assertThat(warnings("bad")).isEqualTo(expectedReason.size() - 1); // both HUGE modes give the same reason
    assertThat(warnings("good")).isZero();

    hostile.statsMode.set(HostileRunner.Mode.OK);
    RunnerStatsCollector.Outcome back = await2(c.collectOutcome(targets));
    assertThat(back.failures()).isEmpty();
    assertThat(back.stats().get("bad").collectedAtMillis()).isGreaterThanOrEqualTo(lastGood.collectedAtMillis());
    assertThat(logs.list).anyMatch(l -> l.getLevel() == Level.INFO && l.getFormattedMessage().contains("1 node(s) answer again (bad (127.0.0.6))"));
  }

  @Test
  void aFailingWorkersEndpointMeansFourWorkersNotAFailure() throws Exception {
    int port = freePortOn("127.0.0.8");
    HostileRunner hostile = closeLater(new HostileRunner("127.0.0.8", port, tls));
    hostile.statsBody.set("{\"a:1\":{\"AverageExecutionTime\":3}}");
    RunnerStatsCollector c = closeLater(collector(port).timeout(SHORT_TIMEOUT).build());
    for (HostileRunner.Mode m : List.of(HostileRunner.Mode.STATUS_500, HostileRunner.Mode.WRONG_TYPES,
        HostileRunner.Mode.GARBAGE, HostileRunner.Mode.HANG)) {
      hostile.workersMode.set(m);
      RunnerStatsCollector.Outcome o = await2(c.collectOutcome(List.of(new RunnerTarget("n", "127.0.0.8"))));
      assertThat(o.failures()).as(m.name()).isEmpty();
      assertThat(o.stats().get("n").workers()).as(m.name()).isEqualTo(RunnerStats.DEFAULT_WORKERS);
      assertThat(o.stats().get("n").checks()).containsOnlyKeys("a:1");
    }
    assertThat(failures("n")).isZero();

    // Without /workers, no request for it at all.
    hostile.seen.clear();
    RunnerStatsCollector noWorkers = closeLater(collector(port).fetchWorkers(false).build());
    assertThat(await2(noWorkers.collect(List.of(new RunnerTarget("n", "127.0.0.8")))).get("n").workers()).isEqualTo(4);
    assertThat(hostile.seen).extracting(HostileRunner.Seen::path).containsExactly(RunnerStatsCollector.STATS_PATH);
  }

  @Test
  void aRunnerThatNeverAnswersTimesOutAfterTwoSecondsWithoutBlockingTheCaller() throws Exception {
    int port = freePortOn("127.0.0.9", "127.0.0.10");
    HostileRunner hostile = closeLater(new HostileRunner("127.0.0.9", port, tls));
    hostile.statsMode.set(HostileRunner.Mode.HANG);
    runner("127.0.0.10", port, Map.of("fine:1", CheckStats.ofExecutionTime(9)), 4);
    RunnerStatsCollector c = closeLater(collector(port).build()); // default timeout: 2 s
    long started = System.nanoTime();
    CompletableFuture<RunnerStatsCollector.Outcome> f = c.collectOutcome(List.of(
        new RunnerTarget("slow", "127.0.0.9"), new RunnerTarget("fine", "127.0.0.10")));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("returns at once").isLessThan(500);
    assertThat(f).isNotDone();
    RunnerStatsCollector.Outcome o = f.get(10, TimeUnit.SECONDS);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(tookMs).isBetween(1900L, 3000L);
    assertThat(o.failures()).containsOnlyKeys("slow");
    assertThat(o.failures().get("slow")).isEqualTo("no answer in time");
    assertThat(o.stats()).containsOnlyKeys("fine");
    assertThat(failures("slow")).isEqualTo(1);
  }

  @Test
  void deadRunnersEmptyAndInvalidIpsFailWithoutAnException() throws Exception {
    int port = freePortOn("127.0.0.11");
    HostileRunner hostile = closeLater(new HostileRunner("127.0.0.11", port, tls));
    RunnerStatsCollector c = closeLater(collector(port).build());
    RunnerStatsCollector.Outcome o = await2(c.collectOutcome(List.of(
        new RunnerTarget("noip", ""), new RunnerTarget("nullip", null), new RunnerTarget("junk", "not an ip/"),
        new RunnerTarget("dead", "127.0.0.12"), new RunnerTarget("dead6", "::1"),
        new RunnerTarget("alive", "127.0.0.11"), new RunnerTarget(null, "127.0.0.11"), new RunnerTarget("", "x"))));
    assertThat(o.failures()).containsOnlyKeys("noip", "nullip", "junk", "dead", "dead6");
    // an IPv6 literal is a valid address (bracketed in the URL), nothing listens there
    assertThat(o.failures().get("dead6")).doesNotContain("invalid IP");
    assertThat(o.failures().get("noip")).contains("no IP");
    assertThat(o.failures().get("junk")).contains("invalid IP");
    assertThat(o.failures().get("dead")).contains("connection refused");
    assertThat(o.stats()).containsOnlyKeys("alive");
    assertThat(failures("noip")).isEqualTo(1);
    assertThat(failures("dead")).isEqualTo(1);
    // no request went anywhere for the empty IP: the only runner saw only its own two requests
    assertThat(hostile.seen).hasSize(2);
    assertThat(registry.find(RunnerStatsCollector.FAILED_COUNTER).counters()).hasSize(5);
  }

  @Test
  void thousandsOfWorkersWithoutAnIpGiveOneWarningPerConditionAndRoundNotOnePerWorker() throws Exception {
    RunnerStatsCollector c = closeLater(collector(freePortOn("127.0.0.11")).build());
    List<RunnerTarget> targets = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      targets.add(new RunnerTarget(String.format("worker-%04d", i), ""));
    }
    targets.add(new RunnerTarget("junk-1", "not an ip/"));
    targets.add(new RunnerTarget("junk-2", "also not/"));
    RunnerStatsCollector.Outcome o = await2(c.collectOutcome(targets));
    assertThat(o.failures()).hasSize(2002);
    List<String> warned = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warned).containsExactlyInAnyOrder(
        "runner stats: cannot collect from 2000 node(s): no IP known for the node (empty X-Real-Ip) "
            + "(worker-0000 (no IP), worker-0001 (no IP), worker-0002 (no IP) and 1997 more)",
        "runner stats: cannot collect from 1 node(s): invalid IP 'also not/' (junk-2 (also not/))",
        "runner stats: cannot collect from 1 node(s): invalid IP 'not an ip/' (junk-1 (not an ip/))");
    assertThat(failures("worker-1999")).as("every node still counts its failure").isEqualTo(1);

    // The same conditions again: nothing new to warn about.
    await2(c.collectOutcome(targets));
    assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.WARN).count()).isEqualTo(3);
    assertThat(failures("worker-1999")).isEqualTo(2);
  }

  @Test
  void lastGoodStatsExpireAndNodesThatLeftAreForgotten() throws Exception {
    int port = freePortOn("127.0.0.13");
    HostileRunner hostile = closeLater(new HostileRunner("127.0.0.13", port, tls));
    hostile.statsBody.set("{\"a:1\":{\"AverageExecutionTime\":3}}");
    ManualTime time = new ManualTime(Instant.parse("2024-06-10T06:13:20Z"));
    RunnerStatsCollector c = closeLater(collector(port).clock(time).keepLastGoodFor(Duration.ofMinutes(30)).build());
    List<RunnerTarget> targets = List.of(new RunnerTarget("n", "127.0.0.13"));
    RunnerStats good = await2(c.collect(targets)).get("n");
    assertThat(good.collectedAtMillis()).isEqualTo(time.millis());

    hostile.statsMode.set(HostileRunner.Mode.STATUS_500);
    time.advance(Duration.ofMinutes(30));
    assertThat(await2(c.collect(targets)).get("n")).isEqualTo(good);
    time.advance(Duration.ofSeconds(1));
    assertThat(await2(c.collect(targets))).isEmpty();
    assertThat(c.lastGood("n")).hasValue(good);
    assertThat(failures("n")).isEqualTo(2);

    // The node leaves the pool: its stats and its failure series go.
    assertThat(await2(c.collect(List.of()))).isEmpty();
    assertThat(c.lastGood("n")).isEmpty();
    assertThat(registry.find(RunnerStatsCollector.FAILED_COUNTER).counters()).isEmpty();
  }

  @Test
  void closedCollectorRefusesAndBuilderChecks() {
    RunnerStatsCollector c = collector(5005).build();
    c.close();
    assertThatThrownBy(() -> c.collect(List.of())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RunnerStatsCollector.builder("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RunnerStatsCollector.builder("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> collector(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> collector(1).timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(c.toString()).doesNotContain(TOKEN);
  }
}
