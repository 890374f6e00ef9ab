package io.clusterchecks.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code ./clusterchecks <command>}. */
@Command(name = "clusterchecks",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Dispatches Datadog cluster checks to node agents and cluster check runners.",
    footer = {"", "The clusterchecks script also runs 'demo' and 'workers' (simulated workers), from the demo jar."},
    subcommands = {
      AgentCommand.class,
      ClusterChecksCommand.class,
      StatusCommand.class,
      ConfigCheckCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
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
    System.exit(commandLine().execute(args));
  }

  /** The configured picocli command line; tests run commands through it. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new FailureHandler());
  }
}
