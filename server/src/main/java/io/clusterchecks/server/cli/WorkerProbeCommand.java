package io.clusterchecks.server.cli;

import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.StatusResponse;
import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Posts one worker status and reads that worker's configs, as a node agent does. Hidden: the
 * image's class data sharing training run uses it so the archive holds the classes of the worker
 * routes (docs/operations.md, "Start and class data sharing"); {@code status} alone reaches only
 * the other routes. The node it names is registered like any worker's, so it is for a throw-away
 * agent or a name the operator chooses.
 */
@Command(name = "worker-probe", hidden = true, mixinStandardHelpOptions = true,
    description = "Post a worker status and read its configs, as a node agent does.")
final class WorkerProbeCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Option(names = "--node", defaultValue = "worker-probe", description = "Worker name to post as. Default: ${DEFAULT-VALUE}.")
  String node;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      ClusterAgentClient c = client.client();
      // A node agent's first poll: version 0, then its configs.
      StatusResponse status = c.postStatus(node, new NodeStatus(0, 0));
      ConfigResponse configs = c.getConfigs(node);
      out.printf("%s: status answered (up to date: %s), %d configs%n", node, status.isUpToDate(),
          configs.configs().size());
      out.flush();
      return 0;
    } catch (ClusterAgentException e) {
      spec.commandLine().getErr().println("Could not reach agent: " + e.getMessage());
      return 1;
    }
  }
}
