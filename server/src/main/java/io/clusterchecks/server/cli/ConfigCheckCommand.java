package io.clusterchecks.server.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.config.CheckIds;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.SecretScrubber;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.worker.ClusterAgentException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every config the agent holds, with where it came from, where it runs and its check IDs, then
 * every config source problem; with {@code --settings}, the effective settings and where each came
 * from. As the reference's {@code configcheck}, instance values that look like secrets are shown
 * hidden ({@link SecretScrubber}).
 */
@Command(name = "configcheck", mixinStandardHelpOptions = true,
    description = "List every config with its source, runner and check IDs, and every config source problem.")
final class ConfigCheckCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Mixin
  JsonOutput output = new JsonOutput();

  @Option(names = "--settings", description = "Also print the effective settings (from -c and DD_ variables) and their origin.")
  boolean settings;

  @Spec
  CommandSpec spec;

  /** One config as shown: instances and init_config scrubbed. */
  record Shown(@JsonProperty("check_name") String checkName, @JsonProperty("provider") String provider,
      @JsonProperty("source") String source, @JsonProperty("runner") String runner,
      @JsonProperty("check_ids") List<String> checkIds, @JsonProperty("instances") List<String> instances,
      @JsonProperty("init_config") String initConfig, @JsonProperty("logs") String logs) {}

  /** One effective setting. */
  record Setting(@JsonProperty("key") String key, @JsonProperty("value") Object value,
      @JsonProperty("origin") String origin) {}

  /** The {@code --json} answer. */
  record Answer(@JsonProperty("configs") List<Shown> configs,
      @JsonProperty("config_errors") Map<String, List<String>> configErrors,
      @JsonProperty("settings") List<Setting> settings) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StateResponse state;
    try {
      state = client.client().getState();
    } catch (ClusterAgentException e) {
      if (e.statusCode() == 404) {
        out.println("Cluster-checks are not enabled");
        out.flush();
        return 0;
      }
      spec.commandLine().getErr().println("Could not reach agent: " + e.getMessage());
      return 1;
    }
    Answer answer = new Answer(shown(state), state.configErrors(), settings ? effectiveSettings() : null);
    if (output.json) {
      output.print(answer, out);
    } else {
      print(answer, out);
    }
    out.flush();
    return 0;
  }

  static List<Shown> shown(StateResponse state) {
    List<Shown> all = new ArrayList<>();
    for (StateResponse.Node node : state.nodes()) {
      node.configs().forEach(c -> all.add(shown(c, node.name())));
    }
    state.dangling().forEach(c -> all.add(shown(c, "")));
    all.sort(Comparator.comparing(Shown::checkName).thenComparing(Shown::source));
    return all;
  }

  private static Shown shown(Config c, String runner) {
    return new Shown(c.checkName(), c.provider(), c.source(), runner, CheckIds.checkIds(c),
        c.instances().stream().map(SecretScrubber::scrub).toList(), SecretScrubber.scrub(c.initConfig()),
        SecretScrubber.scrub(c.logs()));
  }

  private List<Setting> effectiveSettings() {
    AgentSettings s = SettingsLoader.fromProcess(client.config);
    List<Setting> out = new ArrayList<>();
    new TreeMap<>(s.asMap()).forEach((key, value) ->
        out.add(new Setting(key, value, s.origins().getOrDefault(key, "default"))));
    return out;
  }

  static void print(Answer answer, PrintWriter out) {
    if (answer.configs().isEmpty()) {
      out.println("No cluster check configs");
    }
    for (Shown c : answer.configs()) {
      out.println("=== " + c.checkName() + " check ===");
      out.println("Configuration provider: " + c.provider());
      out.println("Configuration source: " + c.source());
      out.println("Runner: " + (c.runner().isEmpty() ? "none (waiting for a worker)" : c.runner()));
      for (int i = 0; i < c.instances().size(); i++) {
        out.println("Instance ID: " + c.checkIds().get(i));
        out.print(c.instances().get(i));
        out.println("~");
      }
      out.println("Init Config:");
      out.print(c.initConfig() == null ? "" : c.initConfig());
      if (c.logs() != null) {
        out.println("Log Config:");
        out.print(c.logs());
      }
      out.println("===");
      out.println();
    }
    if (!answer.configErrors().isEmpty()) {
      out.println("=== Configuration errors ===");
      answer.configErrors().forEach((source, problems) -> problems.forEach(p -> out.println(source + ": " + p)));
      out.println();
    }
    if (answer.settings() != null) {
      out.println("=== Effective settings ===");
      answer.settings().forEach(s -> out.println(s.key() + ": " + s.value() + "   (" + s.origin() + ")"));
    }
  }
}
