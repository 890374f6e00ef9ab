package io.clusterchecks.demo;

import io.clusterchecks.server.cli.Main;
import picocli.CommandLine;

/**
 * The agent's command line plus the commands that run simulated workers ({@code demo},
 * {@code workers}). It lives outside the agent's jar so the agent ships no simulator: the
 * {@code clusterchecks} script runs these two commands from the demo jar, on the agent's jar.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The agent's configured command line with {@code demo} and {@code workers} added. */
  public static CommandLine commandLine() {
    return Main.commandLine()
        .addSubcommand(new CommandLine(new DemoCommand()))
        .addSubcommand(new CommandLine(new WorkersCommand()));
  }
}
