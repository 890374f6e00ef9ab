package io.clusterchecks.simulator;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.stats.CheckStats;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What simulated checks cost, for simulated runners serving {@code GET /api/v1/clcrunner/stats}
 * (docs/reference/protocol.md section 6). Nothing is executed: the numbers are made up from this model.
 *
 * <p>A check's {@link Cost} is looked up by check ID, then by config digest, then by check name,
 * then the default. Its average execution time at a moment {@code t} (time since the runner's
 * simulation epoch) is
 *
 * <pre>
 *   max(0, (base + drift × minutes(t)) × (1 + noise × u))
 * </pre>
 *
 * where {@code u} in [-1, 1) is a pure function of the seed, the check ID and the noise period
 * {@code t} falls in. Same seed, same check ID, same moment: same number, whatever the order or
 * thread of the requests. So a test on a manual clock sees exactly reproducible stats, and a
 * timing only changes when the clock crosses into the next noise period.
 *
 * <p>The interval of a {@link Cost} only feeds the simulated counters ({@code TotalRuns}, …) and
 * the worker utilization of {@code /workers}; the dispatcher takes the interval from the config
 * ({@code min_collection_interval}), so keep both in line when that matters.
 *
 * <p>Immutable and thread-safe.
 */
public final class SyntheticCosts {
  /** The agent's default {@code min_collection_interval}. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_NOISE_PERIOD = Duration.ofSeconds(10);
  /** 10 ms per run, no drift, no noise. */
  public static final Cost DEFAULT_COST = Cost.of(10);

  /**
   * The cost of one check instance.
   *
   * @param averageExecutionTimeMs the base average run time, in milliseconds (at least 0)
   * @param driftMsPerMinute how much the run time grows (or, negative, shrinks) per minute
   * @param noise relative noise in [0, 1): 0.1 spreads timings over ±10 %
   * @param interval the simulated collection interval (counters and utilization only)
   * @param metricSamples metric samples per run
   */
  public record Cost(double averageExecutionTimeMs, double driftMsPerMinute, double noise, Duration interval,
      long metricSamples) {
    public Cost {
      if (!(averageExecutionTimeMs >= 0) || Double.isInfinite(averageExecutionTimeMs)) {
        throw new IllegalArgumentException("average execution time must be a finite value >= 0: "
            + averageExecutionTimeMs);
      }
      if (!Double.isFinite(driftMsPerMinute)) {
        throw new IllegalArgumentException("drift must be finite: " + driftMsPerMinute);
      }
      if (!(noise >= 0 && noise < 1)) {
        throw new IllegalArgumentException("noise must be in [0, 1): " + noise);
      }
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("interval must be positive: " + interval);
      }
      if (metricSamples < 0) {
        throw new IllegalArgumentException("metric samples must be >= 0: " + metricSamples);
      }
    }

    /** A steady cost: {@code ms} per run every 15 s, no drift, no noise, no metric samples. */
    public static Cost of(double ms) {
      return new Cost(ms, 0, 0, DEFAULT_INTERVAL, 0);
    }

    public Cost withDrift(double msPerMinute) {
      return new Cost(averageExecutionTimeMs, msPerMinute, noise, interval, metricSamples);
    }

    public Cost withNoise(double relative) {
      return new Cost(averageExecutionTimeMs, driftMsPerMinute, relative, interval, metricSamples);
    }

    public Cost withInterval(Duration d) {
      return new Cost(averageExecutionTimeMs, driftMsPerMinute, noise, d, metricSamples);
    }

