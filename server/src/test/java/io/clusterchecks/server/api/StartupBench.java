package io.clusterchecks.server.api;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start to first answer, and answers in the first 10 s, of the agent started by the
 * {@code clusterchecks} launcher, without and with its class data sharing archive, rounds
 * alternating. The client runs in this (already warm) JVM: from the launch, {@code connections}
 * workers post status in a loop, reconnecting until the port answers. Run from the repository root
 * (docs/benchmarks.md, "Start"):
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/clusterchecks.jar \
 *   io.clusterchecks.server.api.StartupBench [rounds] [connections]
 * </pre>
 */
public final class StartupBench {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef-startup";
  private static final int PORT = 25005;
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(2);

  private StartupBench() {}

  private record Result(long firstAnswerMillis, long answersIn10s) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path confd = Files.createTempDirectory("startup-confd");
    // The first run with CDS on records the archive; it does not count.
    run("on", confd, connections);
    List<Result> off = new ArrayList<>();
    List<Result> on = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      off.add(run("off", confd, connections));
      on.add(run("on", confd, connections));
      System.out.printf(Locale.ROOT, "round %d: without CDS %s | with CDS %s%n", r, text(off.get(r - 1)),
          text(on.get(r - 1)));
    }
    System.out.printf(Locale.ROOT, "median without CDS: first answer %d ms, %d answers in 10 s%n",
        median(off, true), median(off, false));
    System.out.printf(Locale.ROOT, "median with CDS:    first answer %d ms, %d answers in 10 s%n",
        median(on, true), median(on, false));
  }

  private static String text(Result r) {
    return String.format(Locale.ROOT, "first answer %d ms, %d answers in 10 s", r.firstAnswerMillis(),
        r.answersIn10s());
  }

  private static long median(List<Result> rs, boolean first) {
    long[] v = rs.stream().mapToLong(r -> first ? r.firstAnswerMillis() : r.answersIn10s()).sorted().toArray();
    return v[v.length / 2];
  }

  private static Result run(String cds, Path confd, int connections) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("./clusterchecks", "agent")
        .redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "startup-bench-agent.log"));
    Map<String, String> env = pb.environment();
    env.put("CLUSTERCHECKS_CDS", cds);
    env.put("DD_CLUSTER_AGENT_AUTH_TOKEN", TOKEN);
    env.put("DD_CLUSTER_AGENT_CMD_PORT", Integer.toString(PORT));
    env.put("DD_METRICS_PORT", Integer.toString(PORT + 1));
    env.put("DD_HEALTH_PORT", Integer.toString(PORT + 2));
    env.put("DD_CONFD_PATH", confd.toString());
    long launched = System.nanoTime();
    Process agent = pb.start();
    long end = launched + WINDOW_NANOS;
    long[] first = {Long.MAX_VALUE};
    java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
    long[] answers = new long[connections];
    Thread[] threads = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      int c = i;
      byte[] status = KeepAliveClient.request("POST", "/api/v1/clusterchecks/status/startup-" + c, TOKEN,
          "{\"last_change\":-1,\"node_type\":1}".getBytes(StandardCharsets.UTF_8));
      threads[i] = new Thread(() -> {
        try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", PORT, true, 10_000)) {
          // Until the 10 s are over and a first answer came (at most 2 minutes on a busy machine).
          while ((System.nanoTime() < end || answered.get() == 0) && System.nanoTime() < launched + GIVE_UP_NANOS) {
            try {
              if (client.exchange(status).status() == 200) {
                long now = System.nanoTime();
                if (now < end) {
                  answers[c]++;
                }
                answered.incrementAndGet();
                synchronized (first) {
                  first[0] = Math.min(first[0], now - launched);
                }
              }
            } catch (IOException notYet) {
              Thread.onSpinWait(); // not listening yet: try again at once
            }
          }
        }
      });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    agent.destroy(); // SIGTERM: the first CDS run writes its archive on the way out
    if (!agent.waitFor(60, TimeUnit.SECONDS)) {
      agent.destroyForcibly();
    }
    long total = 0;
    for (long a : answers) {
      total += a;
    }
    return new Result(first[0] == Long.MAX_VALUE ? -1 : TimeUnit.NANOSECONDS.toMillis(first[0]), total);
  }
}
