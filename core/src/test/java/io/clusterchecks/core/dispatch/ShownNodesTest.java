package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link Dispatcher#shownNodes()} hands out the published snapshots themselves: a node whose
 * configs did not change keeps the same snapshot object, which is what lets a periodic reader
 * compare only the nodes that changed; and each snapshot's dispatched configs are its configs.
 */
class ShownNodesTest {

  @Test
  void anUnchangedNodeKeepsItsSnapshotObjectAndTheWaitingListItsIdentity() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("a", 0);
    f.report("b", 0);
    f.schedule(clusterCheck("one"), clusterCheck("two"));
    ShownNodes before = f.dispatcher.shownNodes();
    assertThat(before.nodes()).extracting(NodeConfigs::node).containsExactly("a", "b");
    assertThat(before.version()).isEqualTo(f.dispatcher.stateVersion());
    for (NodeConfigs n : before.nodes()) {
      assertThat(n).isSameAs(f.dispatcher.nodeConfigs(n.node()).orElseThrow());
      assertThat(n.dispatched()).extracting(DispatchedConfig::config).containsExactlyElementsOf(n.configs());
    }

    f.schedule(clusterCheck("three"));
    ShownNodes after = f.dispatcher.shownNodes();
    assertThat(after.version()).isGreaterThan(before.version());
    int changed = 0;
    for (int i = 0; i < 2; i++) {
      if (after.nodes().get(i) != before.nodes().get(i)) {
        changed++;
        assertThat(after.nodes().get(i).configs()).hasSize(2);
      }
    }
    assertThat(changed).as("only the node that took the new config has a new snapshot").isEqualTo(1);
    assertThat(after.waiting()).isSameAs(before.waiting()).isEmpty();
  }

  @Test
  void notLeadingShowsNothing() {
    DispatcherFixture f = new DispatcherFixture();
    assertThat(f.dispatcher.shownNodes()).isSameAs(ShownNodes.NONE);
  }
}
