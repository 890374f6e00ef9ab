package io.clusterchecks.server.cli;

import io.clusterchecks.worker.SimulatedWorkerFleet;
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

  @Override
  public Integer call() throws InterruptedException {
    if (count < 1 || count > 10_000) {
      throw new IllegalArgumentException("--count must be between 1 and 10000, got " + count);
    }
    SimulatedWorkerFleet fleet = SimulatedWorkerFleet.builder(url, token).count(count).idPrefix(idPrefix)
        .allowPlainHttp(url.startsWith("http://")).pollInterval(Duration.ofSeconds(pollSeconds)).build();
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
