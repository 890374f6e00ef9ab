package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.wire.StateResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of source changes, worker reports and time steps; after every step the
 * dispatch state must hold its invariants. This is the test that catches a config lost or run
 * twice by an unusual interleaving.
 */
class DispatcherInvariantsTest {

  interface Op {}

  record Schedule(int config) implements Op {}

  record Unschedule(int config) implements Op {}

  record Report(int node) implements Op {}

  record Advance(int seconds) implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> op = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 15).map(Schedule::new),
        Arbitraries.integers().between(0, 15).map(Unschedule::new),
        Arbitraries.integers().between(0, 4).map(Report::new),
        Arbitraries.integers().between(1, 40).map(Advance::new));
    return op.list().ofMinSize(1).ofMaxSize(80);
  }

  @Property(tries = 300)
  void everyConfigRunsOnExactlyOneLiveNodeOrDangles(@ForAll("operations") List<Op> ops) {
    // Without the arrival window, so that "a node reports" means "nothing dangles" at once; the
    // window is covered by DispatcherModelTest.
    DispatcherFixture f = new DispatcherFixture(DispatcherSettings.defaults().withArrivalWindow(java.time.Duration.ZERO)).active();
    Set<String> expected = new HashSet<>();
    Map<String, Long> lastReport = new HashMap<>();
    for (Op op : ops) {
      if (op instanceof Schedule s) {
        f.schedule(clusterCheck("c" + s.config()));
        expected.add("c" + s.config());
      } else if (op instanceof Unschedule u) {
        f.unschedule(clusterCheck("c" + u.config()));
        expected.remove("c" + u.config());
      } else if (op instanceof Report r) {
        f.heartbeat("node" + r.node());
        lastReport.put("node" + r.node(), f.time.millis());
      } else if (op instanceof Advance a) {
        f.time.advanceSeconds(a.seconds());
      }
      check(f, expected, lastReport);
    }
  }

  private static void check(DispatcherFixture f, Set<String> expected, Map<String, Long> lastReport) {
    StateResponse state = f.dispatcher.state();
    long now = f.time.millis();
    Set<String> seen = new HashSet<>();
    for (StateResponse.Node node : state.nodes()) {
      assertThat(now - lastReport.get(node.name()))
          .as("node %s is registered but silent for the timeout", node.name())
          .isLessThan(f.settings.nodeExpirationTimeout().toMillis());
      for (Config c : node.configs()) {
        assertThat(seen.add(c.checkName())).as("%s runs twice", c.checkName()).isTrue();
      }
      // Every worker's snapshot agrees with the consistent view.
      assertThat(f.checksOn(node.name())).containsExactlyInAnyOrderElementsOf(
          node.configs().stream().map(Config::checkName).toList());
    }
    for (Config c : state.dangling()) {
      assertThat(seen.add(c.checkName())).as("%s is both dangling and running", c.checkName()).isTrue();
    }
    assertThat(seen).isEqualTo(expected);
    if (!state.nodes().isEmpty()) {
      assertThat(state.dangling()).as("a node reports, so nothing may dangle").isEmpty();
    }
    // Balance: with only additions placed by least-configs the spread is at most 1; removals can
    // widen it, so just check the total.
    assertThat(f.stats().totalConfigs()).isEqualTo(expected.size());
  }

  @Provide
  Arbitrary<int[]> sizes() {
    return Combinators.combine(Arbitraries.integers().between(1, 30), Arbitraries.integers().between(0, 300))
        .as((n, c) -> new int[] {n, c});
  }

  @Property(tries = 100)
  void additionsOnlyKeepEveryNodeWithinOneConfigOfTheOthers(@ForAll("sizes") int[] size) {
    DispatcherFixture f = new DispatcherFixture().active();
    for (int i = 0; i < size[0]; i++) {
      f.report("node" + i, 0);
    }
    for (int i = 0; i < size[1]; i++) {
      f.schedule(clusterCheck("c" + i));
    }
    List<Integer> loads = f.dispatcher.state().nodes().stream().map(n -> n.configs().size()).toList();
    assertThat(loads.stream().mapToInt(Integer::intValue).max().orElse(0)
        - loads.stream().mapToInt(Integer::intValue).min().orElse(0)).isLessThanOrEqualTo(1);
  }
}
