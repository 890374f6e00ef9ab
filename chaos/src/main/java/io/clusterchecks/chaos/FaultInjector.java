package io.clusterchecks.chaos;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.testkit.TcpRelay;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Turns a scheduled event into a fault on the running cluster, and heals it. Targets are resolved
 * here, against what runs now (the leader of the moment, the workers still running).
 */
final class FaultInjector {
  /** A fault in place. */
  interface Fault {
    /** What was done, with the resolved target. */
    String description();

    /** Workers the agent may take configs away from: those that died in its eyes. */
    Set<String> mayMoveFrom();

    /** Ends the fault; may record violations seen while healing. */
    void heal() throws Exception;
  }

  private final ChaosCluster c;
  private final Invariants invariants;

  FaultInjector(ChaosCluster cluster, Invariants invariants) {
    this.c = cluster;
    this.invariants = invariants;
  }

  Fault inject(ChaosEvent e) throws Exception {
    long exp = c.options.expiration().toMillis();
    boolean outlivesExpiry = e.fault().toMillis() > exp;
    switch (e.kind()) {
      case WORKER_KILL: {
        String w = runningWorker(e.target());
        c.fleet.kill(w);
        return fault("SIGKILL " + w, outlivesExpiry ? Set.of(w) : Set.of(), () -> c.fleet.restart(w));
      }
      case WORKER_SILENT: {
        String w = runningWorker(e.target());
        c.fleet.silence(w);
        return fault("silence " + w, outlivesExpiry ? Set.of(w) : Set.of(), () -> comeBack(w, outlivesExpiry));
      }
      case LEADER_KILL: {
        Optional<ReplicaProcess> leader = c.leader();
        if (leader.isEmpty()) {
          return fault("no sole leader to kill", Set.of(), () -> { });
        }
        ReplicaProcess r = leader.get();
        String what = "SIGKILL leader " + r;
        frontLink(r).ready(false);
        r.kill();
        return fault(what, Set.of(), () -> {
          r.start();
          frontLink(r).ready(true);
        });
      }
      case REPLICA_PAUSE: {
        ReplicaProcess r = c.replicas.get(e.target() % ChaosCluster.REPLICAS);
        boolean leading = c.leader().map(l -> l == r).orElse(false);
        String what = "SIGSTOP " + (leading ? "leader " : "follower ") + r;
        frontLink(r).ready(false);
        r.pause();
        return fault(what, Set.of(), () -> {
          r.resume();
          frontLink(r).ready(true);
        });
      }
      case ZK_SERVER_KILL: {
        int s = e.target() % c.zk.size();
        c.zk.kill(s);
        return fault("stop ZooKeeper server " + s, Set.of(), () -> c.zk.restart(s));
      }
      case ZK_CUT: {
        int r = e.target() % ChaosCluster.REPLICAS;
        c.zkProxies.get(r).forEach(p -> p.links().get(0).cut());
        return fault("cut replica-" + r + " from ZooKeeper", Set.of(),
            () -> c.zkProxies.get(r).forEach(p -> p.links().get(0).restore()));
      }
      case ZK_DELAY: {
        int r = e.target() % ChaosCluster.REPLICAS;
        c.zkProxies.get(r).forEach(p -> p.links().get(0).delay(e.amount()));
        return fault("delay replica-" + r + " to ZooKeeper by " + e.amount() + " ms", Set.of(),
            () -> c.zkProxies.get(r).forEach(p -> p.links().get(0).restore()));
      }
      case WORKER_LINK_CUT: {
        TcpRelay.Link l = c.workerFront.links().get(e.target() % ChaosCluster.REPLICAS);
        l.cut();
        return fault("cut workers from " + l.name(), Set.of(), l::restore);
      }
      case WORKER_LINK_DELAY: {
        TcpRelay.Link l = c.workerFront.links().get(e.target() % ChaosCluster.REPLICAS);
        l.delay(e.amount());
        return fault("delay workers to " + l.name() + " by " + e.amount() + " ms", Set.of(), l::restore);
      }
      case CONFD_ADD:
        c.corpus.addNew(e.amount());
        return fault("add " + e.amount() + " conf.d file(s)", Set.of(), () -> { });
      case CONFD_EDIT: {
        List<String> edited = c.corpus.edit(e.amount(), new Random(e.target()));
        return fault("edit " + edited.size() + " conf.d file(s)", Set.of(), () -> { });
      }
      case CONFD_DELETE: {
        // Keep at least half of the initial corpus, so a long run does not empty it.
        int room = Math.max(0, c.corpus.expected().size() - c.options.configs() / 2);
        List<String> deleted = c.corpus.delete(Math.min(room, e.amount()), new Random(e.target()));
        return fault("delete " + deleted.size() + " conf.d file(s)", Set.of(), () -> { });
      }
      default:
        throw new IllegalArgumentException("unknown event kind " + e.kind());
    }
  }

  /**
   * A silent worker comes back. If the agent gave its configs to others meanwhile, the first
   * answer it gets must take them away: it may not keep running them past its first contact.
   */
  private void comeBack(String w, boolean expired) throws InterruptedException {
    Map<String, Map<String, Config>> holdings = c.fleet.holdings();
    Set<String> elsewhere = new HashSet<>();
    holdings.forEach((other, configs) -> {
      if (!other.equals(w)) {
        elsewhere.addAll(configs.keySet());
      }
    });
    Set<String> movedAway = new HashSet<>(holdings.getOrDefault(w, Map.of()).keySet());
    movedAway.retainAll(elsewhere);
    WorkerFleet.FirstContact first = c.fleet.resume(w);
    if (first == null) {
      invariants.violation("contact:" + w, w + " could not reach any replica when it came back");
      return;
    }
    Set<String> kept = new HashSet<>(first.heldAfter().keySet());
    kept.retainAll(movedAway);
    if (!kept.isEmpty()) {
      invariants.violation("first-contact:" + w, w + " came back (silent " + (expired ? "past" : "within")
          + " the expiry) and still ran " + kept.size() + " config(s) given to others after its first contact ("
          + first.outcome() + ")");
    }
  }

  /** A running worker, one that runs configs when there is any: a fault on an idle worker shows nothing. */
  private String runningWorker(int target) {
    Map<String, Map<String, Config>> holdings = c.fleet.holdings();
    List<String> running = c.fleet.ids().stream()
        .filter(id -> c.fleet.state(id) == WorkerFleet.State.RUNNING).toList();
    List<String> busy = running.stream().filter(id -> !holdings.getOrDefault(id, Map.of()).isEmpty()).toList();
    List<String> from = busy.isEmpty() ? running : busy;
    return from.get(target % from.size());
  }

  private TcpRelay.Link frontLink(ReplicaProcess r) {
    return c.workerFront.links().get(r.index());
  }

  /** A healing step that may throw. */
  private interface Healing {
    void run() throws Exception;
  }

  private static Fault fault(String description, Set<String> mayMoveFrom, Healing heal) {
    return new Fault() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public Set<String> mayMoveFrom() {
        return mayMoveFrom;
      }

      @Override
      public void heal() throws Exception {
        heal.run();
      }
    };
  }
}
