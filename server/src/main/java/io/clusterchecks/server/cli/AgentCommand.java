package io.clusterchecks.server.cli;

import io.clusterchecks.server.Agent;
import io.clusterchecks.server.StartMarks;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the agent until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run the cluster agent: read conf.d, serve the worker API, dispatch cluster checks.")
final class AgentCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, description = "Configuration file (datadog-cluster.yaml style); DD_ variables override it.")
  Path config;

  /**
   * The command for the plain forms {@code agent}, {@code agent -c FILE}, {@code agent --config FILE}
   * and {@code agent --config=FILE}, read without picocli; empty for anything else (help, other
   * options, a value picocli would read differently: empty, starting with {@code -} or, an argument
   * file, {@code @}), which picocli then parses.
   */
  static Optional<AgentCommand> fromPlainArgs(String[] args) {
    if (args.length == 0 || !args[0].equals("agent") || args.length > 3) {
      return Optional.empty();
    }
    String file = null;
    if (args.length == 2 && args[1].startsWith("--config=")) {
      file = args[1].substring("--config=".length());
    } else if (args.length == 3 && (args[1].equals("-c") || args[1].equals("--config"))) {
      file = args[2];
    } else if (args.length != 1) {
      return Optional.empty();
    }
    if (file != null && (file.isEmpty() || file.startsWith("-") || file.startsWith("@"))) {
      return Optional.empty();
    }
    AgentCommand command = new AgentCommand();
    try {
      command.config = file == null ? null : Path.of(file);
    } catch (InvalidPathException e) {
      return Optional.empty(); // picocli says which option and why
    }
    return Optional.of(command);
  }

  @Override
  public Integer call() throws InterruptedException {
    AgentSettings settings = SettingsLoader.fromProcess(config);
    Logging.setLevel(settings.logLevel());
    if (settings.logFormatJson()) {
      Logging.useJson();
    }
    StartMarks.mark("settings and logging");
    Agent agent = Agent.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "clusterchecks-shutdown"));
    stopped.await();
    return 0;
  }
}
