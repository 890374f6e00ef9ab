package io.clusterchecks.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A fleet expiring at once (a partition between the workers and the agent, a load that stopped)
 * is logged in a handful of WARN lines counting its parts, with every node's own line at DEBUG; a
 * worker that expires alone keeps its WARN line. The million-config runs wrote up to 8,000 WARN
 * lines a minute from the dispatch thread.
 */
class ExpiryLinesTest {
  @AutoClose
  private final DispatcherLines lines = new DispatcherLines(Level.DEBUG);

  @Test
  void aThousandWorkersExpiringInABurstMakeTwoWarnLines() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.schedule(DispatcherFixture.clusterCheck("http"));
    for (int i = 0; i < 1_000; i++) {
      f.report("w" + i, 0);
      f.time.advance(Duration.ofMillis(5)); // distinct deadlines: expiries in registration order
    }
    lines.clear();
    f.time.advance(f.settings.nodeExpirationTimeout().plus(BurstLog.WINDOW).plusSeconds(1));

    List<String> warn = expiryLines(Level.WARN);
    assertThat(warn).hasSize(2);
    assertThat(warn.get(0)).startsWith("Expiring out node w0, last status report ");
    assertThat(warn.get(1)).isEqualTo(
        "999 more nodes expired in the last 10 s (w1 first, w999 last), 0 nodes reporting; each node's line is at DEBUG");
    List<String> debug = expiryLines(Level.DEBUG);
    assertThat(debug).as("each node's own line, at DEBUG").hasSize(999);
    assertThat(debug.get(0)).startsWith("Expiring out node w1, ");
    assertThat(f.registry.get("cluster_checks_nodes_expired").counter().count())
        .as("the metric counts every expiry").isEqualTo(1_000.0);

    // A window without an expiry ends the burst: a worker expiring alone has its WARN line again.
    f.time.advance(BurstLog.WINDOW);
    f.report("late", 0);
    lines.clear();
    f.time.advance(f.settings.nodeExpirationTimeout().plusSeconds(1));
    assertThat(expiryLines(Level.WARN)).singleElement().asString().startsWith("Expiring out node late, ");
  }

  private List<String> expiryLines(Level at) {
    return lines.messages(at).stream().filter(m -> m.startsWith("Expiring out node ") || m.contains(" expired in the last ")).toList();
  }
}
