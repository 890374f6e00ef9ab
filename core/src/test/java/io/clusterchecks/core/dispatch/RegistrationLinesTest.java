package io.clusterchecks.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A fleet registering at once is logged in a handful of INFO lines, each counting its part of
 * the burst, with every node's own line at DEBUG; a worker that registers alone keeps its INFO
 * line. 10,000 workers once wrote 10,000 INFO lines from the dispatch thread while they also
 * fetched their configs.
 */
class RegistrationLinesTest {
  private static final Pattern COUNT = Pattern.compile("^(\\d+) more nodes? registered in the last 10 s");

  @AutoClose
  private final DispatcherLines lines = new DispatcherLines(Level.DEBUG);

  @Test
  void tenThousandWorkersRegisteringInABurstMakeAHandfulOfInfoLines() {
    DispatcherFixture f = new DispatcherFixture().active();
    // 500 registrations a second for 20 s, all within the 30 s expiry of the first.
    for (int i = 0; i < 10_000; i++) {
      if (i > 0 && i % 500 == 0) {
        f.time.advance(Duration.ofSeconds(1));
      }
      f.report("w" + i, 0);
    }
    f.time.advance(Duration.ofSeconds(1)); // the second window's line at 20 s
    f.time.advance(Duration.ofSeconds(10)); // a window without any: the burst ends

    List<String> info = messages(Level.INFO);
    assertThat(info).hasSize(3);
    assertThat(info.get(0)).startsWith("Node w0 registered (");
    // A window's timer fires before the registrations of the second it ends in: 499 + 9 x 500, then 10 x 500.
    assertThat(info.get(1)).startsWith("4999 more nodes registered in the last 10 s (w1 first, w4999 last), "
        + "5000 nodes reporting");
    assertThat(info.get(2)).startsWith("5000 more nodes registered in the last 10 s (w5000 first, w9999 last), "
        + "10000 nodes reporting");
    assertThat(info.stream().mapToInt(RegistrationLinesTest::counted).sum() + 1).as("every registration counted")
        .isEqualTo(10_000);
    List<String> debug = messages(Level.DEBUG);
    assertThat(debug).as("each node's own line, at DEBUG").hasSize(9_999);
    assertThat(debug.get(0)).startsWith("Node w1 registered (");

    // The burst is over: a worker registering alone has its INFO line again.
    lines.clear();
    f.report("late", 0);
    assertThat(messages(Level.INFO)).singleElement().asString().startsWith("Node late registered (");
  }

  @Test
  void aSecondRegistrationInTheWindowIsCountedAsOne() {
    DispatcherFixture f = new DispatcherFixture().active();
    f.report("a", 0);
    f.time.advance(Duration.ofSeconds(3));
    f.report("b", 0);
    f.time.advance(Duration.ofSeconds(7));

    assertThat(messages(Level.INFO)).containsExactly(
        messages(Level.INFO).get(0),
        "1 more node registered in the last 10 s (b), 2 nodes reporting; each node's line is at DEBUG");
    assertThat(messages(Level.INFO).get(0)).startsWith("Node a registered (");
  }

  private List<String> messages(Level at) {
    return lines.messages(at).stream().filter(m -> m.startsWith("Node ") || COUNT.matcher(m).find()).toList();
  }

  private static int counted(String line) {
    Matcher m = COUNT.matcher(line);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
