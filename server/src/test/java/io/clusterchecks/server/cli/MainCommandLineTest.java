package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainCommandLineTest {

  @Test
  void everyCommandIsThereForTheToolsAndHelp() {
    assertThat(Main.commandLine().getSubcommands().keySet())
        .containsExactly("agent", "clusterchecks", "status", "configcheck", "help");
  }

  @Test
  void theAgentAloneReadsItsOptionsAndHelpAsTheFullCommandLineDoes() {
    CommandLine agentOnly = Main.commandLine(true);
    assertThat(agentOnly.getSubcommands().keySet()).containsExactly("agent");
    assertThat(usage(agentOnly, "agent", "--help")).isEqualTo(usage(Main.commandLine(), "agent", "--help"));
    // The inherited --debug option reaches the agent either way.
    assertThat(agentOnly.getSubcommands().get("agent").getCommandSpec().findOption("--debug")).isNotNull();
    assertThat(usage(agentOnly, "agent", "--no-such-option")).isEqualTo(usage(Main.commandLine(), "agent", "--no-such-option"));
  }

  private static String usage(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int code = cl.execute(args);
    return code + "\n" + out;
  }
}
