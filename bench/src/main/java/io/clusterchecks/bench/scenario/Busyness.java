package io.clusterchecks.bench.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The reference's busyness rebalance (docs/reference/dispatcher.md section 10.3), written from its
 * description: integer busyness per node, integer average, visit nodes by decreasing busyness, move
 * the heaviest cluster check of a node above the average to the node with the smallest diff if
 * {@code diff(dest) + weight < int(diff(src) × 0.9)}, otherwise stop with that node.
 */
public final class Busyness {
  private Busyness() {}

  /** One stat entry: a cluster check (movable) or a node check (counted, never moved). */
  public record Item(int id, long weight, boolean clusterCheck) {}

  public record Node(String name, List<Item> items) {}

  public record Moved(int id, long weight, String from, String to) {}

  /** Current defaults: wE = 0, wM = 1, wH = 1, wV = 0.2; 0 for a failed run. */
  public static long weight(boolean failed, double execMs, long metricSamples, long histogramBuckets,
      long events) {
    return weight(failed, execMs, metricSamples, histogramBuckets, events, 0, 1, 1, 0.2);
  }

  public static long weight(boolean failed, double execMs, long metricSamples, long histogramBuckets,
      long events, double wE, double wM, double wH, double wV) {
    if (failed) {
      return 0;
    }
    return (long) (wE * execMs + wM * metricSamples + wH * histogramBuckets + wV * events);
  }

  /** The weights of the reference's older tests (docs/reference/scenarios.md item 28): exec 0.8, metric samples 0.2. */
  public static long legacyWeight(double execMs, long metricSamples) {
    return weight(false, execMs, metricSamples, 0, 0, 0.8, 0.2, 0, 0);
  }

  /** Integer mean of node busyness (sum over all entries, node checks included). */
  public static long average(List<Node> nodes) {
    long total = 0;
    for (Node n : nodes) {
      for (Item it : n.items()) {
        total += it.weight();
      }
    }
    return nodes.isEmpty() ? 0 : total / nodes.size();
  }

  public static List<Moved> plan(List<Node> nodes) {
    List<Moved> moves = new ArrayList<>();
    int n = nodes.size();
    if (n == 0) {
      return moves;
    }
    long[] diff = new long[n];
    long total = 0;
    List<PriorityQueue<long[]>> heaps = new ArrayList<>(n);
    long seen = 0;
    for (int i = 0; i < n; i++) {
      long busy = 0;
      // {weight, first-seen order, id}: heaviest first, ties first-seen
      PriorityQueue<long[]> heap = new PriorityQueue<>(
          Comparator.<long[]>comparingLong(a -> -a[0]).thenComparingLong(a -> a[1]));
      for (Item it : nodes.get(i).items()) {
        busy += it.weight();
        if (it.clusterCheck()) {
          heap.add(new long[] {it.weight(), seen++, it.id()});
        }
      }
      diff[i] = busy;
      total += busy;
      heaps.add(heap);
    }
    long avg = total / n;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long[] busyness = diff.clone();
    java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -busyness[i])
        .thenComparing(i -> nodes.get(i).name()));
    for (int i = 0; i < n; i++) {
      diff[i] -= avg;
    }
    TreeSet<Integer> byDiff = new TreeSet<>(
        Comparator.<Integer>comparingLong(i -> diff[i]).thenComparing(i -> nodes.get(i).name()));
    for (int i = 0; i < n; i++) {
      byDiff.add(i);
    }
    for (int src : order) {
      while (diff[src] > 0) {
        long[] unit = heaps.get(src).peek();
        if (unit == null) {
          break;
        }
        Integer dest = null;
        for (Integer d : byDiff) {
          if (d != src) {
            dest = d;
            break;
          }
        }
        if (dest == null) {
          break;
        }
        long w = unit[0];
        if (diff[dest] + w < (long) (diff[src] * 0.9)) {
          heaps.get(src).poll();
          heaps.get(dest).add(unit);
          moves.add(new Moved((int) unit[2], w, nodes.get(src).name(), nodes.get(dest).name()));
          byDiff.remove(src);
          byDiff.remove(dest);
          diff[src] -= w;
          diff[dest] += w;
          byDiff.add(src);
          byDiff.add(dest);
        } else {
          break;
        }
      }
    }
    return moves;
  }
}
