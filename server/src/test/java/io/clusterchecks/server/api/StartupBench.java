package io.clusterchecks.server.api;

import io.clusterchecks.server.StartMarks;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Start to first answer of the agent, and answers in the first 10 s, rounds alternating between
 * two ways of starting it. The client runs in this (already warm) JVM: from the launch, a plain TCP
 * connect every millisecond until the port accepts; then {@code connections} workers post status
 * in a loop over TLS. Run from the repository root (docs/benchmarks.md, "Start"):
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/clusterchecks.jar \
 *   io.clusterchecks.server.api.StartupBench [rounds] [connections] [--jars before.jar after.jar]
 *   [--second-options "JVM options of the second jar's runs"] [--warmed] [--eager-clients]
 * </pre>
 *
 * <p>{@code --eager-clients} is how this bench measured before 2026-12-03: the TLS clients start at
 * the launch and retry until the port answers. Each failed attempt builds a TLS context again (a
 * new {@code SSLContext} and {@code SecureRandom}), so four clients spinning on that took CPU from
 * the agent on a 2-core machine and stretched its start; kept only to compare with older figures.
 *
 * <p>Without {@code --jars}: the {@code clusterchecks} launcher, its class data sharing archive off
 * and on. With it: two agent jars, each with its own archive (recorded by a first run that serves
 * requests and does not count). Besides wall-clock times, which a loaded machine stretches, each
 * run reports two figures that load barely moves, taken the moment the first 200 arrives: the CPU
 * time the agent process used (all its threads: the JIT compilers and GC too) and the classes its
 * JVM had loaded, parsed or mapped from the archive. {@code --warmed} keeps each run going to
 * count answers from 60 s to 70 s after the launch, the reference for "the first 10 s reach half of
 * the warmed figure". Each run also reports the agent's CPU over the first 10 s (and its JIT
 * compiler threads' part) and over 60 s to 70 s: answers per CPU second in the two windows show the
 * JIT's warm-up apart from the CPU a loaded machine happened to give the agent.
 */
public final class StartupBench {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef-startup";
  private static final int PORT = 25005;
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long WARMED_FROM_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(2);
  /** How long the port probe waits between two refused connects. */
  private static final long PROBE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private StartupBench() {}

  /**
   * One run: times from the launch; CPU and classes of the agent at its first answer (-1 when not
   * readable); answers in the first 10 s and, with {@code --warmed}, from 60 s to 70 s; the agent's
   * CPU over the first 10 s, and of it its JIT compiler threads', and (with {@code --warmed}) over
   * 60 s to 70 s (-1 when not taken).
   */
  private record Result(long firstAnswerMillis, long cpuMillis, long classesLoaded, long classesShared,
      long answersIn10s, long warmedAnswers, List<Long> bySecond, Cpu cpu) {}

  /**
   * The agent's CPU in milliseconds (all threads, ended ones too, from {@code /proc/PID/stat}) over
   * the first 10 s, the part of it its live JIT compiler threads used (from {@code
   * /proc/PID/task/TID/stat}), and over 60 s to 70 s. Answers per CPU second in the two windows
   * tell the JIT's warm-up apart from how much CPU a loaded machine gave the agent.
   */
  private record Cpu(long first10s, long compilers10s, long warmed10s) {}

