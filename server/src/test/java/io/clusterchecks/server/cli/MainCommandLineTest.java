package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainCommandLineTest {

  @Test
  void everyCommandIsThereForTheToolsAndHelp() {
    assertThat(Main.commandLine().getSubcommands().keySet())
        .containsExactly("agent", "clusterchecks", "status", "configcheck", "worker-probe", "help");
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

  @Test
  void thePlainAgentFormsReadTheSettingsFileAsPicocliDoes() {
    for (String[] args : List.of(new String[] {"agent"}, new String[] {"agent", "-c", "/etc/dd/cluster.yaml"},
        new String[] {"agent", "--config", "relative/cluster.yaml"}, new String[] {"agent", "--config=/x y/c.yaml"})) {
      AgentCommand plain = AgentCommand.fromPlainArgs(args).orElseThrow(() -> new AssertionError(List.of(args)));
      CommandLine.ParseResult parsed = Main.commandLine(true).parseArgs(args);
      AgentCommand picocli = (AgentCommand) parsed.subcommand().commandSpec().userObject();
      assertThat(plain.config).as(List.of(args).toString()).isEqualTo(picocli.config);
    }
  }

  @Test
  void everyOtherFormIsLeftToPicocli() {
    for (String[] args : List.of(new String[] {}, new String[] {"status"}, new String[] {"agent", "--help"},
        new String[] {"agent", "--debug"}, new String[] {"agent", "-c"}, new String[] {"agent", "-c", ""},
        new String[] {"agent", "-c", "@args"}, new String[] {"agent", "-c", "--debug"},
        new String[] {"agent", "-c", "a.yaml", "--debug"}, new String[] {"agent", "a.yaml"},
        new String[] {"agent", "-c=a.yaml"}, new String[] {"agent", "--config=a\0.yaml"},
        new String[] {"agent", "-ca.yaml"})) {
      assertThat(AgentCommand.fromPlainArgs(args)).as(List.of(args).toString()).isEmpty();
    }
  }

  @Test
  void aRefusedPlainStartPrintsWhatPicocliWouldPrint(@TempDir Path tmp) throws IOException {
    Path settings = Files.writeString(tmp.resolve("cluster.yaml"), "confd_path: '" + tmp + "'\n");
    String[] args = {"agent", "-c", settings.toString()};
    StringWriter plain = new StringWriter();
    int plainCode = Main.execute(args, () -> withOutput(Main.commandLine(true), plain));
    String viaPicocli = usage(Main.commandLine(true), args);
    assertThat(plainCode + "\n" + plain).isEqualTo(viaPicocli).contains("clusterchecks agent: cluster_agent.auth_token");
    assertThat(plainCode).isEqualTo(1);
  }

  private static CommandLine withOutput(CommandLine cl, StringWriter out) {
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    return cl;
  }

  private static String usage(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int code = cl.execute(args);
    return code + "\n" + out;
  }
}
