package io.clusterchecks.server.ha;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.PlacementCopy;
import io.clusterchecks.core.dispatch.PlacementDelta;
import io.clusterchecks.server.api.RequestGate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's role (docs/reference/leader-election.md section 3): unknown, leader or follower, driven by what
 * the {@link LeaderElection} backend observes, and the {@link RequestGate} that follows from it:
 * unknown answers 503 {@code Startup in progress}, the leader serves, a follower forwards to the
 * leader.
 *
 * <p>Unlike the reference, "no leader observed" never makes a replica lead: only the backend's
 * {@link #leading()} does. Transitions:
 * <pre>
 *   unknown  --leading-->   leader     dispatcher.start(warm copy)
 *   unknown  --following--> follower
 *   leader   --following--> follower   gate flips first, then dispatcher.stop() (returns at once)
 *   leader   --unknown-->   unknown    same
 *   follower --following--> follower   (another leader: the forward target changes, no event)
 *   follower --leading-->   leader
 *   follower --unknown-->   unknown
 *   any      --error-->     unchanged
 * </pre>
 *
 * <p>Warm copy: while following, {@link PlacementPuller} hands the leader's placement to
 * {@link #acceptPlacement}; on stepping down the replica keeps its own last placement. The copy is
 * what {@link Dispatcher#start(Map)} gets on becoming leader, so a failover moves only the configs
 * of workers that stopped reporting.
 */
public final class LeadershipHandler implements RequestGate, LeaderElection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipHandler.class);

  /** The state endpoint's {@code not_running} on a follower. */
  public static final String CURRENTLY_FOLLOWER = "currently follower";
  static final String METRIC = "leader_election_is_leader";
  private static final int ERROR_LOG_EVERY = 100;

  /** The three roles of docs/reference/leader-election.md section 3. */
  public enum Role { UNKNOWN, LEADER, FOLLOWER }

  private record State(Role role, LeaderAddress leader, URI leaderUri) {}

  private final Dispatcher dispatcher;
  private volatile LeaderAddress self;
  private final LeaderForwarder forwarder;
  private final boolean tls;
  private final MeterRegistry registry;
  private final Object lock = new Object();
  private final List<Consumer<Role>> observers = new CopyOnWriteArrayList<>();

  private volatile State state = new State(Role.UNKNOWN, null, null);
  /**
   * Replaced by a pull from the followed leader, or by this replica's own last placement; never
   * by a copy of an older term than the one held (a deposed leader's).
   */
  private final AtomicReference<PlacementCopy> warmCopy = new AtomicReference<>(PlacementCopy.NONE);
  /** Guarded by lock. */
  private long observationErrors;
  private Gauge gauge;

  /**
   * @param dispatcher started on leading, stopped on stepping down
   * @param self this replica as the others reach it, or null until {@link #bind}; a backend
   *     reporting it as the leader of others is treated as "no leader known"
   * @param forwarder relays a follower's worker requests; null only without leader election
   * @param tls whether the replicas serve HTTPS (the forward target's scheme)
   */
  public LeadershipHandler(Dispatcher dispatcher, LeaderAddress self, LeaderForwarder forwarder,
      boolean tls, MeterRegistry registry) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.self = self;
    this.forwarder = forwarder;
    this.tls = tls;
    this.registry = Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      publishGauge(false);
    }
  }

  /** Sets this replica's address once the API port is known (before the election starts). */
  public void bind(LeaderAddress self) {
    this.self = Objects.requireNonNull(self, "self");
  }

  // ---------------------------------------------------------------- election events

  @Override
  public void leading() {
    leading(1);
  }

  @Override
  public void leading(long term) {
    synchronized (lock) {
      State prev = state;
      if (prev.role() == Role.LEADER) {
        return;
      }
      state = new State(Role.LEADER, self, null);
      PlacementCopy copy = warmCopy.get();
      LOG.info("Leadership: {} -> leader: this replica ({}) leads in term {}; starting from a placement of {} configs"
          + " (term {})", describe(prev), self == null ? "static" : self, term, copy.byDigest().size(), copy.term());
      if (copy.term() > term) {
        LOG.warn("Leadership: the election's term {} is older than the copied placement's term {}", term, copy.term());
      }
      publishGauge(true);
      dispatcher.start(term, copy.byDigest());
      notifyObservers(Role.LEADER);
    }
  }

  @Override
  public void following(LeaderAddress leader) {
    Objects.requireNonNull(leader, "leader");
    LeaderAddress me = self;
    if (me != null && leader.hostPort().equals(me.hostPort())) {
      // Our own election entry, but the backend does not say we lead (a suspended session, a
      // latch being reset): not a leader we can forward to.
      leaderUnknown();
      return;
    }
    synchronized (lock) {
      State prev = state;
      if (prev.role() == Role.FOLLOWER && leader.equals(prev.leader())) {
        return;
      }
      if (forwarder == null) {
        throw new IllegalStateException("a replica without a forwarder cannot follow");
      }
      state = new State(Role.FOLLOWER, leader, leader.baseUri(tls));
      if (prev.role() == Role.FOLLOWER) {
        LOG.info("Leadership: the leader is now {} (was {}); forwarding there", leader, prev.leader());
        return; // no event: only the target changed
      }
      LOG.info("Leadership: {} -> follower: the leader is {}; forwarding worker requests there",
          describe(prev), leader);
      if (prev.role() == Role.LEADER) {
        stepDown();
      }
      notifyObservers(Role.FOLLOWER);
    }
  }

  @Override
  public void leaderUnknown() {
    synchronized (lock) {
      State prev = state;
      if (prev.role() == Role.UNKNOWN) {
        return;
      }
      state = new State(Role.UNKNOWN, null, null);
      LOG.info("Leadership: {} -> unknown: no leader known; answering 503 until one is", describe(prev));
      if (prev.role() == Role.LEADER) {
        stepDown();
      }
      notifyObservers(Role.UNKNOWN);
    }
  }

  @Override
  public void observationFailed(String what, Throwable cause) {
    synchronized (lock) {
      long n = observationErrors++;
      if (n % ERROR_LOG_EVERY == 0) {
        LOG.warn("Leadership: {} failed ({} so far), staying {}: {}", what, n + 1,
            state.role().name().toLowerCase(Locale.ROOT), String.valueOf(cause));
      }
    }
  }

  /**
   * Called with the lock held, the gate already flipped: stop dispatching and keep the placement
   * as the warm copy. Nothing here waits for the dispatch thread (this is the election backend's
   * thread, which must be free for the next event): the dispatcher keeps its configs, so nothing
   * is replayed, and its last placement becomes the warm copy when the stop completes, unless a
   * pull from the new leader replaced the copy first.
   */
  private void stepDown() {
    publishGauge(false);
    PlacementCopy before = warmCopy.get();
    dispatcher.stop().thenAccept(own -> {
      if (!own.byDigest().isEmpty() && own.term() >= before.term()) {
        warmCopy.compareAndSet(before, own);
      }
    });
  }

  // ---------------------------------------------------------------- warm copy

  /**
   * The leader's placement, pulled by a follower. Ignored unless this replica still follows
   * {@code from} (a pull that finished after a change of leader, or after this replica took over).
   *
   * A copy from an older term than the one held is a deposed leader's answer: ignored too.
   *
   * @param version the copy's version token (its term in the high bits; 0 when the leader did not
   *     say, accepted as of the held term)
   * @return the copy now held (what {@link #warmCopy} returns until it changes), or null if ignored
   */
  public Map<String, String> acceptPlacement(LeaderAddress from, long version, Map<String, String> placement) {
    synchronized (lock) {
      State s = state;
      PlacementCopy held = warmCopy.get();
      long term = Dispatcher.termOf(version);
      if (s.role() == Role.FOLLOWER && s.leader().equals(from) && (version == 0 || term >= held.term())) {
        PlacementCopy copy = new PlacementCopy(version == 0 ? held.version() : version, Map.copyOf(placement));
        warmCopy.set(copy);
        return copy.byDigest();
      }
      if (version != 0 && term < held.term()) {
        LOG.warn("Leadership: ignoring a placement of term {} from {}: this replica holds one of term {}",
            term, from, held.term());
      }
      return null;
    }
  }

  /**
   * What changed in the leader's placement since the copy this replica holds, pulled by a
   * follower: applied to that copy, on the caller's thread and outside the lock (at a million
   * configs the copy is rebuilt in tens of milliseconds), and taken only if, by then, this
   * replica still follows {@code from} and still holds the very copy the changes start from.
   *
   * @return the copy now held, or null if ignored (the previous copy stays)
   */
  public Map<String, String> acceptPlacementChanges(LeaderAddress from, PlacementDelta delta) {
    PlacementCopy held = warmCopy.get();
    if (held.version() == 0 || held.version() != delta.since() || delta.version() < delta.since()) {
      return null;
    }
    Map<String, String> next = delta.applyTo(held.byDigest());
    synchronized (lock) {
      State s = state;
      if (s.role() == Role.FOLLOWER && s.leader().equals(from) && warmCopy.get() == held) {
        PlacementCopy copy = new PlacementCopy(delta.version(), next);
        warmCopy.set(copy);
        return copy.byDigest();
      }
      return null;
    }
  }

  /** As {@link #acceptPlacement(LeaderAddress, long, Map)} without a version (kept as of the held term). */
  public Map<String, String> acceptPlacement(LeaderAddress from, Map<String, String> placement) {
    return acceptPlacement(from, 0, placement);
  }

  /** The placement this replica would start from if it led now. */
  public Map<String, String> warmCopy() {
    return warmCopy.get().byDigest();
  }

  /** The warm copy with its version (0 when the leader it came from did not say one). */
  public PlacementCopy heldCopy() {
    return warmCopy.get();
  }

  // ---------------------------------------------------------------- views

  public Role role() {
    return state.role();
  }

  public boolean isLeader() {
    return state.role() == Role.LEADER;
  }

  /** The leader this replica forwards to, when following. */
  public Optional<LeaderAddress> followedLeader() {
    State s = state;
    return s.role() == Role.FOLLOWER ? Optional.of(s.leader()) : Optional.empty();
  }

  /** This replica as the others reach it; null without leader election. */
  public LeaderAddress self() {
    return self;
  }

  /**
   * Calls {@code observer} with the new role on every transition, synchronously and in order
   * (follower-to-follower leader changes are not transitions).
   */
  public void addObserver(Consumer<Role> observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  // ---------------------------------------------------------------- gate

  @Override
  public Decision admit() {
    State s = state;
    return switch (s.role()) {
      case LEADER -> Serve.INSTANCE;
      case FOLLOWER -> new Forward((ctx, body) -> forwarder.forward(s.leaderUri(), ctx, body));
      case UNKNOWN -> new Reject(503, STARTUP_IN_PROGRESS);
    };
  }

  @Override
  public String notRunningReason() {
    return switch (state.role()) {
      case LEADER -> "";
      case FOLLOWER -> CURRENTLY_FOLLOWER;
      case UNKNOWN -> STARTUP_IN_PROGRESS;
    };
  }

  // ---------------------------------------------------------------- helpers

  /** {@code leader_election_is_leader{join_leader="true",is_leader="true|false"} 1} (docs/reference/metrics.md section 1). */
  private void publishGauge(boolean leader) {
    if (gauge != null) {
      registry.remove(gauge);
    }
    gauge = Gauge.builder(METRIC, () -> 1)
        .description("Leadership of this replica")
        .tag("join_leader", "true")
        .tag("is_leader", Boolean.toString(leader))
        .register(registry);
  }

  private void notifyObservers(Role role) {
    for (Consumer<Role> o : observers) {
      try {
        o.accept(role);
      } catch (RuntimeException e) {
        LOG.warn("Leadership observer failed", e);
      }
    }
  }

  private static String describe(State s) {
    return switch (s.role()) {
      case UNKNOWN -> "unknown";
      case LEADER -> "leader";
      case FOLLOWER -> "follower of " + s.leader();
    };
  }

  @Override
  public String toString() {
    return "LeadershipHandler[" + describe(state) + "]";
  }
}
