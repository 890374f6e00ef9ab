package io.clusterchecks.chaos;

/** The faults a schedule draws from, with their weights in a random schedule. */
public enum EventKind {
  /** SIGKILL a worker process (it loses what it ran), start a fresh one under the same name later. */
  WORKER_KILL(3),
  /** A worker stops posting its status (stalled, partitioned) and comes back with what it held. */
  WORKER_SILENT(3),
  /** SIGKILL the leader replica, start it again later. */
  LEADER_KILL(2),
  /** SIGSTOP a replica (a long GC pause), SIGCONT it later. */
  REPLICA_PAUSE(2),
  /** Stop one ZooKeeper server of the three, restart it later. */
  ZK_SERVER_KILL(1),
  /** Drop every byte between one replica and ZooKeeper. */
  ZK_CUT(2),
  /** Delay every byte between one replica and ZooKeeper. */
  ZK_DELAY(1),
  /** Black-hole the workers' path to one replica (open connections hang, new ones go elsewhere). */
  WORKER_LINK_CUT(2),
  /** Delay every byte on the workers' path to one replica. */
  WORKER_LINK_DELAY(1),
  /** New conf.d files. */
  CONFD_ADD(2),
  /** conf.d files rewritten with a new revision (a new digest). */
  CONFD_EDIT(2),
  /** conf.d files removed. */
  CONFD_DELETE(2);

  final int weight;

  EventKind(int weight) {
    this.weight = weight;
  }
}
