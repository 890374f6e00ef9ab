package io.clusterchecks.demo;

import io.clusterchecks.simulator.SimulatedWorkerFleet;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs simulated workers against an agent, to try it without a Datadog Agent. */
@Command(name = "workers", mixinStandardHelpOptions = true,
    description = "Run N simulated workers (cluster check runners) against an agent until stopped.")
final class WorkersCommand implements Callable<Integer> {
  @Option(names = "--count", defaultValue = "3", description = "How many workers (default ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--url", required = true, description = "Agent URL, e.g. https://127.0.0.1:5005.")
  String url;

  @Option(names = "--token", required = true, description = "The agent's auth token.")
  String token;

  @Option(names = "--poll-interval", defaultValue = "10", description = "Seconds between status reports (default ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(names = "--id-prefix", defaultValue = SimulatedWorkerFleet.DEFAULT_ID_PREFIX,
      description = "Worker identifiers are this prefix plus a number (default ${DEFAULT-VALUE}).")
  String idPrefix;

  @Option(names = "--runners", description = "Also serve the runner stats API with synthetic check costs "
      + "(postgres 6 s, mysql 4.5 s, http_check 0.8 s per instance, others 0.05 to 1.5 s), each worker on its "
      + "own 127.0.0.x address, so the agent dispatches by measured load.")
  boolean runners;

  @Option(names = "--runner-port", defaultValue = "5005",
      description = "Port of the runner stats API; must match the agent's cluster_checks.clc_runners_port "
          + "(default ${DEFAULT-VALUE}).")
  int runnerPort;

  @Override
  public Integer call() throws InterruptedException {
    if (count < 1 || count > 10_000) {
      throw new IllegalArgumentException("--count must be between 1 and 10000, got " + count);
    }
    SimulatedWorkerFleet.Builder builder = SimulatedWorkerFleet.builder(url, token).count(count).idPrefix(idPrefix)
        .allowPlainHttp(url.startsWith("http://")).pollInterval(Duration.ofSeconds(pollSeconds));
    if (runners) {
      builder.runnerApi(true).runnerCosts(DemoCommand.demoCosts()).runnerToken(token).runnerPort(runnerPort)
          .runnerTls(true).workersPerRunner(4);
    }
    SimulatedWorkerFleet fleet = builder.build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      fleet.close();
      stopped.countDown();
    }, "workers-shutdown"));
    fleet.startAll();
    stopped.await();
    return 0;
  }
}
