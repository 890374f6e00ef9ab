package io.clusterchecks.bench.scenario;

import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing with bounded loads on partitions, the way the OpenTelemetry target allocator's
 * hashing library behaves (docs/reference/peer-dispatchers.md sections 1, 2): every member has {@code replication}
 * points on a 64-bit ring; each of {@code partitions} partitions hashes onto the ring and walks
 * clockwise to the first member holding fewer than ⌈⌊partitions / members⌋ × load⌉ partitions; a
 * key's owner is the owner of partition hash(key) mod partitions. The allocator rebuilds the ring
 * on every membership change. Written from that description; the hash is our own 64-bit hash
 * (behaviourally equivalent: any uniform hash), so individual placements differ from the real one.
 *
 * <p>With more members than partitions the library's bound is 0 and it refuses to build; here the
 * bound is raised to 1 so the simulation can go on, which leaves every member beyond the
 * 1,061st without work.
 */
public final class BoundedLoadRing {
  public static final int PARTITIONS = 1061;
  public static final int REPLICATION = 5;
  public static final double LOAD = 1.1;

  private final int[] owner;
  private final int[] partitionsPerMember;
  private final int bound;

  /** @param members member names, in any order (the ring does not depend on it) */
  public BoundedLoadRing(List<String> members, int partitions, int replication, double load) {
    int n = members.size();
    if (n == 0) {
      throw new IllegalArgumentException("no members");
    }
    int points = n * replication;
    long[] hashes = new long[points];
    int k = 0;
    for (int m = 0; m < n; m++) {
      for (int i = 0; i < replication; i++) {
        hashes[k++] = World.hash64(members.get(m) + i);
      }
    }
    // sort points by unsigned hash, remembering the member of each
    Integer[] idx = new Integer[points];
    for (int i = 0; i < points; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Long.compareUnsigned(hashes[a], hashes[b]));
    long[] sorted = new long[points];
    int[] memberAt = new int[points];
    for (int i = 0; i < points; i++) {
      sorted[i] = hashes[idx[i]];
      memberAt[i] = idx[i] / replication;
    }
    bound = Math.max(1, (int) Math.ceil((partitions / n) * load));
    owner = new int[partitions];
    partitionsPerMember = new int[n];
    for (int p = 0; p < partitions; p++) {
      long h = World.mix64(p * 0x9E3779B97F4A7C15L + 0x7F4A7C15L);
      int i = ceilingUnsigned(sorted, h);
      int tried = 0;
      while (partitionsPerMember[memberAt[i]] >= bound) {
        i = (i + 1) % points;
        if (++tried >= points) {
          throw new IllegalStateException("not enough room to distribute partitions");
        }
      }
      owner[p] = memberAt[i];
      partitionsPerMember[memberAt[i]]++;
    }
  }

  public BoundedLoadRing(List<String> members) {
    this(members, PARTITIONS, REPLICATION, LOAD);
  }

  /** Index (into the member list given) of the key's owner. */
  public int locate(String key) {
    long h = World.hash64(key);
    return owner[(int) Long.remainderUnsigned(h, owner.length)];
  }

  public int bound() {
    return bound;
  }

  public int partitionsOf(int member) {
    return partitionsPerMember[member];
  }

  private static int ceilingUnsigned(long[] sorted, long h) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(sorted[mid], h) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == sorted.length ? 0 : lo;
  }
}
