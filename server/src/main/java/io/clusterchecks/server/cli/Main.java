package io.clusterchecks.server.cli;

import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code ./clusterchecks <command>}. */
@Command(name = "clusterchecks",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Dispatches Datadog cluster checks to node agents and cluster check runners.",
    footer = {"", "The clusterchecks script also runs 'demo' and 'workers' (simulated workers), from the demo jar."})
public final class Main implements Runnable {
  private static final String AGENT = "agent";
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = FailureHandler.DEBUG, scope = CommandLine.ScopeType.INHERIT,
      description = "On failure, print the stack trace too.")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args, () -> args.length > 0 && args[0].equals(AGENT) ? commandLine(true) : commandLine()));
  }

  /**
   * Runs one command and returns its exit code. {@code clusterchecks agent} with at most a settings
   * file starts the agent without picocli: even the agent-only model costs a noticeable part of
   * start to first answer (docs/benchmarks.md, "Start"). Anything else, and a failure of that start,
   * goes through {@code commandLine}, so help, errors and failure lines read the same.
   */
  static int execute(String[] args, Supplier<CommandLine> commandLine) {
    Optional<AgentCommand> plain = AgentCommand.fromPlainArgs(args);
    if (plain.isEmpty()) {
      return commandLine.get().execute(args);
    }
    try {
      return plain.get().call();
    } catch (Exception e) {
      // The handler picocli would call (commandLine sets it), told there was no --debug.
      return new FailureHandler().handleExecutionException(e, commandLine.get().getSubcommands().get(AGENT), null);
    }
  }

  /** The configured picocli command line; tests run commands through it. */
  public static CommandLine commandLine() {
    return commandLine(false);
  }

  /**
   * The command line with every subcommand, or with {@code agent} alone: picocli reads every
   * subcommand's annotations (and loads the classes they name) when it is added, a noticeable part
   * of the agent's start (docs/benchmarks.md, "Start"), and {@code clusterchecks agent ...} needs
   * none of the others.
   */
  static CommandLine commandLine(boolean agentOnly) {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand(new AgentCommand());
    if (!agentOnly) {
      cl.addSubcommand(new ClusterChecksCommand());
      cl.addSubcommand(new StatusCommand());
      cl.addSubcommand(new ConfigCheckCommand());
      cl.addSubcommand(new WorkerProbeCommand());
      cl.addSubcommand(new CommandLine.HelpCommand());
    }
    // After the subcommands: these settings reach the subcommands a command line has when set.
    return cl.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(new FailureHandler());
  }
}
