package io.clusterchecks.bench.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated fleet: configs with true loads, runners, the placement, and a move counter. All of
 * it derives from {@link Params#seed()}; nothing reads the wall clock. Strategies see measured
 * loads ({@link #measured}), which are the true loads with log-normal noise drawn again at every
 * stats collection, from a hash of (seed, config, collection) so that every strategy sees the
 * same noise.
 *
 * <p>Load of a config = average execution time / collection interval, capped at 1 (docs/reference/dispatcher.md section 10).
 */
public final class World {
  final Params params;
  final int capacity;
  /** Configs born so far (ids 0..born-1); the initial ones, then bursts. */
  int born;
  final double[] load;
  final int[] type;
  final int[] samples;
  final String[] digest;
  final int[] runnerOf;
  final int[] pos;
  final boolean[] placed;
  final String[] typeName;
  final List<SimRunner> all = new ArrayList<>();
  final List<SimRunner> alive = new ArrayList<>();
  long moves;
  int epoch;
  /** Virtual time in seconds. */
  long now;

  public World(Params p) {
    this.params = p;
    int extra = Math.max(1, p.configs() / 10);
    capacity = p.configs() + extra;
    load = new double[capacity];
    type = new int[capacity];
    samples = new int[capacity];
    digest = new String[capacity];
    runnerOf = new int[capacity];
    pos = new int[capacity];
    placed = new boolean[capacity];
    typeName = new String[p.checkTypes()];
    SplittableRandom rng = new SplittableRandom(p.seed());
    double[] typeMu = new double[p.checkTypes()];
    double[] interval = new double[p.checkTypes()];
    double[] intervals = {15, 15, 15, 30, 60};
    for (int t = 0; t < typeMu.length; t++) {
      typeName[t] = String.format("check_%02d", t);
      typeMu[t] = 1.2 * gaussian(rng);
      interval[t] = intervals[rng.nextInt(intervals.length)];
    }
    double[] raw = new double[capacity];
    for (int c = 0; c < capacity; c++) {
      double u = rng.nextDouble();
      int t = (int) Math.min(typeMu.length - 1, Math.floor(typeMu.length * u * u));
      type[c] = t;
      raw[c] = Math.exp(typeMu[t] + 0.8 * gaussian(rng)) / interval[t];
      samples[c] = (int) Math.max(1, Math.round(20 * Math.exp(0.5 * typeMu[t] + 0.8 * gaussian(rng))));
      digest[c] = hex8(c);
      runnerOf[c] = -1;
    }
    double sum = 0;
    for (int c = 0; c < p.configs(); c++) {
      sum += raw[c];
    }
    double scale = p.meanUtilization() * p.runners() * p.workersPerRunner() / sum;
    for (int c = 0; c < capacity; c++) {
      load[c] = Math.min(1.0, raw[c] * scale);
    }
  }

  public Params params() {
    return params;
  }

  public List<SimRunner> alive() {
    return Collections.unmodifiableList(alive);
  }

  public int born() {
    return born;
  }

  public long moves() {
    return moves;
  }

  public long now() {
    return now;
  }

  public String digest(int c) {
    return digest[c];
  }

  public static int idOf(String digest) {
    return Integer.parseUnsignedInt(digest, 16);
  }

  public String checkName(int c) {
    return typeName[type[c]];
  }

  public int type(int c) {
    return type[c];
  }

  public int checkTypes() {
    return typeName.length;
  }

  public int samples(int c) {
    return samples[c];
  }

  public double trueLoad(int c) {
    return load[c];
  }

  public SimRunner runnerOf(int c) {
    return runnerOf[c] < 0 ? null : all.get(runnerOf[c]);
  }

  /** The load the runner stats report now: true load with this collection's noise, capped at 1. */
  public double measured(int c) {
    double sigma = params.noiseSigma();
    if (sigma <= 0) {
      return load[c];
    }
    return Math.min(1.0, load[c] * Math.exp(sigma * hashGaussian(params.seed(), c, epoch)));
  }

  /** A new stats collection: measured loads get fresh noise. */
  void refreshStats() {
    epoch++;
  }

  SimRunner addRunner(String name) {
    SimRunner r = new SimRunner(all.size(), name, params.workersPerRunner());
    all.add(r);
    alive.add(r);
    return r;
  }

  /** The runner is gone: its configs are orphans (unplaced), returned in id order. */
  int[] kill(SimRunner r) {
    r.alive = false;
    alive.remove(r);
    int[] orphans = r.configIds();
    java.util.Arrays.sort(orphans);
    for (int c : orphans) {
      runnerOf[c] = -1;
    }
    r.size = 0;
    r.load = 0;
    return orphans;
  }

  /** A new config exists (not placed yet). */
  int birth() {
    if (born >= capacity) {
      throw new IllegalStateException("no more configs pre-generated");
    }
    return born++;
  }

  /**
   * Puts config c on runner r. Placing a config for the first time is not a move; anything else
   * that changes its runner is (an orphan placed again included).
   */
  public void assign(int c, SimRunner r) {
    if (r == null || !r.alive) {
      throw new IllegalStateException("no live runner for config " + c);
    }
    int from = runnerOf[c];
    if (from == r.id) {
      return;
    }
    if (from >= 0) {
      detach(c, all.get(from));
    }
    if (placed[c]) {
      moves++;
    }
    placed[c] = true;
    if (r.size == r.configs.length) {
      r.configs = java.util.Arrays.copyOf(r.configs, r.size * 2);
    }
    pos[c] = r.size;
    r.configs[r.size++] = c;
    r.load += load[c];
    runnerOf[c] = r.id;
  }

  private void detach(int c, SimRunner r) {
    int i = pos[c];
    int last = r.configs[--r.size];
    r.configs[i] = last;
    pos[last] = i;
    r.load -= load[c];
    if (r.size == 0) {
      r.load = 0;
    }
  }

  void setLoad(int c, double v) {
    double old = load[c];
    load[c] = v;
    if (runnerOf[c] >= 0) {
      all.get(runnerOf[c]).load += v - old;
    }
  }

  /** {max/mean, min/mean} of true utilization over live runners; mean = total load / total workers. */
  public double[] balance() {
    double total = 0;
    double workers = 0;
    double max = 0;
    double min = Double.MAX_VALUE;
    for (SimRunner r : alive) {
      double l = 0;
      for (int i = 0; i < r.size; i++) {
        l += load[r.configs[i]];
      }
      r.load = l; // drop accumulated rounding
      total += l;
      workers += r.workers;
      max = Math.max(max, l / r.workers);
      min = Math.min(min, l / r.workers);
    }
    double mean = workers == 0 ? 0 : total / workers;
    if (mean <= 0) {
      return new double[] {1, 1};
    }
    return new double[] {max / mean, min / mean};
  }

  /** Total true load over total workers of live runners. */
  public double meanUtilization() {
    double total = 0;
    double workers = 0;
    for (SimRunner r : alive) {
      total += r.load;
      workers += r.workers;
    }
    return workers == 0 ? 0 : total / workers;
  }

  static String hex8(int v) {
    char[] ch = new char[8];
    for (int i = 7; i >= 0; i--) {
      ch[i] = Character.forDigit(v & 0xf, 16);
      v >>>= 4;
    }
    return new String(ch);
  }

  static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  static double hashGaussian(long seed, long a, long b) {
    long h = mix64(seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b);
    long h2 = mix64(h + 0x632BE59BD9B4E019L);
    double u1 = ((h >>> 11) + 1) * 0x1.0p-53;
    double u2 = (h2 >>> 11) * 0x1.0p-53;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A 64-bit finalizer (the murmur3 / splitmix shape). */
  static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** 64-bit hash of a string: FNV-1a over its UTF-16 units, then {@link #mix64}. */
  static long hash64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix64(h);
  }
}
