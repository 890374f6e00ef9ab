package io.clusterchecks.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.server.Agent;
import io.clusterchecks.server.ha.LeadershipHandler.Role;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.worker.ClusterChecksWorker;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Several agents in one JVM, each with its own API socket, and a log of every role change of
 * every replica, in the order they happened, to prove that two never led at once.
 */
final class Replicas implements AutoCloseable {
  static final String TOKEN = "ha-test-token-0123456789abcdef0123456789abcdef";
  static final Duration EXPIRATION = Duration.ofSeconds(3);
  // Survivors must report to a new leader within its warmup, through followers that may take
  // over a second to learn who leads (Kubernetes retry period and jitter): 4 s leaves room on a
  // loaded 2-core CI machine.
  static final Duration WARMUP = Duration.ofSeconds(4);

  record Change(int replica, Role role, long nanos) {}

  private final List<Agent> agents = new ArrayList<>();
  private final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
  private final List<SimulatedWorkerFleet> fleets = new ArrayList<>();

  /** Starts {@code n} agents; {@code factory} gives replica i its election backend. */
  Replicas(int n, IntFunction<AgentSettings> settings, IntFunction<LeaderElectionFactory> factory) {
    for (int i = 0; i < n; i++) {
      int replica = i;
      LeaderElectionFactory real = factory.apply(i);
      LeaderElectionFactory observed = (s, self) -> {
        LeaderElection e = real.create(s, self);
        return new LeaderElection() {
          @Override
          public void start(Listener listener) {
            ((LeadershipHandler) listener).addObserver(
                role -> changes.add(new Change(replica, role, System.nanoTime())));
            e.start(listener);
          }

          @Override
          public void close() {
            e.close();
          }
        };
      };
      agents.add(Agent.start(settings.apply(i), observed));
    }
  }

  /**
   * Writes {@code count} http_check configs into {@code confd}, each file in one step (a hidden
   * temporary file renamed), since running replicas may be watching.
   */
  static void writeConfd(Path confd, int count) throws IOException {
    Path dir = Files.createDirectories(confd.resolve("http_check.d"));
    for (int i = 0; i < count; i++) {
      String name = String.format("svc-%02d.yaml", i);
      Path tmp = Files.writeString(dir.resolve("." + name + ".tmp"),
          "cluster_check: true\ninit_config:\ninstances:\n  - name: svc-" + i + "\n    url: http://svc-" + i + "/\n");
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** The env of a replica; the caller adds the election keys. */
  static Map<String, String> baseEnv(Path confd, String host) {
    Map<String, String> env = new HashMap<>();
    env.put("DD_CLUSTER_AGENT_AUTH_TOKEN", TOKEN);
    env.put("DD_CLUSTER_AGENT_CMD_HOST", host);
    env.put("DD_CLUSTER_AGENT_ADVERTISE_HOST", host);
    env.put("DD_METRICS_PORT", "0");
    env.put("DD_HEALTH_PORT", "0");
    env.put("DD_CONFD_PATH", confd.toString());
    env.put("DD_AUTOCONF_CONFIG_FILES_POLL_INTERVAL", "1");
    env.put("DD_CLUSTER_CHECKS_WARMUP_DURATION", WARMUP.toSeconds() + "s");
    env.put("DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", EXPIRATION.toSeconds() + "s");
    env.put("DD_LEADER_ELECTION", "true");
    return env;
  }

  Agent agent(int i) {
    return agents.get(i);
  }

  int size() {
    return agents.size();
  }

  String url(int i) {
    Agent a = agents.get(i);
    return "https://" + a.leadership().self().hostPort();
  }

  /** Stops replica i as a process exit would (stepping down, leaving the election). */
  void stop(int i) {
    Agent a = agents.get(i);
    if (a != null) {
      a.close();
      agents.set(i, null);
    }
  }

  boolean running(int i) {
    return agents.get(i) != null;
  }

  /** Replicas that are running and lead now. */
  List<Integer> leaders() {
    return IntStream.range(0, agents.size())
        .filter(i -> agents.get(i) != null && agents.get(i).leadership().isLeader())
        .boxed().toList();
  }

  /** Waits for exactly one leader, with every other running replica following it. */
  int awaitSettled(Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
      List<Integer> leaders = leaders();
      if (leaders.size() != 1) {
        return false;
      }
      LeaderAddress leader = agents.get(leaders.get(0)).leadership().self();
      return IntStream.range(0, agents.size())
          .filter(i -> agents.get(i) != null && i != leaders.get(0))
          .allMatch(i -> agents.get(i).leadership().followedLeader()
              .map(l -> l.hostPort().equals(leader.hostPort())).orElse(false));
    });
    return leaders().get(0);
  }

  /** Every role change so far, in order. */
  List<Change> changes() {
    synchronized (changes) {
      return List.copyOf(changes);
    }
  }

  /** Replays the log: never two leaders at once. */
  void assertNeverTwoLeaders() {
    Set<Integer> leading = new HashSet<>();
    for (Change c : changes()) {
      if (c.role() == Role.LEADER) {
        leading.add(c.replica());
      } else {
        leading.remove(c.replica());
      }
      assertThat(leading).as("leaders after %s in %s", c, changes()).hasSizeLessThanOrEqualTo(1);
    }
  }

  SimulatedWorkerFleet fleet(String url, String prefix, int count) {
    SimulatedWorkerFleet f = SimulatedWorkerFleet.builder(url, TOKEN).idPrefix(prefix).count(count)
        .pollInterval(Duration.ofMillis(200))
        .workerCustomizer(b -> b.nodeExpirationTimeout(EXPIRATION))
        .build();
    fleets.add(f);
    f.startAll();
    return f;
  }

  /** Digests by running worker, across all fleets. */
  Map<String, Set<String>> digestsByWorker() {
    Map<String, Set<String>> out = new HashMap<>();
    fleets.forEach(f -> out.putAll(f.digestsByWorker()));
    return out;
  }

  /** Running workers by id. */
  Map<String, ClusterChecksWorker> runningWorkers() {
    Map<String, ClusterChecksWorker> out = new HashMap<>();
    fleets.forEach(f -> f.workers().stream().filter(ClusterChecksWorker::isRunning)
        .forEach(w -> out.put(w.identifier(), w)));
    return out;
  }

  /** Each of {@code expected} configs runs on exactly one running worker. */
  void assertRunningOnce(int expected) {
    Map<String, Integer> count = new HashMap<>();
    digestsByWorker().values().forEach(s -> s.forEach(d -> count.merge(d, 1, Integer::sum)));
    assertThat(count).hasSize(expected);
    assertThat(count.values()).allMatch(n -> n == 1);
  }

  @Override
  public void close() {
    fleets.forEach(SimulatedWorkerFleet::close);
    for (int i = 0; i < agents.size(); i++) {
      try {
        stop(i);
      } catch (RuntimeException e) {
        // keep closing the others
      }
    }
  }
}
