package io.clusterchecks.chaos;

import java.time.Duration;

/**
 * The size and timing of one chaos run. The agent's timeouts are short so that a run covers many
 * events, and generous enough for a loaded 2-core machine (see docs/reliability.md).
 *
 * @param seed the schedule's seed: the same seed replays the same schedule
 * @param events how many fault events the schedule holds
 * @param maxDuration the run stops starting events this long after the cluster first settled
 * @param workers simulated workers (each its own {@code ClusterChecksWorker})
 * @param configs conf.d files at the start, one cluster check each
 * @param expiration the agent's {@code node_expiration_timeout}
 * @param sessionTimeout the replicas' ZooKeeper session timeout
 * @param warmup the agent's {@code warmup_duration}
 * @param workerPoll how often each worker posts its status
 */
public record ChaosOptions(
    long seed,
    int events,
    Duration maxDuration,
    int workers,
    int configs,
    Duration expiration,
    Duration sessionTimeout,
    Duration warmup,
    Duration workerPoll) {

  public ChaosOptions {
    require(events >= 1, "--events must be at least 1");
    require(workers >= 3, "--workers must be at least 3");
    require(configs >= 1, "--configs must be at least 1");
    require(!maxDuration.isNegative() && !maxDuration.isZero(), "--duration must be positive");
    require(expiration.toSeconds() >= 4 && expiration.toMillis() % 1000 == 0,
        "--expiration must be whole seconds, at least 4");
    require(sessionTimeout.toSeconds() >= 2 && sessionTimeout.toMillis() % 1000 == 0,
        "--session-timeout must be whole seconds, at least 2");
    require(warmup.toMillis() % 1000 == 0 && !warmup.isNegative(), "--warmup must be whole seconds");
    require(workerPoll.compareTo(Duration.ofMillis(200)) >= 0 && workerPoll.compareTo(expiration.dividedBy(3)) <= 0,
        "--worker-poll must be at least 200ms and at most a third of --expiration");
  }

  /** The short form run in {@code ./mvnw verify}: every kind of fault once, about a minute and a half. */
  public static ChaosOptions shortForm(long seed) {
    // Timeouts generous for a loaded 2-core machine: a worker's request may take seconds there.
    return new ChaosOptions(seed, EventKind.values().length, Duration.ofSeconds(300), 50, 1000, Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(1));
  }

  /** A worker's HTTP request timeout: a worker stuck on a frozen replica gives up well before it would expire. */
  public Duration requestTimeout() {
    return Duration.ofMillis(Math.max(1000, expiration.toMillis() / 3));
  }

  /**
   * How long after a fault is healed every config must run on exactly one live worker:
   * {@code node_expiration_timeout} plus one second.
   */
  public Duration settleBound() {
    return expiration.plusSeconds(1);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
