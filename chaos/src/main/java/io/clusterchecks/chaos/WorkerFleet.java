package io.clusterchecks.chaos;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterChecksWorker;
import io.clusterchecks.worker.ClusterChecksWorker.PollOutcome;
import io.clusterchecks.worker.InsecureTls;
import io.clusterchecks.worker.WorkerListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulated workers, each a real {@link ClusterChecksWorker} speaking the protocol over TLS to
 * the workers' proxy. What a worker runs is what it holds ({@link ClusterChecksWorker#currentConfigs()}).
 *
 * <p>A <b>killed</b> worker is gone with everything it ran (a SIGKILLed process); a restart is a
 * fresh worker under the same name, holding nothing. A <b>silent</b> worker stops posting but
 * keeps running its checks; when it comes back, its first polls run here, on the caller's thread,
 * so the caller sees exactly what it learnt at its first contact.
 */
final class WorkerFleet implements AutoCloseable {
  enum State { RUNNING, SILENT, DEAD }

  /** Called on a worker's poll thread each time it applies a configs answer, with the answer's token. */
  interface ApplyListener {
    void applied(String worker, long lastChange);
  }

  private static final int WORKERS_PER_CLIENT = 10;

  private final ChaosOptions options;
  private final List<String> ids = new ArrayList<>();
  private final List<ClusterAgentClient> clients = new ArrayList<>();
  private final Map<String, ClusterChecksWorker> workers = new ConcurrentHashMap<>();
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor executor;
  private final ApplyListener onApply;

  WorkerFleet(String url, String token, ChaosOptions options, ApplyListener onApply) {
    this.options = options;
    this.onApply = onApply;
    AtomicInteger threads = new AtomicInteger();
    // A worker has at most a poll and an extra heartbeat in flight, each blocking for up to the
    // request timeout when a replica is frozen or the machine is slow: two threads a worker, so
    // slow answers never queue other workers' polls (a shared pool smaller than that backs up
    // once requests time out, and every worker then expires together).
    this.executor = new ScheduledThreadPoolExecutor(2 * options.workers(), r -> {
      Thread t = new Thread(r, "chaos-worker-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    for (int i = 0; i < options.workers(); i += WORKERS_PER_CLIENT) {
      clients.add(ClusterAgentClient.builder(url).token(token).sslContext(InsecureTls.trustAllContext())
          .requestTimeout(options.requestTimeout()).build());
    }
    for (int i = 0; i < options.workers(); i++) {
      ids.add(String.format("worker-%03d", i));
    }
  }

  void startAll() {
    ids.forEach(this::spawn);
  }

  List<String> ids() {
    return List.copyOf(ids);
  }

  State state(String id) {
    return states.getOrDefault(id, State.DEAD);
  }

  /** SIGKILL: the worker and what it ran are gone. */
  void kill(String id) {
    ClusterChecksWorker w = workers.remove(id);
    states.put(id, State.DEAD);
    if (w != null) {
      w.close();
    }
  }

  /** A fresh process under the same name, holding nothing. */
  void restart(String id) {
    spawn(id);
  }

  /** Stops posting its status; keeps running its checks. */
  void silence(String id) {
    ClusterChecksWorker w = workers.get(id);
    if (w != null) {
      w.stop();
      states.put(id, State.SILENT);
    }
  }

  /**
   * Comes back: polls on this thread until the agent answers a status (a failed status is no
   * contact), then resumes its schedule. Returns the outcome of the first contact and the configs
   * held right after it, or null if no contact was made within a few attempts.
   */
  FirstContact resume(String id) throws InterruptedException {
    ClusterChecksWorker w = workers.get(id);
    if (w == null) {
      return null;
    }
    FirstContact first = null;
    for (int attempt = 0; attempt < 10 && first == null; attempt++) {
      PollOutcome o = w.pollOnce();
      if (o != PollOutcome.STATUS_ERROR && o != PollOutcome.STATUS_ERROR_IN_GRACE) {
        first = new FirstContact(o, Map.copyOf(w.currentConfigs()));
      } else {
        Thread.sleep(options.workerPoll().toMillis());
      }
    }
    states.put(id, State.RUNNING);
    w.start();
    return first;
  }

  /** What a returning worker learnt at its first contact. */
  record FirstContact(PollOutcome outcome, Map<String, Config> heldAfter) {}

  /** What every worker that is not dead holds now, by digest. */
  Map<String, Map<String, Config>> holdings() {
    Map<String, Map<String, Config>> out = new LinkedHashMap<>();
    for (String id : ids) {
      ClusterChecksWorker w = workers.get(id);
      if (w != null && state(id) != State.DEAD) {
        out.put(id, w.currentConfigs());
      }
    }
    return out;
  }

  /** Per worker that is not dead, milliseconds since the agent last answered it; absent before any answer. */
  Map<String, Long> contactAges() {
    Instant now = Instant.now();
    Map<String, Long> out = new LinkedHashMap<>();
    workers.forEach((id, w) -> w.lastSuccessfulContact()
        .ifPresent(t -> out.put(id, Duration.between(t, now).toMillis())));
    return out;
  }

  private void spawn(String id) {
    ClusterAgentClient client = clients.get(ids.indexOf(id) / WORKERS_PER_CLIENT);
    ClusterChecksWorker[] self = new ClusterChecksWorker[1];
    WorkerListener listener = new WorkerListener() {
      @Override
      public void onScheduled(List<Config> configs) {
        report();
      }

      @Override
      public void onUnscheduled(List<Config> configs) {
        report();
      }

      private void report() {
        ClusterChecksWorker w = self[0];
        if (w != null) {
          onApply.applied(id, w.lastChange());
        }
      }
    };
    ClusterChecksWorker w = ClusterChecksWorker.builder(client, id).listener(listener)
        .pollInterval(options.workerPoll()).nodeExpirationTimeout(options.expiration())
        .extraHeartbeatTimeout(options.requestTimeout()).executor(executor).build();
    self[0] = w;
    workers.put(id, w);
    states.put(id, State.RUNNING);
    w.start();
  }

  @Override
  public void close() {
    workers.values().forEach(ClusterChecksWorker::close);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
