package io.clusterchecks.server.cli;

import io.clusterchecks.worker.ClusterAgentClient;
import io.clusterchecks.worker.ClusterAgentException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clusterchecks rebalance [--force] [--dry-run]}, printed as the reference does (docs/reference/cli.md). */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
    description = "Rebalance cluster checks by measured load now.")
final class RebalanceCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client = new ClientOptions();

  @Mixin
  JsonOutput output = new JsonOutput();

  @Option(names = {"-f", "--force"}, description = "Apply the best plan even if the periodic rebalance would not.")
  boolean force;

  @Option(names = "--dry-run", description = "Show the moves a rebalance would make, and make none.")
  boolean dryRun;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!output.json) {
      out.println(dryRun ? "Requesting a cluster check rebalance plan (dry run)..." : "Requesting a cluster check rebalance...");
    }
    ClusterAgentClient.RebalanceMove[] moves;
    try {
      moves = client.client().rebalance(force, dryRun);
    } catch (ClusterAgentException e) {
      spec.commandLine().getErr().println("Could not reach agent: " + e.getMessage());
      return 1;
    }
    if (output.json) {
      output.print(List.of(moves), out);
    } else {
      printMoves(moves, dryRun, out);
    }
    return 0;
  }

  static void printMoves(ClusterAgentClient.RebalanceMove[] moves, boolean dryRun, PrintWriter out) {
    out.printf(dryRun ? "%d cluster checks would be rebalanced%n" : "%d cluster checks rebalanced successfully%n",
        moves.length);
    for (ClusterAgentClient.RebalanceMove m : moves) {
      out.printf("Check %s with weight %d %s from node %s to node %s. source diff: %d, dest diff: %d%n",
          m.checkId(), m.checkWeight(), dryRun ? "would move" : "moved",
          m.sourceNodeName(), m.destNodeName(), m.sourceDiff(), m.destDiff());
    }
    if (moves.length > 0 && moves[0].budgetStopped()) {
      out.printf("The move budget (cluster_checks.rebalance_max_moves) stopped this rebalance after %d of the %d moves "
          + "that bring every runner within the band; rebalance again to continue.%n", moves.length,
          moves[0].movesNeeded());
    }
    out.flush();
  }
}
