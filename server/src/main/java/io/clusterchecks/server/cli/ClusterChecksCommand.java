package io.clusterchecks.server.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.SecretScrubber;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the dispatching state as the reference's {@code clusterchecks} command does (docs/reference/cli.md). */
@Command(name = "clusterchecks", mixinStandardHelpOptions = true,
    description = "Show which worker runs which cluster check, and what is unassigned.",
    subcommands = {RebalanceCommand.class, IsolateCommand.class})
final class ClusterChecksCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Mixin
  JsonOutput output = new JsonOutput();

  @Option(names = "--check", description = "Only show configs of this check name.")
  String check;

  @Option(names = "--scrub", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Hide secret-looking values (password, token, api_key, ...) in configs; "
          + "--no-scrub shows them. Default: ${DEFAULT-VALUE}.")
  boolean scrub = true;

  @Spec
  CommandSpec spec;

  /** The {@code --json} answer: the state, and the endpoints checks when it dispatches. */
  record Answer(@JsonProperty("state") StateResponse state,
      @JsonProperty("endpoints_configs") List<Config> endpointsConfigs) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      ClusterAgentClient c = client.client();
      StateResponse state = c.getState(scrub);
      List<Config> endpoints = state.notRunning().isEmpty() && !state.warmup()
          ? StatePrinter.filter(c.getAllEndpointsConfigs().configs(), check)
          : List.of();
      if (output.json) {
        List<Config> shownEndpoints = scrub
            ? endpoints.stream().map(SecretScrubber::scrubConfig).toList()
            : endpoints;
        output.print(new Answer(StatePrinter.filter(state, check), shownEndpoints), out);
        return 0;
      }
      StatePrinter.print(state, check, out);
      if (!endpoints.isEmpty()) {
        StatePrinter.printEndpoints(endpoints, scrub, out);
      }
      out.flush();
      return 0;
    } catch (ClusterAgentException e) {
      if (e.statusCode() == 404) {
        out.println("Cluster-checks are not enabled");
        out.flush();
        return 1;
      }
      spec.commandLine().getErr().println("Could not reach agent: " + e.getMessage()
          + "\nMake sure the agent is running and the URL and token are right.");
      return 1;
    }
  }
}
