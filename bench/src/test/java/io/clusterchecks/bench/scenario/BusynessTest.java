package io.clusterchecks.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference's busyness rebalance, docs/reference/scenarios.md items 28 and 30 (legacy weights: exec 0.8, samples 0.2, 10 samples). */
class BusynessTest {
  /** Node "A" with checks of the given exec times; check ids are A's index × 100 + position. */
  private static Busyness.Node node(String name, int... execMs) {
    List<Busyness.Item> items = new ArrayList<>();
    for (int i = 0; i < execMs.length; i++) {
      items.add(new Busyness.Item(id(name, i), Busyness.legacyWeight(execMs[i], 10), true));
    }
    return new Busyness.Node(name, items);
  }

  private static int id(String node, int i) {
    return (node.charAt(0) - 'A') * 100 + i;
  }

  private static List<String> moves(Busyness.Node... nodes) {
    return Busyness.plan(List.of(nodes)).stream()
        .map(m -> m.from() + (m.id() % 100) + "->" + m.to())
        .toList();
  }

  @Test
  void item28CaseList() {
    assertThat(moves(node("A", 50, 20, 100, 300), node("B", 50, 20, 100))).isEmpty();
    assertThat(moves(node("A", 50, 20, 100, 200), node("B", 20, 10, 100))).containsExactly("A3->B");
    assertThat(moves(node("A", 50, 20, 100, 300), node("B", 20, 10, 100), node("C", 5, 90, 110), node("D", 10)))
        .containsExactly("A3->D");
    assertThat(moves(node("A", 50, 20, 100, 300), node("B", 50, 20, 100, 200, 500), node("C", 20, 10, 100),
        node("D", 5, 90, 110), node("E", 10))).containsExactly("B4->E", "B3->C");
    assertThat(moves(node("A", 50, 20, 100, 300), node("B", 20, 100, 300, 500, 40, 60), node("C", 20)))
        .containsExactly("B3->C");
    assertThat(moves(node("A", 50), node("B"))).isEmpty();
    assertThat(moves(node("A", 50), node("B", 50))).isEmpty();
    assertThat(moves(node("A"), node("B"), node("C", 20, 500))).isEmpty();
    assertThat(moves(node("A"), node("B", 20), node("C", 20, 100), node("D", 20, 100, 300),
        node("E", 20, 100, 300, 500))).containsExactly("E3->A", "E2->B");
  }

  @Test
  void item28NodeChecksCountButNeverMove() {
    // only A0 is a cluster check on A; B has one cluster check
    Busyness.Node a = new Busyness.Node("A", List.of(
        new Busyness.Item(0, Busyness.legacyWeight(500, 10), true),
        new Busyness.Item(1, Busyness.legacyWeight(300, 10), false),
        new Busyness.Item(2, Busyness.legacyWeight(300, 10), false)));
    Busyness.Node b = new Busyness.Node("B", List.of(new Busyness.Item(100, Busyness.legacyWeight(10, 10), true)));
    assertThat(Busyness.plan(List.of(a, b))).extracting(Busyness.Moved::id).containsExactly(0);
    // all node checks: nothing moves
    Busyness.Node allNode = new Busyness.Node("A", List.of(new Busyness.Item(0, 1000, false)));
    assertThat(Busyness.plan(List.of(allNode, new Busyness.Node("B", List.of())))).isEmpty();
  }

  @Test
  void item28FailedRunWeighsNothing() {
    assertThat(Busyness.weight(true, 1000, 1000, 0, 0, 0.8, 0.2, 0, 0)).isZero();
  }

  @Test
  void item30AverageIsAnIntegerMeanOfNodes() {
    Busyness.Node n1 = new Busyness.Node("node1", List.of(new Busyness.Item(0, 1, true), new Busyness.Item(1, 2, true)));
    Busyness.Node n2 = new Busyness.Node("node2", List.of(new Busyness.Item(2, 3, true), new Busyness.Item(3, 4, true)));
    assertThat(Busyness.average(List.of(n1, n2))).isEqualTo(5);
  }

  @Test
  void currentDefaultWeightsIgnoreExecutionTime() {
    assertThat(Busyness.weight(false, 5000, 100, 10, 10)).isEqualTo(112);
  }
}
