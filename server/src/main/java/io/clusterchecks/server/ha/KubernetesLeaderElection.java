package io.clusterchecks.server.ha;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Kubernetes Lease ({@code leader_lease_name} in the agent's namespace)
 * with fabric8's {@code LeaderElector}: lease {@code leader_lease_duration}, renew deadline half
 * of it, retry a fifth (fabric8 refuses the reference's quarter, see {@link #retryPeriod()}),
 * identity the pod name; the lease is released on shutdown when
 * {@code leader_election_release_on_shutdown} is true.
 *
 * <p>Safety: a leader that cannot renew within the renew deadline steps down (the elector's
 * {@code onStopLeading}), while another replica can take the lease only once the whole lease
 * duration has passed since the last renewal.
 *
 * <p>The leader's address is its Pod's {@code status.podIP} (the Pod named as the Lease holder, in
 * the same namespace) and {@code cluster_agent.cmd_port}. A fabric8 elector does not run again
 * once stopped, so after losing the lease a new one takes part again.
 */
public final class KubernetesLeaderElection implements LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesLeaderElection.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Duration leaseDuration;
  private final boolean releaseOnShutdown;
  private final int cmdPort;
  private final ScheduledExecutorService executor;
  private Listener listener;
  /** Guarded by this. */
  private CompletableFuture<?> running;
  private String observedLeader;
  private boolean leading;
  private boolean closed;

  /**
   * @param namespace where the Lease and the replicas' Pods are
   * @param identity this pod's name
   * @param cmdPort the port every replica's API listens on
   */
  public KubernetesLeaderElection(KubernetesClient client, String namespace, String leaseName, String identity,
      Duration leaseDuration, boolean releaseOnShutdown, int cmdPort) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
    this.releaseOnShutdown = releaseOnShutdown;
    this.cmdPort = cmdPort;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "k8s-leader-observer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The pod name: {@code POD_NAME}, else {@code HOSTNAME} (a pod's host name is its name).
   *
   * @param env the environment the settings were loaded from ({@code AgentSettings::env})
   */
  public static String defaultIdentity(java.util.function.UnaryOperator<String> env) {
    String pod = env.apply("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod.trim();
    }
    String host = env.apply("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot tell this pod's name: set POD_NAME", e);
    }
  }

  Duration renewDeadline() {
    return leaseDuration.dividedBy(2);
  }

  /**
   * A fifth of the lease, not the reference's quarter: fabric8 requires the renew deadline to
   * exceed the retry period plus its jitter (2.2 retry periods), which a quarter (0.55 lease)
   * never satisfies against half a lease.
   */
  Duration retryPeriod() {
    return leaseDuration.dividedBy(5);
  }

  @Override
  public synchronized void start(Listener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    LOG.info("Leader election on Lease {}/{} as {}: lease {} ms, renew deadline {} ms, retry {} ms", namespace,
        leaseName, identity, leaseDuration.toMillis(), renewDeadline().toMillis(), retryPeriod().toMillis());
    participate();
  }

  /** Starts a new elector; called at start and after each loss of the lease. Holds the monitor. */
  private void participate() {
    LeaderElectionConfig config = new LeaderElectionConfigBuilder()
        .withName("clusterchecks")
        .withLock(new LeaseLock(namespace, leaseName, identity))
        .withLeaseDuration(leaseDuration)
        .withRenewDeadline(renewDeadline())
        .withRetryPeriod(retryPeriod())
        .withReleaseOnCancel(releaseOnShutdown)
        .withLeaderCallbacks(new LeaderCallbacks(this::onStartLeading, this::onStopLeading, this::onNewLeader))
        .build();
    CompletableFuture<?> f = client.leaderElector().withConfig(config).build().start();
    running = f;
    f.whenComplete((v, t) -> {
      synchronized (this) {
        if (closed || running != f) {
          return;
        }
        if (t != null) {
          LOG.warn("Leader election on Lease {}/{} ended: {}; taking part again", namespace, leaseName, t.toString());
        }
        executor.schedule(this::participateAgain, retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  private synchronized void participateAgain() {
    if (!closed) {
      participate();
    }
  }

  private synchronized void onStartLeading() {
    if (closed) {
      return;
    }
    leading = true;
    observedLeader = identity;
    listener.leading(term());
  }

  /**
   * The leadership term: the Lease's transitions count (plus one: it starts at 0), which the
   * elector increments whenever the holder changes. Read once as the leadership starts; if the
   * read fails the term is 1, and the leadership is not fenced against older ones.
   */
  private long term() {
    try {
      var lease = client.leases().inNamespace(namespace).withName(leaseName).get();
      Integer transitions = lease == null || lease.getSpec() == null ? null : lease.getSpec().getLeaseTransitions();
      return transitions == null ? 1 : transitions + 1L;
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the Lease {}/{} for the leadership term, using 1: {}", namespace, leaseName, e.toString());
      return 1;
    }
  }

  private synchronized void onStopLeading() {
    if (closed || !leading) {
      return; // already stepped down (another holder was observed first)
    }
    LOG.info("Lease {}/{} lost or not renewed within {} ms: stepping down", namespace, leaseName,
        renewDeadline().toMillis());
    leading = false;
    if (identity.equals(observedLeader)) {
      observedLeader = null;
    }
    listener.leaderUnknown();
  }

  private synchronized void onNewLeader(String holder) {
    if (closed) {
      return;
    }
    observedLeader = holder == null || holder.isEmpty() ? null : holder;
    if (observedLeader == null) {
      if (!leading) {
        listener.leaderUnknown();
      }
      return;
    }
    if (observedLeader.equals(identity)) {
      return; // onStartLeading follows
    }
    if (leading) {
      leading = false;
      listener.leaderUnknown(); // another holder while we thought we led: step down first
    }
    String expected = observedLeader;
    executor.execute(() -> resolve(expected));
  }

  /** Finds the holder's pod IP; retries every retry period while the holder stays the same. */
  private void resolve(String holder) {
    String ip = null;
    Exception failure = null;
    try {
      Pod pod = client.pods().inNamespace(namespace).withName(holder).get();
      if (pod != null && pod.getStatus() != null && pod.getStatus().getPodIP() != null
          && !pod.getStatus().getPodIP().isEmpty()) {
        ip = pod.getStatus().getPodIP();
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    synchronized (this) {
      if (closed || leading || !holder.equals(observedLeader)) {
        return;
      }
      if (ip != null) {
        listener.following(new LeaderAddress(holder, ip, cmdPort));
        return;
      }
      listener.observationFailed("finding the pod IP of the leader " + holder + " in " + namespace,
          failure != null ? failure : new IllegalStateException("no such pod, or no pod IP yet"));
      executor.schedule(() -> resolve(holder), retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    CompletableFuture<?> f;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (listener != null) {
        listener.leaderUnknown(); // step down before the lease is released
      }
      closed = true;
      f = running;
    }
    executor.shutdownNow();
    if (f != null) {
      f.cancel(true); // releases the lease when configured to, synchronously
    }
  }

  @Override
  public String toString() {
    return "kubernetes lease " + namespace + "/" + leaseName + " as " + identity;
  }
}
