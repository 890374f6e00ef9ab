package io.clusterchecks.bench.load;

import static io.clusterchecks.bench.load.FullScaleLoad.say;
import static io.clusterchecks.bench.load.FullScaleLoad.secondsSince;

import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.testkit.TcpRelay;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.InsecureTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;

/**
 * {@code FullScaleLoad --failover true}: a leader failover at full scale. A real ZooKeeper
 * (curator-test's {@code TestingServer}) in this process; two agent replicas as processes, each
 * with leader election on it; the simulated workers reach them through one address, a
 * {@link TcpRelay} as a Kubernetes Service would be (the follower forwards to the leader).
 * After every config is held and a steady window, the leader is SIGKILLed. Reported: time until
 * the other replica leads (the ZooKeeper session timeout bounds it), until every worker's status
 * is answered again, until every config is held from the new leader; configs moved (placement
 * before against after); status p50/p99 and answered statuses per second in the first 10 s after
 * the kill and after the new leader leads, against the steady window; the follower's placement pulls
 * (answers and bytes, from its metrics) before the kill.
 */
final class FailoverLoad {
  /** The placement endpoint's answer. */
  record PlacementBody(Map<String, String> placement, long version) {}

  private FailoverLoad() {}

  static void run(Map<String, String> o) throws Exception {
    int configs = Integer.parseInt(o.getOrDefault("configs", "20000"));
    int workers = Integer.parseInt(o.getOrDefault("workers", "500"));
    Path dir = Path.of(o.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/clusterchecks-load"));
    Path jar = FullScaleLoad.agentJar(o);
    List<String> javaOpts = Arrays.asList(o.getOrDefault("agent-java-opts", "-Xmx2g").split(" "));
    int port = Integer.parseInt(o.getOrDefault("port", "5105"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
    int steady = Integer.parseInt(o.getOrDefault("steady", "60"));
    int window = Integer.parseInt(o.getOrDefault("window", "10"));
    int threads = Integer.parseInt(o.getOrDefault("threads", "64"));
    int timeout = Integer.parseInt(o.getOrDefault("timeout", "900"));
    int session = Integer.parseInt(o.getOrDefault("session-timeout", "10"));
    boolean warmRoutes = Boolean.parseBoolean(o.getOrDefault("warm-up-worker-routes", "true"));
    boolean deltas = Boolean.parseBoolean(o.getOrDefault("placement-deltas", "true"));
    Path confd = FullScaleLoad.generatedConfd(dir, configs);
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    int[] ports = {port + 1, port + 2};
    int[] metricsPorts = {port + 3, port + 4};

    try (TestingServer zk = new TestingServer(true)) {
      List<Path> settings = new ArrayList<>();
      for (int i = 0; i < ports.length; i++) {
        Path file = dir.resolve("replica-" + i + ".yaml");
        Files.writeString(file, String.join("\n",
            "confd_path: " + confd,
            "metrics_port: " + metricsPorts[i],
            "health_port: 0",
            "log_level: info",
            "leader_election: true",
            "leader_election_backend: zookeeper",
            "leader_election_placement_deltas: " + deltas,
            "leader_election_zookeeper:",
            "  connect_string: " + zk.getConnectString(),
            "  session_timeout: " + session,
            "cluster_agent:",
            "  cmd_host: 127.0.0.1",
            "  advertise_host: 127.0.0.1",
            "  cmd_port: " + ports[i],
            "  auth_token: " + token,
            "cluster_checks:",
            "  warmup_duration: " + warmup,
            "  advanced_dispatching_enabled: false",
            "  warm_up_worker_routes: " + warmRoutes,
            ""));
        settings.add(file);
      }
      ClusterAgentClient client = ClusterAgentClient.builder("https://127.0.0.1:" + port).token(token)
          .realIp("127.0.0.1").requestTimeout(Duration.ofSeconds(30)).build();
      AgentProcess[] replicas = new AgentProcess[ports.length];
      long t0 = System.nanoTime();
      try (TcpRelay proxy = TcpRelay.start("service", port, serviceLinks(ports));
          LoadFleet fleet = new LoadFleet(client, workers, FullScaleLoad.PERIOD, threads)) {
        for (int i = 0; i < ports.length; i++) {
          replicas[i] = AgentProcess.start(jar, javaOpts, settings.get(i), dir.resolve("replica-" + i + ".log"),
              Map.of("POD_NAME", "replica-" + i));
        }
        fleet.start();
        int leader = awaitLeader(replicas, timeout);
        int follower = 1 - leader;
        replicas[follower].awaitLoaded(timeout);
        say("replica-%d leads; both replicas loaded conf.d %.1f s after start", leader, secondsSince(t0));
        awaitHeld(fleet, configs, 0, timeout, replicas[leader]);
        say("workers: every config held %.1f s after start", secondsSince(t0));

        Thread.sleep(FullScaleLoad.PERIOD.toMillis()); // every worker past its first fetch
        PullCounts pulledBefore = PullCounts.scrape(metricsPorts[follower]);
        long s0 = System.nanoTime();
        Thread.sleep(steady * 1000L);
        StatusTimeline.Window steadyWindow = fleet.timeline().window(s0, System.nanoTime());
        PullCounts pulled = PullCounts.scrape(metricsPorts[follower]);
        Map<String, String> before = placement(token, ports[leader]);
        long oldTerm = fleet.newestTerm();

        long kill = System.nanoTime();
        replicas[leader].kill();
        say("killed replica-%d (SIGKILL) holding %,d placed configs", leader, before.size());
        long leads = replicas[follower].leads().get(timeout, TimeUnit.SECONDS);
        say("replica-%d leads %.2f s after the kill", follower, (leads - kill) / 1e9);
        long allAnswered = awaitAnswered(fleet, workers, kill, timeout);
        say("every worker's status answered again %.2f s after the kill", (allAnswered - kill) / 1e9);
        long allHeld = awaitHeld(fleet, configs, oldTerm + 1, timeout, replicas[follower]);
        say("every config held from the new leader %.2f s after the kill", (allHeld - kill) / 1e9);
        Thread.sleep(Math.max(0, leads + window * 1_000_000_000L - System.nanoTime()) / 1_000_000);
        Map<String, String> after = placement(token, ports[follower]);
        long moved = before.entrySet().stream()
            .filter(e -> after.containsKey(e.getKey()) && !after.get(e.getKey()).equals(e.getValue())).count();
        long lost = before.keySet().stream().filter(d -> !after.containsKey(d)).count();

        StatusTimeline.Window afterKill = fleet.timeline().window(kill, kill + window * 1_000_000_000L);
        StatusTimeline.Window afterLead = fleet.timeline().window(leads, leads + window * 1_000_000_000L);
        say("");
        say("| configs | workers | warm-up of worker routes | new leader after | every status answered after "
            + "| every config held from the new leader after | configs moved | not placed after |");
        say("|---|---|---|---|---|---|---|---|");
        say("| %,d | %,d | %s | %.2f s | %.2f s | %.2f s | %d | %d |", configs, workers, warmRoutes ? "on" : "off",
            (leads - kill) / 1e9, (allAnswered - kill) / 1e9, (allHeld - kill) / 1e9, moved, lost);
        say("");
        say("| window | statuses answered/s | failed | status p50 / p99 | answered/s against steady |");
        say("|---|---|---|---|---|");
        row("steady (%d s)".formatted(steady), steadyWindow, steadyWindow);
        row("first %d s after the kill".formatted(window), afterKill, steadyWindow);
        row("first %d s after the new leader leads".formatted(window), afterLead, steadyWindow);
        say("");
        say("| follower's placement pulls (delta pulls %s) | whole | delta | unchanged | failed | bytes whole | bytes delta |",
            deltas ? "on" : "off");
        say("|---|---|---|---|---|---|---|");
        say("| from start to the kill | %s |", pulled.row());
        say("| in the steady window (%d s) | %s |", steady, pulled.minus(pulledBefore).row());
        say("(ZooKeeper session timeout %d s, warmup %d s; logs in %s)", session, warmup, dir);
      } finally {
        for (AgentProcess r : replicas) {
          if (r != null) {
            r.close();
          }
        }
      }
    }
  }

  private static void row(String name, StatusTimeline.Window w, StatusTimeline.Window steady) {
    say("| %s | %.0f | %d | %.2f / %.2f ms | %.2f |", name, w.answeredPerSecond(), w.failed(), w.p50Millis(),
        w.p99Millis(), w.answeredPerSecond() / steady.answeredPerSecond());
  }

  private static int awaitLeader(AgentProcess[] replicas, int timeout) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < replicas.length; i++) {
        if (replicas[i].leads().isDone() && !replicas[i].leads().isCompletedExceptionally()) {
          return i;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no replica leads after " + timeout + " s");
  }

  /** Waits until the workers hold every config, fetched in {@code term} or later; returns when. */
  private static long awaitHeld(LoadFleet fleet, int configs, long term, int timeout, AgentProcess agent)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
    while (fleet.configsHeldSinceTerm(term) < configs) {
      if (System.nanoTime() > deadline || !agent.isAlive()) {
        throw new IllegalStateException("not every config held: " + fleet.configsHeldSinceTerm(term) + " of " + configs);
      }
      Thread.sleep(50);
    }
    return System.nanoTime();
  }

  private static long awaitAnswered(LoadFleet fleet, int workers, long since, int timeout) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
    while (fleet.answeredSince(since) < workers) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("workers answered since the kill: " + fleet.answeredSince(since));
      }
      Thread.sleep(50);
    }
    return System.nanoTime();
  }

  /** The leader's placement (digest to worker), from its internal endpoint, straight (not through the proxy). */
  /** The Service's endpoints: each replica's port, in order. */
  private static List<TcpRelay.Link> serviceLinks(int[] ports) {
    List<TcpRelay.Link> links = new ArrayList<>();
    for (int i = 0; i < ports.length; i++) {
      links.add(new TcpRelay.Link("replica-" + i, ports[i]));
    }
    return links;
  }

  private static Map<String, String> placement(String token, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext()).build();
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
        + "/api/v1/clusterchecks/placement")).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("placement: " + r.statusCode() + " " + new String(r.body()));
    }
    return ConfigCodec.fromJson(r.body(), PlacementBody.class).placement();
  }
}
