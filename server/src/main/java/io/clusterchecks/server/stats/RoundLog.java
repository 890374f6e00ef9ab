package io.clusterchecks.server.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * What one stats collection has to say, one line per condition: nodes that started failing for
 * a reason (a warning: how many and a few of them), nodes that answer again (info). A collection
 * over thousands of workers that all lack an {@code X-Real-Ip} (a Service in front of the agent
 * that does not set it) would otherwise write thousands of identical lines every round.
 */
final class RoundLog {
  /** How many nodes a line names; the count says how many there are in all. */
  static final int EXAMPLES = 3;

  private final Map<String, List<String>> failingByReason = new TreeMap<>();
  private final List<String> recovered = new ArrayList<>();

  /**
   * @param node the node as shown in the log (name and address)
   * @param failure why it started failing, or null when it answers again
   */
  void add(String node, String failure) {
    if (failure == null) {
      recovered.add(node);
    } else {
      failingByReason.computeIfAbsent(failure, r -> new ArrayList<>()).add(node);
    }
  }

  void write(Logger log) {
    failingByReason.forEach((reason, nodes) -> log.warn("runner stats: cannot collect from {} node(s): {} ({})",
        nodes.size(), reason, examples(nodes)));
    if (!recovered.isEmpty()) {
      log.info("runner stats: {} node(s) answer again ({})", recovered.size(), examples(recovered));
    }
  }

  private static String examples(List<String> nodes) {
    List<String> sorted = nodes.stream().sorted().toList();
    String shown = String.join(", ", sorted.subList(0, Math.min(EXAMPLES, sorted.size())));
    return sorted.size() <= EXAMPLES ? shown : shown + " and " + (sorted.size() - EXAMPLES) + " more";
  }
}
