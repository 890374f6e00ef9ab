package io.clusterchecks.chaos;

import io.clusterchecks.testkit.ReplicaEnvironment;
import io.clusterchecks.testkit.TcpRelay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a run starts, wired together: a ZooKeeper ensemble of three in this process, three
 * agent replicas as processes, a proxy between each replica and each ZooKeeper server, one proxy
 * in front of the replicas for the workers, the simulated workers and the watched conf.d.
 */
final class ChaosCluster implements AutoCloseable {
  static final int REPLICAS = 3;
  static final String TOKEN = "chaos-token-0123456789abcdef0123456789abcdef";

  final ChaosOptions options;
  final ConfdCorpus corpus;
  final ZooKeeperEnsemble zk;
  /** zkLinks.get(replica).get(server): the link of that replica to that ZooKeeper server. */
  final List<List<TcpRelay>> zkProxies = new ArrayList<>();
  final TcpRelay workerFront;
  final List<ReplicaProcess> replicas = new ArrayList<>();
  final WorkerFleet fleet;
  private final ReplicaProbe probe;
  // A run stopped from outside (Ctrl-C, a test timeout) must not leave agent processes behind.
  private final Thread reaper = new Thread(this::destroyReplicas, "chaos-reaper");

  ChaosCluster(ChaosOptions options, Path workDir, ConfdCorpus corpus, WorkerFleet.ApplyListener onApply)
      throws Exception {
    this.options = options;
    this.corpus = corpus;
    Path confd = corpus.root();
    zk = new ZooKeeperEnsemble();
    int[] ports = FreePorts.pick(REPLICAS);
    List<TcpRelay.Link> fronts = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      List<TcpRelay> mine = new ArrayList<>();
      for (int s = 0; s < zk.size(); s++) {
        mine.add(TcpRelay.start("zk-r" + i + "-s" + s, List.of(new TcpRelay.Link("zk" + s, zk.clientPort(s)))));
      }
      zkProxies.add(mine);
      fronts.add(new TcpRelay.Link("replica-" + i, ports[i]));
    }
    workerFront = TcpRelay.start("workers", fronts);
    String classPath = System.getProperty("java.class.path");
    for (int i = 0; i < REPLICAS; i++) {
      ReplicaProcess p = new ReplicaProcess(i, ports[i], env(i, confd, ports[i]),
          workDir.resolve("replica-" + i + ".log"), classPath);
      replicas.add(p);
    }
    probe = new ReplicaProbe(TOKEN, options.requestTimeout());
    fleet = new WorkerFleet("https://127.0.0.1:" + workerFront.port(), TOKEN, options, onApply);
  }

  private Map<String, String> env(int i, Path confd, int port) {
    Map<String, String> env = ReplicaEnvironment.loopback(TOKEN, port, confd);
    env.put("DD_AUTOCONF_CONFIG_FILES_POLL_INTERVAL", "1");
    env.put("DD_CLUSTER_CHECKS_WARMUP_DURATION", options.warmup().toSeconds() + "s");
    env.put("DD_CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT", options.expiration().toSeconds() + "s");
    // Long enough for every worker started together to report, so the first placement spreads.
    env.put("DD_CLUSTER_CHECKS_ARRIVAL_WINDOW", "5s");
    // No runner stats here, so no load-aware rebalancing: every move the suite sees comes from a fault.
    env.put("DD_CLUSTER_CHECKS_ADVANCED_DISPATCHING_ENABLED", "false");
    env.put("DD_LEADER_ELECTION", "true");
    env.put("DD_LEADER_ELECTION_BACKEND", "zookeeper");
    env.put("DD_LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING", zkProxies.get(i).stream()
        .map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(",")));
    env.put("DD_LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT", options.sessionTimeout().toSeconds() + "s");
    env.put("DD_LOG_LEVEL", "info");
    return env;
  }

  /** Starts the three replica processes. */
  void startReplicas() throws IOException {
    Runtime.getRuntime().addShutdownHook(reaper);
    for (ReplicaProcess r : replicas) {
      r.start();
    }
  }

  /**
   * Looks at every replica that can answer (a frozen one cannot) and at every worker; reads the
   * leader's state too when {@code withState}.
   */
  ObservedWorld observe(boolean withState) {
    List<ReplicaProbe.View> views = new ArrayList<>();
    for (ReplicaProcess r : replicas) {
      if (r.alive() && !r.paused()) {
        probe.probe(r.index(), r.port(), withState).ifPresent(views::add);
      }
    }
    Set<String> silent = new HashSet<>();
    for (String id : fleet.ids()) {
      if (fleet.state(id) == WorkerFleet.State.SILENT) {
        silent.add(id);
      }
    }
    return new ObservedWorld(System.nanoTime(), fleet.holdings(), silent, views, fleet.contactAges());
  }

  /** The replica that says it leads, when exactly one does. */
  Optional<ReplicaProcess> leader() {
    return observe(false).soleLeader().map(v -> replicas.get(v.replica()));
  }

  private void destroyReplicas() {
    replicas.forEach(ReplicaProcess::destroy);
  }

  @Override
  public void close() throws IOException {
    fleet.close();
    destroyReplicas();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already, or never started
    }
    workerFront.close();
    zkProxies.forEach(l -> l.forEach(TcpRelay::close));
    zk.close();
  }
}
