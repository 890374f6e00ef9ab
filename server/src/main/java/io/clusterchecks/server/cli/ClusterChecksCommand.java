package io.clusterchecks.server.cli;

import io.clusterchecks.core.config.Config;
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

/** Prints the dispatching state as the reference's {@code clusterchecks} command does (§6). */
@Command(name = "clusterchecks", mixinStandardHelpOptions = true,
    description = "Show which worker runs which cluster check, and what is unassigned.",
    subcommands = {RebalanceCommand.class, IsolateCommand.class})
final class ClusterChecksCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Option(names = "--check", description = "Only show configs of this check name.")
  String check;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      ClusterAgentClient c = client.client();
      StateResponse state = c.getState();
      StatePrinter.print(state, check, out);
      if (state.notRunning().isEmpty() && !state.warmup()) {
        List<Config> endpoints = c.getAllEndpointsConfigs().configs();
        if (!endpoints.isEmpty()) {
          StatePrinter.printEndpoints(endpoints, check, out);
        }
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
