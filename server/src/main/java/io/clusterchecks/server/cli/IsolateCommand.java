package io.clusterchecks.server.cli;

import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clusterchecks isolate --checkID=<id>}: leave one check alone on its runner (docs/reference/cli.md). */
@Command(name = "isolate", mixinStandardHelpOptions = true,
    description = "Move every other check off the runner of the given check.")
final class IsolateCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Mixin
  JsonOutput output = new JsonOutput();

  @Option(names = "--checkID", description = "The check ID (as in the clusterchecks output) or config digest.")
  String checkId;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (checkId == null || checkId.isBlank()) {
      spec.commandLine().getErr().println("checkID must be specified");
      return 1;
    }
    ClusterAgentClient.IsolateAnswer a;
    try {
      a = client.client().isolate(checkId);
    } catch (ClusterAgentException e) {
      spec.commandLine().getErr().println("Could not reach agent: " + e.getMessage());
      return 1;
    }
    if (output.json) {
      output.print(a, out);
    } else if (a.isolated()) {
      out.printf("Check %s isolated successfully on node %s%n", a.checkId(), a.checkNode());
    } else {
      out.printf("Check %s could not be isolated: %s%n", a.checkId(), a.reason());
    }
    out.flush();
    return a.isolated() ? 0 : 1;
  }
}
