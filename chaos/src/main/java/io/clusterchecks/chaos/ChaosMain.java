package io.clusterchecks.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./clusterchecks chaos [options]}: one chaos run; exit 0 when every invariant held. */
@Command(name = "clusterchecks chaos", mixinStandardHelpOptions = true,
    description = "Runs three agent replicas, a ZooKeeper ensemble and simulated workers under a seeded schedule "
        + "of faults, and checks the exactly-once promise from outside (docs/reliability.md).")
public final class ChaosMain implements Callable<Integer> {
  @Option(names = "--seed", description = "Schedule seed (default: random, printed).")
  Long seed;

  @Option(names = "--events", defaultValue = "200", description = "Events in the schedule (default ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--duration", defaultValue = "PT30M",
      description = "Stop starting events this long after the start settled, ISO-8601 (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--workers", defaultValue = "100", description = "Simulated workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--configs", defaultValue = "2000", description = "conf.d files at the start (default ${DEFAULT-VALUE}).")
  int configs;

  @Option(names = "--expiration", defaultValue = "10", description = "node_expiration_timeout, seconds (default ${DEFAULT-VALUE}).")
  int expiration;

  @Option(names = "--session-timeout", defaultValue = "5",
      description = "ZooKeeper session timeout of the replicas, seconds (default ${DEFAULT-VALUE}).")
  int sessionTimeout;

  @Option(names = "--warmup", defaultValue = "3", description = "warmup_duration, seconds (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--worker-poll", defaultValue = "1000",
      description = "How often a worker posts its status, ms (default ${DEFAULT-VALUE}).")
  long workerPollMillis;

  @Option(names = "--work-dir", description = "Where conf.d and the replicas' logs go (default: a new temporary directory).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    long s = seed != null ? seed : System.nanoTime();
    ChaosOptions options = new ChaosOptions(s, events, duration, workers, configs, Duration.ofSeconds(expiration),
        Duration.ofSeconds(sessionTimeout), Duration.ofSeconds(warmup), Duration.ofMillis(workerPollMillis));
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("clusterchecks-chaos");
    ChaosReport report = new ChaosRun(options, dir, System.out).run();
    report.print(System.out);
    return report.passed() ? 0 : 1;
  }

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new ChaosMain());
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("chaos: " + e.getMessage());
      return 2;
    });
    System.exit(cl.execute(args));
  }
}