    public Cost withMetricSamples(long samples) {
      return new Cost(averageExecutionTimeMs, driftMsPerMinute, noise, interval, samples);
    }
  }

  private final Cost defaultCost;
  private final Map<String, Cost> byCheckName;
  private final Map<String, Cost> byDigest;
  private final Map<String, Cost> byCheckId;
  private final long seed;
  private final long noisePeriodMillis;

  private SyntheticCosts(Builder b) {
    this.defaultCost = b.defaultCost;
    this.byCheckName = Map.copyOf(b.byCheckName);
    this.byDigest = Map.copyOf(b.byDigest);
    this.byCheckId = Map.copyOf(b.byCheckId);
    this.seed = b.seed;
    this.noisePeriodMillis = b.noisePeriod.toMillis();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every check costs {@link #DEFAULT_COST}. */
  public static SyntheticCosts uniform() {
    return builder().build();
  }

  /** The cost of one instance: by check ID, else digest, else check name, else the default. */
  public Cost costOf(String checkId, String digest, String checkName) {
    Cost c = byCheckId.get(checkId);
    if (c == null && digest != null) {
      c = byDigest.get(digest);
    }
    if (c == null && checkName != null) {
      c = byCheckName.get(checkName);
    }
    return c != null ? c : defaultCost;
  }

  /** The average execution time (ms, rounded) of one instance {@code elapsed} after the epoch. */
  public long executionTimeMs(String checkId, String digest, String checkName, Duration elapsed) {
    return executionTimeMs(checkId, costOf(checkId, digest, checkName), elapsedMillis(elapsed));
  }

  private long executionTimeMs(String checkId, Cost cost, long elapsedMs) {
    double value = cost.averageExecutionTimeMs() + cost.driftMsPerMinute() * (elapsedMs / 60_000.0);
    if (cost.noise() > 0) {
      value *= 1 + cost.noise() * unitNoise(checkId, elapsedMs / noisePeriodMillis);
    }
    return value <= 0 ? 0 : Math.round(value);
  }

  /**
   * The stats a runner holding {@code configs} (by digest) reports {@code elapsed} after the
   * epoch, for every instance of every config, keyed by {@link CheckIds#checkIds(Config)}.
   *
   * @param nowMillis wall-clock time stamped into {@code LastExecutionDate}/{@code LastSuccessDate}
   */
  public Map<String, CheckStats> statsFor(Map<String, Config> configs, Duration elapsed, long nowMillis) {
    long elapsedMs = elapsedMillis(elapsed);
    Map<String, CheckStats> out = new LinkedHashMap<>();
    for (Map.Entry<String, Config> e : configs.entrySet()) {
      Config config = e.getValue();
      List<String> ids = CheckIds.checkIds(config);
      for (String id : ids) {
        Cost cost = costOf(id, e.getKey(), config.checkName());
        long exec = executionTimeMs(id, cost, elapsedMs);
        long runs = elapsedMs / cost.interval().toMillis() + 1;
        out.put(id, new CheckStats(exec, cost.metricSamples(), 0, 0, 1, false, "", runs, 0,
            runs * cost.metricSamples(), 0, runs, nowMillis / 1000, nowMillis));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * How busy each of {@code workers} check workers is when running {@code configs}: the summed
   * share of its interval each instance runs for, spread evenly, at most 1 per worker.
   */
  public double utilizationPerWorker(Map<String, Config> configs, Duration elapsed, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be positive: " + workers);
    }
    long elapsedMs = elapsedMillis(elapsed);
    double busy = 0;
    for (Map.Entry<String, Config> e : configs.entrySet()) {
      for (String id : CheckIds.checkIds(e.getValue())) {
        Cost cost = costOf(id, e.getKey(), e.getValue().checkName());
        busy += executionTimeMs(id, cost, elapsedMs) / (double) cost.interval().toMillis();
      }
    }
    return Math.min(1.0, busy / workers);
  }

  public long seed() {
    return seed;
  }

  private static long elapsedMillis(Duration elapsed) {
    return Math.max(0, Objects.requireNonNull(elapsed, "elapsed").toMillis());
  }

  /** A value in [-1, 1) that depends only on the seed, the check ID and the noise period index. */
  private double unitNoise(String checkId, long period) {
    long h = mix(seed ^ 0x5DEECE66DL);
    h = mix(h ^ checkId.hashCode());
    h = mix(h + period);
    return ((h >>> 11) * 0x1.0p-53) * 2 - 1;
  }

  /** A 64-bit finalizer (xor-shift-multiply) spreading every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "SyntheticCosts[default " + defaultCost + ", " + byCheckName.size() + " by name, " + byDigest.size()
        + " by digest, " + byCheckId.size() + " by check ID, seed " + seed + "]";
  }

  /** Settings of {@link SyntheticCosts}. */
  public static final class Builder {
    private Cost defaultCost = DEFAULT_COST;
    private final Map<String, Cost> byCheckName = new HashMap<>();
    private final Map<String, Cost> byDigest = new HashMap<>();
    private final Map<String, Cost> byCheckId = new HashMap<>();
    private long seed;
    private Duration noisePeriod = DEFAULT_NOISE_PERIOD;

    private Builder() {}

    /** The cost of checks nothing more specific matches ({@link #DEFAULT_COST}). */
    public Builder defaultCost(Cost cost) {
      this.defaultCost = Objects.requireNonNull(cost, "cost");
      return this;
    }

    /** The cost of every instance of checks named {@code checkName}. */
    public Builder checkName(String checkName, Cost cost) {
      byCheckName.put(Objects.requireNonNull(checkName, "checkName"), Objects.requireNonNull(cost, "cost"));
      return this;
    }

    /** The cost of every instance of the config with this digest; wins over the check name. */
    public Builder digest(String digest, Cost cost) {
      byDigest.put(Objects.requireNonNull(digest, "digest"), Objects.requireNonNull(cost, "cost"));
      return this;
    }

    /** The cost of one instance; wins over everything else. */
    public Builder checkId(String checkId, Cost cost) {
      byCheckId.put(Objects.requireNonNull(checkId, "checkId"), Objects.requireNonNull(cost, "cost"));
      return this;
    }

    /** The seed of the noise (0 by default). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** How long one noisy timing holds before the next is drawn (10 s). */
    public Builder noisePeriod(Duration period) {
      Objects.requireNonNull(period, "noisePeriod");
      if (period.toMillis() < 1) {
        throw new IllegalArgumentException("noise period must be at least 1 ms: " + period);
      }
      this.noisePeriod = period;
      return this;
    }

    public SyntheticCosts build() {
      return new SyntheticCosts(this);
    }
  }
}
