package io.clusterchecks.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agent replica as an operating-system process: {@code java -cp <this JVM's class path>
 * io.clusterchecks.server.cli.Main agent}, configured by {@code DD_} variables, its output
 * appended to a log file. It can be killed with SIGKILL, frozen with SIGSTOP and thawed with
 * SIGCONT, and started again on the same port.
 */
final class ReplicaProcess {
  private final int index;
  private final int port;
  private final Map<String, String> env;
  private final Path log;
  private final String classPath;
  private Process process;
  private boolean paused;

  ReplicaProcess(int index, int port, Map<String, String> env, Path log, String classPath) {
    this.index = index;
    this.port = port;
    this.env = Map.copyOf(env);
    this.log = log;
    this.classPath = classPath;
  }

  int index() {
    return index;
  }

  int port() {
    return port;
  }

  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("replica " + index + " already runs");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small, quick to start (C1 only), light on a shared 2-core machine.
    cmd.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    cmd.addAll(List.of("-cp", classPath, "io.clusterchecks.server.cli.Main", "agent"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("DD_"));
    pb.environment().putAll(env);
    process = pb.start();
    paused = false;
  }

  /** SIGKILL: no shutdown hook, no step-down, the latch node lives until its session expires. */
  synchronized void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    if (paused) {
      signal("CONT"); // a stopped process dies on SIGKILL too; thawing first keeps the bookkeeping simple
    }
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    paused = false;
  }

  /** SIGSTOP: the whole JVM freezes, as in a long GC pause; sockets stay open. */
  synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT. */
  synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  synchronized boolean paused() {
    return paused;
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  private void signal(String sig) {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + sig + " " + process.pid() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + process.pid(), e);
    }
  }

  /** Ends the process (SIGKILL, after thawing it); used at the end of a run. */
  synchronized void destroy() {
    if (process != null) {
      if (paused) {
        signal("CONT");
      }
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "replica-" + index + "(pid " + pid() + ", port " + port + ")";
  }
}
