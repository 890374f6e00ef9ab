package io.clusterchecks.server.cli;

import io.clusterchecks.worker.ClusterAgentException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The "Cluster Checks Dispatching" section of the reference's {@code status} output. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Summarise the dispatching state.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Mixin
  JsonOutput output = new JsonOutput();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StatusSummary summary;
    try {
      summary = StatusSummary.of(client.client().getState(true));
    } catch (ClusterAgentException e) {
      if (e.statusCode() != 404) {
        spec.commandLine().getErr().println("Could not reach agent: " + e.getMessage());
        return 1;
      }
      summary = StatusSummary.notEnabled();
    }
    if (output.json) {
      output.print(summary, out);
    } else {
      summary.print(out);
    }
    return 0;
  }
}
