package io.clusterchecks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start the agent refuses prints one line naming the key or the cause and what to do, exits
 * non-zero, and shows no stack trace unless {@code --debug} asks for it.
 */
class RefusedStartTest {
  private static final String TOKEN = "refused-start-token-0123456789abcdef0123";

  @TempDir
  Path tmp;

  private Path settings(String... lines) throws IOException {
    return Files.writeString(tmp.resolve("datadog-cluster.yaml"), String.join("\n", lines) + "\n");
  }

  private String[] base() {
    return new String[] {
        "confd_path: '" + tmp.resolve("conf.d") + "'",
        "metrics_port: 0",
        "health_port: 0",
        "cluster_agent:",
        "  cmd_host: 127.0.0.1",
        "  cmd_port: 0"};
  }

  private static String[] with(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static void assertOneLineNoTrace(CliRun r, String... expected) {
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err().lines().toList()).as(r.all()).hasSize(1);
    assertThat(r.err()).startsWith("clusterchecks agent: ").contains(expected);
    assertThat(r.all()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void noToken() throws IOException {
    CliRun r = CliRun.run("agent", "-c", settings(base()).toString());
    assertOneLineNoTrace(r, "cluster_agent.auth_token is not set", "DD_CLUSTER_AGENT_AUTH_TOKEN", "at least 32");
  }

  @Test
  void aTokenTooShort() throws IOException {
    CliRun r = CliRun.run("agent", "-c", settings(with(base(), "  auth_token: short-token")).toString());
    assertOneLineNoTrace(r, "cluster_agent.auth_token (from file ", "has 11 characters, fewer than 32");
    assertThat(r.all()).doesNotContain("short-token");
  }

  @Test
  void aTokenFileWithATokenTooShortNamesTheKey() throws IOException {
    Path file = Files.writeString(tmp.resolve("token"), "  short-token\n");
    CliRun r = CliRun.run("agent", "-c", settings(with(base(), "  auth_token_file: '" + file + "'")).toString());
    assertOneLineNoTrace(r, "cluster_agent.auth_token_file: " + file + " holds 11 characters, fewer than 32");
    assertThat(r.all()).doesNotContain("short-token");
  }

  @Test
  void aTokenFileThatCannotBeReadNamesTheKey() throws IOException {
    Path file = tmp.resolve("no-such-token");
    CliRun r = CliRun.run("agent", "-c", settings(with(base(), "  auth_token_file: '" + file + "'")).toString());
    assertOneLineNoTrace(r, "cluster_agent.auth_token_file: cannot read " + file + " (no such file)");
  }

  @Test
  void aBadValue() throws IOException {
    CliRun r = CliRun.run("agent", "-c", settings(with(base(), "  auth_token: " + TOKEN, "log_level: loud")).toString());
    assertOneLineNoTrace(r, "invalid value for log_level", "\"loud\"", "one of trace, debug, info");
  }

  /** Starts with line {@code line} of the settings set to {@code prefix} and a port that is taken. */
  private CliRun withPortTaken(int line, String prefix) throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      String[] lines = with(base(), "  auth_token: " + TOKEN);
      lines[line] = prefix + taken.getLocalPort();
      return CliRun.run("agent", "-c", settings(lines).toString());
    }
  }

  @Test
  void aPortInUse() throws IOException {
    CliRun r = withPortTaken(2, "health_port: ");
    assertOneLineNoTrace(r, "health_port: port ", " on 127.0.0.1 is already in use", "DD_HEALTH_PORT");
    assertThat(r.log()).as("no second, vaguer report of the same failure").doesNotContain("ERROR");
  }

  @Test
  void theApiPortInUseNamesCmdPort() throws IOException {
    CliRun r = withPortTaken(5, "  cmd_port: ");
    assertOneLineNoTrace(r, "cluster_agent.cmd_port: port ", "already in use", "DD_CLUSTER_AGENT_CMD_PORT");
  }

  @Test
  void aMissingSettingsFile() {
    CliRun r = CliRun.run("agent", "-c", tmp.resolve("nowhere.yaml").toString());
    assertOneLineNoTrace(r, "settings file", "does not exist");
  }

  @Test
  void debugAddsTheStackTrace() throws IOException {
    CliRun r = CliRun.run("agent", "--debug", "-c", settings(base()).toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).startsWith("clusterchecks agent: cluster_agent.auth_token is not set")
        .contains("StartupException").contains("\tat ");
  }

  @Test
  void aClientWithoutTokenSaysWhereToPutIt() throws IOException {
    CliRun r = CliRun.run("status", "-c", settings(base()).toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("no token: pass --token or set cluster_agent.auth_token");
    assertThat(r.all()).doesNotContain("\tat ");
  }
}
