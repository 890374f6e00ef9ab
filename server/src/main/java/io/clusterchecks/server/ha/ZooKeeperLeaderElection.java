package io.clusterchecks.server.ha;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a ZooKeeper ensemble with Curator's {@link LeaderLatch}, for replicas on VMs.
 * Each replica's latch node carries its participant id {@code identity@host:port}
 * ({@link LeaderAddress#participantId()}), which is how followers find the leader's API.
 *
 * <p>Safety: the replica steps down as soon as its connection is SUSPENDED (or LOST), before the
 * ensemble can expire its session and let another replica lead: the ZooKeeper client suspends
 * after two thirds of the session timeout without an answer, the ensemble expires the session
 * only after the whole timeout. After a reconnection the latch takes part again (Curator
 * recreates its node, so another replica may lead by then).
 *
 * <p>Followers read the leader every {@code observePeriod} (at most a second), and at once on
 * every latch or connection change.
 */
public final class ZooKeeperLeaderElection implements LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderElection.class);

  private final String connectString;
  private final String path;
  private final Duration sessionTimeout;
  private final LeaderAddress self;
  private final Duration observePeriod;
  private final ScheduledExecutorService observer;
  private CuratorFramework client;
  private LeaderLatch latch;
  private Listener listener;
  /** Guarded by this. False while the connection is suspended or lost. */
  private boolean connected;
  private boolean closed;

  public ZooKeeperLeaderElection(String connectString, String path, Duration sessionTimeout, LeaderAddress self) {
    this.connectString = Objects.requireNonNull(connectString, "connectString");
    this.path = Objects.requireNonNull(path, "path");
    this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    this.self = Objects.requireNonNull(self, "self");
    long quarter = Math.max(100, sessionTimeout.toMillis() / 4);
    this.observePeriod = Duration.ofMillis(Math.min(1000, quarter));
    this.observer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "zk-leader-observer");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public synchronized void start(Listener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    int sessionMs = (int) sessionTimeout.toMillis();
    client = CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .sessionTimeoutMs(sessionMs)
        .connectionTimeoutMs(Math.min(sessionMs, 15_000))
        .retryPolicy(new ExponentialBackoffRetry(100, 29, Math.max(1000, sessionMs / 3)))
        // Keep to the configured servers: the ensemble's own view of its addresses may not be
        // reachable from here (NAT, proxies, load balancers).
        .ensembleTracker(false)
        .build();
    client.getConnectionStateListenable().addListener((c, newState) -> onConnectionState(newState));
    client.start();
    latch = new LeaderLatch(client, path, self.participantId(), LeaderLatch.CloseMode.NOTIFY_LEADER);
    latch.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        observeSoon();
      }

      @Override
      public void notLeader() {
        stepDownIfLeading("the latch says this replica no longer leads");
        observeSoon();
      }
    });
    try {
      latch.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the ZooKeeper leader latch on " + path + ": " + e, e);
    }
    LOG.info("Leader election on ZooKeeper {} at {} as {}, session timeout {} ms", connectString, path,
        self.participantId(), sessionMs);
    observer.scheduleWithFixedDelay(this::observe, 0, observePeriod.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onConnectionState(ConnectionState newState) {
    synchronized (this) {
      if (closed) {
        return;
      }
      switch (newState) {
        case SUSPENDED, LOST -> {
          connected = false;
          LOG.warn("ZooKeeper connection {}: stepping down until the session is back", newState);
          listener.leaderUnknown();
        }
        case CONNECTED, RECONNECTED -> {
          connected = true;
          LOG.info("ZooKeeper connection {}", newState);
        }
        default -> { }
      }
    }
    observeSoon();
  }

  private void observeSoon() {
    try {
      observer.execute(this::observe);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private synchronized void stepDownIfLeading(String why) {
    if (!closed && listener != null) {
      LOG.info("ZooKeeper election: {}", why);
      listener.leaderUnknown();
    }
  }

  /**
   * The leadership term: our latch node's sequence number (plus one: sequences start at 0).
   * ZooKeeper gives every new node under the latch path a greater sequence, and a replica leads
   * only while its node has the smallest, so a later leadership always has a greater term.
   */
  private long term() {
    String ours = latch.getOurPath();
    int dash = ours == null ? -1 : ours.lastIndexOf('-');
    try {
      return dash < 0 ? 1 : Long.parseLong(ours.substring(dash + 1)) + 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Reads the latch and tells the listener; runs on the observer thread. */
  private void observe() {
    Participant leader;
    synchronized (this) {
      if (closed || !connected) {
        return;
      }
      if (latch.hasLeadership()) {
        listener.leading(term());
        return;
      }
    }
    try {
      leader = latch.getLeader(); // a ZooKeeper read: not under the monitor
    } catch (Exception e) {
      synchronized (this) {
        if (!closed) {
          listener.observationFailed("reading the ZooKeeper leader", e);
        }
      }
      return;
    }
    synchronized (this) {
      if (closed || !connected) {
        return;
      }
      if (latch.hasLeadership()) {
        listener.leading(term());
      } else if (leader == null || !leader.isLeader() || leader.getId().isEmpty()) {
        listener.leaderUnknown();
      } else if (leader.getId().equals(self.participantId())) {
        // Our node comes first but the latch has not taken the leadership (yet): wait for it.
        listener.leaderUnknown();
      } else {
        try {
          listener.following(LeaderAddress.parseParticipantId(leader.getId()));
        } catch (IllegalArgumentException e) {
          listener.observationFailed("parsing the leader's participant id", e);
        }
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (listener != null) {
        listener.leaderUnknown(); // step down before the latch node goes
      }
    }
    observer.shutdownNow();
    try {
      if (latch != null) {
        latch.close();
      }
    } catch (Exception e) {
      LOG.debug("closing the leader latch", e);
    }
    if (client != null) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "zookeeper " + connectString + " " + path;
  }
}
