package io.clusterchecks.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent under load, as its own process ({@code java -jar clusterchecks.jar agent}), so that
 * its CPU and memory are measured apart from the simulated workers': CPU time and RSS from
 * {@code /proc}, the heap after a full GC from {@code jcmd}. Its log goes to a file; the line
 * saying how many conf.d configs were loaded is watched for.
 */
final class AgentProcess implements AutoCloseable {
  private static final Pattern LOADED = Pattern.compile("conf\\.d: (\\d+) cluster check configs loaded");
  private static final Pattern LEADS = Pattern.compile("Leadership: .* -> leader: ");
  private static final Pattern THREAD_CPU = Pattern.compile("^\"([^\"]+)\".* cpu=([0-9.]+)ms", Pattern.MULTILINE);
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
  /** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Process process;
  private final CompletableFuture<Long> loadedAtNanos = new CompletableFuture<>();
  private final CompletableFuture<Long> leadsAtNanos = new CompletableFuture<>();
  private final Thread reader;

  private AgentProcess(Process process, Path log) {
    this.process = process;
    this.reader = new Thread(() -> pump(log), "agent-log");
    reader.setDaemon(true);
    reader.start();
  }

  static AgentProcess start(Path jar, List<String> javaOptions, Path settings, Path log) throws IOException {
    return start(jar, javaOptions, settings, log, Map.of());
  }

  /** As above, with variables added to the agent's environment (a replica's {@code POD_NAME}). */
  static AgentProcess start(Path jar, List<String> javaOptions, Path settings, Path log, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString(), "agent", "--config", settings.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new AgentProcess(pb.start(), log);
  }

  private void pump(Path log) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        Matcher m = LOADED.matcher(line);
        if (m.find()) {
          loadedAtNanos.complete(System.nanoTime());
        }
        if (LEADS.matcher(line).find()) {
          leadsAtNanos.complete(System.nanoTime());
        }
      }
    } catch (IOException e) {
      loadedAtNanos.completeExceptionally(e);
    }
    loadedAtNanos.completeExceptionally(new IllegalStateException("the agent exited; see " + log));
    leadsAtNanos.completeExceptionally(new IllegalStateException("the agent exited; see " + log));
  }

  /** When the agent logged its conf.d as loaded (System.nanoTime), waiting at most the timeout. */
  long awaitLoaded(long timeoutSeconds) throws Exception {
    return loadedAtNanos.get(timeoutSeconds, TimeUnit.SECONDS);
  }

  /** When the agent logged that it leads (System.nanoTime), once it has. */
  CompletableFuture<Long> leads() {
    return leadsAtNanos;
  }

  /** SIGKILL: no shutdown hook, no step-down; its ZooKeeper session lives until it times out. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** User plus system CPU seconds the agent used so far. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /** CPU ticks per thread name (the kernel keeps 15 characters of it), summed over threads of one name. */
  Map<String, Long> threadTicks() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
      }
    }
    return out;
  }

  /**
   * CPU milliseconds per thread, by full name (the JVM's thread dump, where /proc keeps 15
   * characters: the dispatch and dashboard threads look alike there), summed over threads whose
   * names differ only by a trailing number.
   */
  Map<String, Double> threadCpuMillis() throws IOException, InterruptedException {
    Map<String, Double> out = new TreeMap<>();
    Matcher m = THREAD_CPU.matcher(jcmd("Thread.print"));
    while (m.find()) {
      out.merge(m.group(1).replaceAll("[0-9]+$", "#"), Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  /** Resident set size in MiB. */
  double rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  /** Runs a full GC in the agent, then reads the heap in use (MiB). */
  double heapAfterGcMiB() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : Double.NaN;
  }

  private String jcmd(String what) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), what).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
