package io.clusterchecks.server.cli;

import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.worker.ClusterAgentException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The "Cluster Checks Dispatching" section of the reference's {@code status} output. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Summarise the dispatching state.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("==========================");
    out.println("Cluster Checks Dispatching");
    out.println("==========================");
    try {
      StateResponse s = client.client().getState();
      if (!s.notRunning().isEmpty()) {
        out.println("  Status: " + s.notRunning());
      } else if (s.warmup()) {
        out.println("  Status: Leader, warming up");
      } else {
        int dispatched = s.nodes().stream().mapToInt(n -> n.configs().size()).sum();
        out.println("  Status: Leader, serving requests");
        out.println("  Active agents: " + s.nodes().size());
        out.println("  Check Configurations: " + (dispatched + s.dangling().size()));
        out.println("    - Dispatched: " + dispatched);
        out.println("    - Unassigned: " + s.dangling().size());
      }
      out.flush();
      return 0;
    } catch (ClusterAgentException e) {
      out.println("  Status: " + (e.statusCode() == 404 ? "Not Enabled" : "unknown (" + e.getMessage() + ")"));
      out.flush();
      return e.statusCode() == 404 ? 0 : 1;
    }
  }
}
