package io.clusterchecks.server.ha;

/** {@code leader_election: false}: this replica leads from the start, as the reference does. */
public final class StaticLeaderElection implements LeaderElection {
  private Listener listener;

  @Override
  public synchronized void start(Listener listener) {
    this.listener = listener;
    listener.leading(1); // one replica, one term; restarts are told apart by served tokens
  }

  @Override
  public synchronized void close() {
    if (listener != null) {
      listener.leaderUnknown();
      listener = null;
    }
  }

  @Override
  public String toString() {
    return "static (leader_election: false)";
  }
}