  /** How one side of the comparison starts the agent. */
  private record Way(String name, List<String> command, Map<String, String> env) {}

  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    List<String> jars = new ArrayList<>();
    boolean warmed = false;
    boolean eagerClients = false;
    List<String> secondOptions = List.of();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--jars")) {
        jars.add(args[++i]);
        jars.add(args[++i]);
      } else if (args[i].equals("--second-options")) {
        secondOptions = List.of(args[++i].trim().split("\\s+"));
      } else if (args[i].equals("--warmed")) {
        warmed = true;
      } else if (args[i].equals("--eager-clients")) {
        eagerClients = true;
      } else {
        positional.add(args[i]);
      }
    }
    int rounds = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 3;
    int connections = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 4;
    Path confd = Files.createTempDirectory("startup-confd");
    List<Way> ways = new ArrayList<>();
    if (jars.isEmpty()) {
      ways.add(new Way("without CDS", List.of("./clusterchecks", "agent"), Map.of("CLUSTERCHECKS_CDS", "off")));
      ways.add(new Way("with CDS", List.of("./clusterchecks", "agent"), Map.of("CLUSTERCHECKS_CDS", "on")));
      // The first run with CDS on records the launcher's archive; it does not count.
      run(ways.get(1), confd, connections, false, eagerClients);
    } else {
      Path archives = Files.createTempDirectory("startup-cds");
      for (int j = 0; j < 2; j++) {
        String jar = jars.get(j);
        List<String> options = j == 1 ? secondOptions : List.of();
        Path archive = archives.resolve("jar" + j + ".jsa");
        // A first run per jar records its archive (at exit, after it served requests); it does not count.
        run(new Way("record " + jar, javaCommand("-XX:ArchiveClassesAtExit=" + archive, options, jar), Map.of()), confd,
            connections, false, eagerClients);
        ways.add(new Way(jar + (options.isEmpty() ? "" : " " + String.join(" ", options)),
            javaCommand("-XX:SharedArchiveFile=" + archive, options, jar), Map.of()));
      }
    }
    List<List<Result>> results = List.of(new ArrayList<>(), new ArrayList<>());
    for (int r = 1; r <= rounds; r++) {
      for (int w = 0; w < 2; w++) {
        Result result = run(ways.get(w), confd, connections, warmed, eagerClients);
        results.get(w).add(result);
        System.out.printf(Locale.ROOT, "round %d, %s: %s%n", r, ways.get(w).name(), text(result));
      }
    }
    for (int w = 0; w < 2; w++) {
      List<Result> rs = results.get(w);
      Result median = new Result(median(rs, Result::firstAnswerMillis), median(rs, Result::cpuMillis),
          median(rs, Result::classesLoaded), median(rs, Result::classesShared), median(rs, Result::answersIn10s),
          median(rs, Result::warmedAnswers), List.of(),
          new Cpu(median(rs, r -> r.cpu().first10s()), median(rs, r -> r.cpu().compilers10s()),
              median(rs, r -> r.cpu().warmed10s())));
      System.out.printf(Locale.ROOT, "median, %s: %s%n", ways.get(w).name(), text(median));
    }
  }

  private static List<String> javaCommand(String cdsOption, List<String> options, String jar) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        cdsOption, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    command.addAll(options);
    command.addAll(List.of("-jar", jar, "agent"));
    return command;
  }

  private static String text(Result r) {
    String warmed = r.warmedAnswers() < 0 ? ""
        : String.format(Locale.ROOT, ", %d answers from 60 s to 70 s (first 10 s / warmed: %.2f)", r.warmedAnswers(),
            r.warmedAnswers() == 0 ? 0.0 : (double) r.answersIn10s() / r.warmedAnswers());
    return String.format(Locale.ROOT,
        "first answer %d ms, agent CPU %d ms and %d classes (%d from the archive) at the first answer,"
            + " %d answers in the first 10 s%s",
        r.firstAnswerMillis(), r.cpuMillis(), r.classesLoaded() + r.classesShared(), r.classesShared(),
        r.answersIn10s(), warmed) + cpuText(r) + (r.bySecond().isEmpty() ? "" : " (by second: " + r.bySecond() + ")");
  }

  private static String cpuText(Result r) {
    Cpu c = r.cpu();
    if (c.first10s() <= 0) {
      return "";
    }
    String text = String.format(Locale.ROOT, "; agent CPU %d ms in the first 10 s (JIT compiler threads %d ms),"
        + " %.0f answers per CPU second", c.first10s(), c.compilers10s(), 1000.0 * r.answersIn10s() / c.first10s());
    return c.warmed10s() <= 0 ? text : text + String.format(Locale.ROOT,
        "; from 60 s to 70 s %d ms, %.0f answers per CPU second", c.warmed10s(),
        1000.0 * r.warmedAnswers() / c.warmed10s());
  }

  private static long median(List<Result> rs, ToLongFunction<Result> figure) {
    long[] v = rs.stream().mapToLong(figure).sorted().toArray();
    return v[v.length / 2];
  }

  private static Result run(Way way, Path confd, int connections, boolean warmed, boolean eagerClients)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(way.command())
        .redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "startup-bench-agent.log"));
    Map<String, String> env = pb.environment();
    env.putAll(way.env());
    env.put("DD_CLUSTER_AGENT_AUTH_TOKEN", TOKEN);
    env.put("DD_CLUSTER_AGENT_CMD_PORT", Integer.toString(PORT));
    env.put("DD_METRICS_PORT", Integer.toString(PORT + 1));
    env.put("DD_HEALTH_PORT", Integer.toString(PORT + 2));
    env.put("DD_CONFD_PATH", confd.toString());
    long launched = System.nanoTime();
    Process agent = pb.start();
    long end = launched + (warmed ? WARMED_FROM_NANOS + WINDOW_NANOS : WINDOW_NANOS);
    long warmedFrom = launched + WARMED_FROM_NANOS;
    long[] first = {Long.MAX_VALUE};
    long[] atFirst = {-1, -1, -1}; // CPU ms, classes loaded, classes shared
    AtomicLong answered = new AtomicLong();
    long[] answers = new long[connections];
    long[][] bySecond = new long[connections][(int) TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS)];
    long[] warmedAnswers = new long[connections];
    long[] cpu = {-1, -1, -1, -1}; // process at 10 s, compilers at 10 s, process at 60 s and 70 s
    Thread cpuReader = new Thread(() -> {
      sleepUntil(launched + WINDOW_NANOS);
      cpu[0] = cpuMillis(agent.pid());
      cpu[1] = compilerCpuMillis(agent.pid());
      if (warmed) {
        sleepUntil(warmedFrom);
        cpu[2] = cpuMillis(agent.pid());
        sleepUntil(end);
        cpu[3] = cpuMillis(agent.pid());
      }
    });
    cpuReader.start();
    if (!eagerClients) {
      awaitPort(launched + GIVE_UP_NANOS);
    }
    Thread[] threads = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      int c = i;
      byte[] status = KeepAliveClient.request("POST", "/api/v1/clusterchecks/status/startup-" + c, TOKEN,
          "{\"last_change\":-1,\"node_type\":1}".getBytes(StandardCharsets.UTF_8));
      threads[i] = new Thread(() -> {
        try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", PORT, true, 10_000)) {
          // Until the window is over and a first answer came (at most 2 minutes on a busy machine).
          while ((System.nanoTime() < end || answered.get() == 0) && System.nanoTime() < launched + GIVE_UP_NANOS
              + (warmed ? WARMED_FROM_NANOS : 0)) {
            try {
              if (client.exchange(status).status() == 200) {
                long now = System.nanoTime();
                if (now < launched + WINDOW_NANOS) {
                  answers[c]++;
                  bySecond[c][(int) TimeUnit.NANOSECONDS.toSeconds(now - launched)]++;
                } else if (now >= warmedFrom && now < end) {
                  warmedAnswers[c]++;
                }
                if (answered.getAndIncrement() == 0) {
                  // The first answer of all: read the agent's figures before it does more.
                  atFirst[0] = cpuMillis(agent.pid());
                  atFirst[1] = perfCounter(agent.pid(), "java.cls.loadedClasses");
                  atFirst[2] = perfCounter(agent.pid(), "java.cls.sharedLoadedClasses");
                }
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
    cpuReader.join();
    agent.destroy(); // SIGTERM: a recording run writes its archive on the way out
    if (!agent.waitFor(60, TimeUnit.SECONDS)) {
      agent.destroyForcibly();
    }
    return new Result(first[0] == Long.MAX_VALUE ? -1 : TimeUnit.NANOSECONDS.toMillis(first[0]), atFirst[0],
        atFirst[1], atFirst[2], sum(answers), warmed ? sum(warmedAnswers) : -1,
        perSecond(bySecond), new Cpu(cpu[0], cpu[1], cpu[2] < 0 || cpu[3] < 0 ? -1 : cpu[3] - cpu[2]));
  }

  private static void sleepUntil(long nanoTime) {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /** CPU of the agent's live JIT compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", ...); -1 when unreadable. */
  static long compilerCpuMillis(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (var threads = Files.list(tasks)) {
      return threads.filter(t -> {
        try {
          return Files.readString(t.resolve("comm")).strip().matches("C[12] CompilerThre.*");
        } catch (IOException ended) {
          return false;
        }
      }).mapToLong(t -> Math.max(0, StartMarks.cpuMillis(t.resolve("stat")))).sum();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Returns once the agent's port accepts a TCP connection (or at {@code deadline}): a plain
   * connect costs the bench almost no CPU, where a TLS client's failed attempt builds a TLS context
   * each time, CPU the agent starting on the same cores would not get.
   */
  private static void awaitPort(long deadline) {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", PORT);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket()) {
        probe.connect(address, 1_000);
        return;
      } catch (IOException refused) {
        LockSupport.parkNanos(PROBE_PAUSE_NANOS);
      }
    }
  }

  /** Answers in each second of the first 10, all connections together. */
  private static List<Long> perSecond(long[][] byConnection) {
    List<Long> seconds = new ArrayList<>();
    for (int second = 0; second < byConnection[0].length; second++) {
      long total = 0;
      for (long[] connection : byConnection) {
        total += connection[second];
      }
      seconds.add(total);
    }
    return seconds;
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }

  /** User plus system CPU time of the process, all threads, from /proc/PID/stat; -1 when unreadable. */
  static long cpuMillis(long pid) {
    return StartMarks.cpuMillis(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /**
   * A long counter of a HotSpot JVM's performance data file ({@code /tmp/hsperfdata_USER/PID}, the file
   * {@code jstat} reads): a prologue (magic, byte order, entry offset and count at bytes 24 and 28),
   * then entries of length, name offset, vector length, type, flags, units, variability and data
   * offset. -1 when the file or counter is missing (another JVM, {@code -XX:-UsePerfData}).
   */
  static long perfCounter(long pid, String name) {
    Path file = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"),
        Long.toString(pid));
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
      b.order(b.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      int entry = b.getInt(24);
      int count = b.getInt(28);
      for (int i = 0; i < count; i++) {
        int length = b.getInt(entry);
        int nameAt = entry + b.getInt(entry + 4);
        int nameEnd = nameAt;
        while (b.get(nameEnd) != 0) {
          nameEnd++;
        }
        String entryName = new String(b.array(), nameAt, nameEnd - nameAt, StandardCharsets.US_ASCII);
        if (entryName.equals(name) && b.get(entry + 12) == 'J') {
          return b.getLong(entry + b.getInt(entry + 16));
        }
        entry += length;
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
