package io.clusterchecks.server.ha;

/**
 * Who leads among the replicas. A backend reports what it observes to a {@link Listener}; it
 * never decides what the replica does about it (that is {@link LeadershipHandler}).
 *
 * <p>Backends: {@link StaticLeaderElection} ({@code leader_election: false}: this replica leads),
 * {@link KubernetesLeaderElection} (a Lease), {@link ZooKeeperLeaderElection} (Curator).
 */
public interface LeaderElection extends AutoCloseable {

  /** Starts taking part; events go to {@code listener}, from any thread. Called once. */
  void start(Listener listener);

  /**
   * Stops taking part. A leading replica steps down (the listener hears
   * {@link Listener#leaderUnknown()}) before the backend releases its leadership, so no other
   * replica can lead while this one still does.
   */
  @Override
  void close();

  /** What the backend observed. Calls may repeat; the listener ignores non-changes. */
  interface Listener {
    /** This replica holds the leadership; the term is unknown (treated as 1). */
    void leading();

    /**
     * This replica holds the leadership in {@code term}: a number from the backend that is
     * greater for every later leadership of the cluster (ZooKeeper: the latch node's sequence;
     * Kubernetes: the Lease's transitions count; static: 1). It fences a deposed leader: its
     * version tokens and placement copies carry an older term.
     */
    default void leading(long term) {
      leading();
    }

    /** Another replica holds the leadership and answers at this address. */
    void following(LeaderAddress leader);

    /**
     * No leader is known: none observed yet, the leadership was released, or this replica lost
     * its own (cannot renew, ZooKeeper session suspended). Never a reason to lead.
     */
    void leaderUnknown();

    /** Observing failed; whatever was known stays as it is. */
    void observationFailed(String what, Throwable cause);
  }
}
