package io.clusterchecks.chaos;

import io.clusterchecks.core.config.Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The promises checked continuously from outside, on every {@link ObservedWorld} and on every
 * configs answer a worker applies. A broken promise is recorded as a violation with the event
 * that was running; the run goes on, so one run shows every kind it can find.
 *
 * <p><b>Starved workers.</b> The agent expires a worker it has not heard from for
 * {@code node_expiration_timeout}, and it is right to: the promise is about what it heard. A
 * worker whose requests all failed for longer than the timeout minus one request timeout, while
 * one leader served throughout (so not during a failover, when silence is the agent's to absorb),
 * was starved (by machine load, a frozen replica holding its connection): the agent may take its
 * configs, and it may run them beside their new worker until it polls. Starved workers are
 * counted; on a quiet machine there are none.
 */
final class Invariants {
  private final ConfdCorpus corpus;
  private final long starvedAfterMillis;
  private final long recoveryNanos;
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> maxTermByWorker = new ConcurrentHashMap<>();
  private final Map<Long, Integer> termOwner = new ConcurrentHashMap<>();
  private volatile String context = "start";

  // Observer thread only.
  private final Map<String, Long> doubleSince = new HashMap<>();
  private long maxDoubleRunNanos;
  private int doubleRuns;
  private int overlappingLeaderLooks;
  private long servingTerm = -1;
  private long servingSince;
  private final Map<String, Long> starvedSeenAt = new HashMap<>();
  private final Set<String> starvedSinceMark = new HashSet<>();
  private int starvations;

  Invariants(ConfdCorpus corpus, ChaosOptions options) {
    this.corpus = corpus;
    this.starvedAfterMillis = options.expiration().minus(options.requestTimeout()).toMillis();
    // A starved worker that gets through again drops what it lost within a poll and a request.
    this.recoveryNanos = options.workerPoll().plus(options.requestTimeout()).multipliedBy(2).toNanos();
  }

  /** Names the event now running, for the messages. */
  void context(String event) {
    this.context = event;
  }

  /** A worker applied a configs answer carrying {@code token}: its term never goes back. */
  void applied(String worker, long token) {
    if (token <= 0) {
      return; // nothing held (a fresh worker, or a flush)
    }
    long term = token >>> 32;
    Long before = maxTermByWorker.merge(worker, term, Math::max);
    if (before > term) {
      violation("term", worker + " acted on an answer of term " + term + " after one of term " + before);
    }
  }

  /** One look: nothing invented, one replica per term, no config on two posting workers. */
  synchronized void observe(ObservedWorld w) {
    for (Map.Entry<String, Map<String, Config>> e : w.holdings().entrySet()) {
      for (Config c : e.getValue().values()) {
        ConfigIdentity id = ConfigIdentity.of(c);
        if (!corpus.everWritten(id.file())) {
          violation("invented:" + id, e.getKey() + " runs " + id + ", which no conf.d file ever held");
        }
      }
    }
    for (ReplicaProbe.View v : w.replicas()) {
      if (v.term() > 0) {
        Integer owner = termOwner.putIfAbsent(v.term(), v.replica());
        if (owner != null && owner != v.replica()) {
          violation("term-owner:" + v.term(), "replicas " + owner + " and " + v.replica() + " both led term " + v.term());
        }
      }
    }
    if (w.leaderCount() > 1) {
      overlappingLeaderLooks++;
    }
    trackStarvation(w);
    Set<String> doubled = new HashSet<>();
    w.holders().forEach((digest, holders) -> {
      if (holders.size() < 2) {
        return;
      }
      doubled.add(digest);
      doubleSince.putIfAbsent(digest, w.nanos());
      long posting = holders.stream().filter(h -> !w.silent().contains(h) && !recentlyStarved(h, w.nanos())).count();
      if (posting > 1) {
        violation("double:" + digest, "config " + digest + " runs on " + holders + ", none of them silent");
      }
    });
    doubleSince.entrySet().removeIf(e -> {
      if (doubled.contains(e.getKey())) {
        return false;
      }
      doubleRuns++;
      maxDoubleRunNanos = Math.max(maxDoubleRunNanos, w.nanos() - e.getValue());
      return true;
    });
  }

  private void trackStarvation(ObservedWorld w) {
    Optional<ReplicaProbe.View> leader = w.soleLeader().filter(v -> !v.warmup() && v.term() > 0);
    if (leader.isEmpty()) {
      servingTerm = -1;
      return;
    }
    if (leader.get().term() != servingTerm) {
      servingTerm = leader.get().term();
      servingSince = w.nanos();
    }
    long servingMillis = (w.nanos() - servingSince) / 1_000_000;
    w.contactAgeMillis().forEach((worker, age) -> {
      if (age > starvedAfterMillis && servingMillis > age && !w.silent().contains(worker)) {
        starvedSeenAt.put(worker, w.nanos());
        if (starvedSinceMark.add(worker)) {
          starvations++;
        }
      }
    });
  }

  private boolean recentlyStarved(String worker, long now) {
    Long seen = starvedSeenAt.get(worker);
    return seen != null && now - seen < recoveryNanos;
  }

  /** Starts a new event: starvation is counted from here. */
  synchronized void mark() {
    starvedSinceMark.clear();
  }

  /** Workers starved since the last {@link #mark()}. */
  synchronized Set<String> starvedSinceMark() {
    return Set.copyOf(starvedSinceMark);
  }

  synchronized int starvations() {
    return starvations;
  }

  /**
   * Compares where configs ran before and after an event. Configs may move only off a worker that
   * died in the agent's eyes ({@code mayMoveFrom}); any other move is a false expiry. Returns the
   * moves, and the false expiries among them.
   */
  int[] moves(String event, Map<String, String> before, Map<String, String> after, Set<String> mayMoveFrom) {
    int moves = 0;
    Set<String> falselyExpired = new HashSet<>();
    for (Map.Entry<String, String> e : after.entrySet()) {
      String was = before.get(e.getKey());
      if (was != null && !was.equals(e.getValue())) {
        moves++;
        if (!mayMoveFrom.contains(was)) {
          falselyExpired.add(was);
        }
      }
    }
    if (!falselyExpired.isEmpty()) {
      violation("moves:" + event, "configs moved off " + falselyExpired + ", which did not die");
    }
    return new int[] {moves, falselyExpired.size()};
  }

  void violation(String key, String message) {
    if (reported.add(context + "|" + key)) {
      violations.add("[" + context + "] " + message);
    }
  }

  List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  /** Completed windows in which a config ran on two workers (one of them silent). */
  synchronized int doubleRuns() {
    return doubleRuns;
  }

  synchronized long maxDoubleRunMillis() {
    return maxDoubleRunNanos / 1_000_000;
  }

  int overlappingLeaderLooks() {
    return overlappingLeaderLooks;
  }

  int termsSeen() {
    return termOwner.size();
  }
}
