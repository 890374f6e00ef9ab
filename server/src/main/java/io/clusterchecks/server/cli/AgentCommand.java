package io.clusterchecks.server.cli;

import io.clusterchecks.server.Agent;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import java.nio.file.Path;
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

  @Override
  public Integer call() throws InterruptedException {
    AgentSettings settings = SettingsLoader.fromProcess(config);
    Logging.setLevel(settings.logLevel());
    if (settings.logFormatJson()) {
      Logging.useJson();
    }
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
