package io.clusterchecks.server.testing;

import static org.awaitility.Awaitility.await;

import io.clusterchecks.server.Agent;
import io.clusterchecks.server.ha.LeaderElection;
import io.clusterchecks.server.ha.LeaderElectionFactory;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.worker.ClusterAgentClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Two agents on loopback with leader election on, the outcome decided here rather than by a
 * backend: the first leads (no warmup), the second follows it and forwards to it. Every port is
 * picked free; unless the caller says otherwise, advanced dispatching is off, so placement is by
 * count only.
 */
public final class LeaderAndFollower implements AutoCloseable {
  public static final String TOKEN = "two-replicas-token-0123456789abcdef0123456789";

  public final Agent leader;
  public final Agent follower;

  public LeaderAndFollower(Path confd) {
    this(confd, Map.of());
  }

  /** As {@link #LeaderAndFollower(Path)}, with these {@code DD_} variables on top of the defaults. */
  public LeaderAndFollower(Path confd, Map<String, String> env) {
    Map<String, String> all = env(confd);
    all.putAll(env);
    leader = Agent.start(SettingsLoader.load(null, all), fixed(LeaderElection.Listener::leading));
    Agent f;
    try {
      f = Agent.start(SettingsLoader.load(null, all), fixed(l -> l.following(leader.leadership().self())));
    } catch (RuntimeException e) {
      leader.close();
      throw e;
    }
    follower = f;
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.dispatcher().isLeading()
        && !leader.dispatcher().isWarmingUp() && follower.leadership().followedLeader().isPresent());
  }

  /** A client to {@code agent}'s worker API, as a worker or the CLI reaches it. */
  public static ClusterAgentClient client(Agent agent) {
    return ClusterAgentClient.builder(url(agent)).token(TOKEN).build();
  }

  public static String url(Agent agent) {
    return "https://127.0.0.1:" + agent.apiPort();
  }

  private static Map<String, String> env(Path confd) {
    Map<String, String> env = new HashMap<>();
    env.put("DD_CLUSTER_AGENT_AUTH_TOKEN", TOKEN);
    env.put("DD_CLUSTER_AGENT_CMD_HOST", "127.0.0.1");
    env.put("DD_CLUSTER_AGENT_ADVERTISE_HOST", "127.0.0.1");
    env.put("DD_CLUSTER_AGENT_CMD_PORT", "0");
    env.put("DD_METRICS_PORT", "0");
    env.put("DD_HEALTH_PORT", "0");
    env.put("DD_CONFD_PATH", confd.toString());
    env.put("DD_CLUSTER_CHECKS_WARMUP_DURATION", "0");
    // Configs go to the first worker at once, as the reference does (the window is tested in core).
    env.put("DD_CLUSTER_CHECKS_ARRIVAL_WINDOW", "0");
    env.put("DD_CLUSTER_CHECKS_ADVANCED_DISPATCHING_ENABLED", "false");
    env.put("DD_LEADER_ELECTION", "true");
    return env;
  }

  private static LeaderElectionFactory fixed(Consumer<LeaderElection.Listener> outcome) {
    return (settings, self) -> new LeaderElection() {
      @Override
      public void start(Listener listener) {
        outcome.accept(listener);
      }

      @Override
      public void close() {
        // nothing to leave: no backend
      }
    };
  }

  @Override
  public void close() {
    follower.close();
    leader.close();
  }
}
