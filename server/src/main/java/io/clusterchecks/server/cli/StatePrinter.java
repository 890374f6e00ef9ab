package io.clusterchecks.server.cli;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.wire.StateResponse;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

/**
 * Prints the dispatching state the way the reference's {@code clusterchecks} command does (docs/reference/cli.md),
 * so operators and their scripts read the same text.
 */
final class StatePrinter {
  private StatePrinter() {}

  /** The state with only the configs of {@code checkFilter} (all when null or empty). */
  static StateResponse filter(StateResponse state, String checkFilter) {
    if (checkFilter == null || checkFilter.isEmpty()) {
      return state;
    }
    List<StateResponse.Node> nodes = state.nodes().stream()
        .map(n -> new StateResponse.Node(n.name(), filter(n.configs(), checkFilter))).toList();
    return new StateResponse(state.notRunning(), state.warmup(), nodes, filter(state.dangling(), checkFilter),
        state.configErrors(), state.leaderIp());
  }

  /**
   * The reference's text. With {@code checkFilter}, only that check's configs are printed; the
   * agents table still counts every config a worker runs.
   */
  static void print(StateResponse state, String checkFilter, PrintWriter out) {
    if (!state.notRunning().isEmpty()) {
      out.println("Cluster-check dispatching logic not running: " + state.notRunning());
      return;
    }
    if (state.warmup()) {
      out.println("=== Warmup in progress ===");
      out.println("No configuration has been processed yet");
      return;
    }
    List<Config> dangling = filter(state.dangling(), checkFilter);
    if (!dangling.isEmpty()) {
      out.println("=== Unassigned configurations ===");
      out.println();
      dangling.forEach(c -> printConfig(c, null, out));
    }
    if (state.nodes().isEmpty()) {
      out.println("=== Zero agent reporting ===");
      out.println("No check will be dispatched until agents report to the cluster-agent");
      return;
    }
    List<StateResponse.Node> nodes = state.nodes().stream()
        .sorted(Comparator.comparing(StateResponse.Node::name)).toList();
    out.printf("=== %d agents reporting ===%n%n", nodes.size());
    int width = Math.max("Name".length(), nodes.stream().mapToInt(n -> n.name().length()).max().orElse(0));
    out.printf("%-" + width + "s  %s%n", "Name", "Running checks");
    for (StateResponse.Node n : nodes) {
      out.printf("%-" + width + "s  %d%n", n.name(), n.configs().size());
    }
    out.println();
    for (StateResponse.Node n : nodes) {
      List<Config> configs = filter(n.configs(), checkFilter);
      if (configs.isEmpty()) {
        continue;
      }
      out.printf("===== Checks on %s =====%n%n", n.name());
      configs.forEach(c -> printConfig(c, null, out));
    }
  }

  /** Endpoints checks, as the reference prints them after the cluster checks. */
  static void printEndpoints(List<Config> configs, PrintWriter out) {
    out.printf("===== %d Pod-backed Endpoints-Checks scheduled =====%n%n", configs.size());
    configs.forEach(c -> printConfig(c, c.nodeName(), out));
  }

  static void printConfig(Config c, String dispatchedTo, PrintWriter out) {
    out.printf("=== %s check ===%n", c.checkName());
    out.println("Configuration provider: " + orUnknown(c.provider()));
    out.println("Configuration source: " + orUnknown(c.source()));
    List<String> ids = checkIds(c);
    for (int i = 0; i < c.instances().size(); i++) {
      out.println("Config for instance ID: " + (i < ids.size() ? ids.get(i) : "?"));
      out.print(withNewline(c.instances().get(i).text()));
      out.println("~");
    }
    if (c.initConfig() != null) {
      out.println("Init Config:");
      out.print(withNewline(c.initConfig().text()));
    }
    ConfigData logs = c.logs();
    if (logs != null) {
      out.println("Log Config:");
      out.print(withNewline(logs.text()));
    }
    if (!c.adIdentifiersOrEmpty().isEmpty()) {
      out.println("Auto-discovery IDs:");
      c.adIdentifiersOrEmpty().forEach(id -> out.println("* " + id));
    }
    if (dispatchedTo != null) {
      out.println("State: dispatched to " + dispatchedTo);
    }
    out.println("===");
    out.println();
  }

  private static List<String> checkIds(Config c) {
    try {
      return CheckIds.checkIds(c);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  static List<Config> filter(List<Config> configs, String checkFilter) {
    if (checkFilter == null || checkFilter.isEmpty()) {
      return configs;
    }
    return configs.stream().filter(c -> c.checkName().equals(checkFilter)).toList();
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "Unknown provider" : s;
  }

  private static String withNewline(String s) {
    return s.endsWith("\n") ? s : s + "\n";
  }
}
