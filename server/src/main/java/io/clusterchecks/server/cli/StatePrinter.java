package io.clusterchecks.server.cli;

import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.config.SecretScrubber;
import io.clusterchecks.core.wire.StateResponse;
import java.io.PrintWriter;
import java.util.ArrayList;
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
        .map(n -> new StateResponse.Node(n.name(), filter(n.configs(), checkFilter),
            filterIds(n.configs(), n.checkIds(), checkFilter), n.provisional()))
        .toList();
    return new StateResponse(state.notRunning(), state.warmup(), nodes, filter(state.dangling(), checkFilter),
        state.configErrors(), state.leaderIp(), filterIds(state.dangling(), state.danglingCheckIds(), checkFilter));
  }

  /** The IDs a scrubbed answer gives beside the configs, kept for the configs {@link #filter} keeps. */
  private static List<List<String>> filterIds(List<Config> configs, List<List<String>> ids, String checkFilter) {
    if (ids.isEmpty()) {
      return ids;
    }
    List<List<String>> kept = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      if (configs.get(i).checkName().equals(checkFilter)) {
        kept.add(StateResponse.idsAt(ids, i));
      }
    }
    return kept;
  }

  /**
   * The reference's text. With {@code checkFilter}, only that check's configs are printed; the
   * agents table still counts every config a worker runs.
   */
  static void print(StateResponse fullState, String checkFilter, PrintWriter out) {
    StateResponse state = filter(fullState, checkFilter);
    if (!state.notRunning().isEmpty()) {
      out.println("Cluster-check dispatching logic not running: " + state.notRunning());
      return;
    }
    if (state.warmup()) {
      out.println("=== Warmup in progress ===");
      out.println("No configuration has been processed yet");
      return;
    }
    if (!state.dangling().isEmpty()) {
      out.println("=== Unassigned configurations ===");
      out.println();
      printConfigs(state.dangling(), state.danglingCheckIds(), out);
    }
    if (state.nodes().isEmpty()) {
      out.println("=== Zero agent reporting ===");
      out.println("No check will be dispatched until agents report to the cluster-agent");
      return;
    }
    // The agents table counts every config a worker runs, so it reads the unfiltered state.
    List<StateResponse.Node> nodes = fullState.nodes().stream()
        .sorted(Comparator.comparing(StateResponse.Node::name)).toList();
    out.printf("=== %d agents reporting ===%n%n", nodes.size());
    int width = Math.max("Name".length(), nodes.stream().mapToInt(n -> n.name().length()).max().orElse(0));
    out.printf("%-" + width + "s  %s%n", "Name", "Running checks");
    for (StateResponse.Node n : nodes) {
      // Ours, only on a new leader's warm start: a worker that has not reported to it yet.
      out.printf("%-" + width + "s  %d%s%n", n.name(), n.configs().size(),
          n.provisional() ? "  (provisional: not reported to this leader yet)" : "");
    }
    out.println();
    List<StateResponse.Node> shown = state.nodes().stream()
        .sorted(Comparator.comparing(StateResponse.Node::name)).toList();
    for (StateResponse.Node n : shown) {
      if (n.configs().isEmpty()) {
        continue;
      }
      out.printf("===== Checks on %s =====%n%n", n.name());
      printConfigs(n.configs(), n.checkIds(), out);
    }
  }

  /** Configs with the IDs a scrubbed answer carries, else IDs computed from the configs. */
  private static void printConfigs(List<Config> configs, List<List<String>> ids, PrintWriter out) {
    for (int i = 0; i < configs.size(); i++) {
      printConfig(configs.get(i), null, ids.isEmpty() ? null : StateResponse.idsAt(ids, i), out);
    }
  }

  /**
   * Endpoints checks, as the reference prints them after the cluster checks; with {@code scrub},
   * secrets hidden here (their route has no scrub flag) and IDs taken from the real configs.
   */
  static void printEndpoints(List<Config> configs, boolean scrub, PrintWriter out) {
    out.printf("===== %d Pod-backed Endpoints-Checks scheduled =====%n%n", configs.size());
    configs.forEach(c -> printConfig(scrub ? SecretScrubber.scrubConfig(c) : c, c.nodeName(), checkIds(c), out));
  }

  /** One config; {@code knownIds} are its real check IDs when the answer was scrubbed, else null. */
  static void printConfig(Config c, String dispatchedTo, List<String> knownIds, PrintWriter out) {
    out.printf("=== %s check ===%n", c.checkName());
    out.println("Configuration provider: " + orUnknown(c.provider()));
    out.println("Configuration source: " + orUnknown(c.source()));
    List<String> ids = knownIds != null ? knownIds : checkIds(c);
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
