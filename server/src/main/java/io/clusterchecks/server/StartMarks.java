package io.clusterchecks.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase marks of the agent's start, for finding where start to first answer goes
 * (docs/benchmarks.md, "Start"): at each mark, the time since the process started and the CPU
 * time of the marking thread and of the whole process (JIT compilers and GC included), read from
 * {@code /proc} (10 ms ticks) rather than through the management beans, whose classes would
 * change what is measured. Off unless {@code -Dclusterchecks.start.marks=true}; then logged at INFO.
 */
public final class StartMarks {
  /** The system property that turns the marks on. */
  public static final String PROPERTY = "clusterchecks.start.marks";
  /** Linux's clock tick for /proc times (USER_HZ, 100 on every mainstream kernel). */
  private static final long TICK_MILLIS = 10;
  private static final boolean ON = Boolean.getBoolean(PROPERTY);

  private StartMarks() {}

  /** Logs the mark {@code phase} when the marks are on; does nothing (reads nothing) otherwise. */
  public static void mark(String phase) {
    if (!ON) {
      return;
    }
    Logger log = LoggerFactory.getLogger(StartMarks.class);
    log.info("start mark {}: {} ms since the process started, CPU {} ms on thread {}, {} ms in the process", phase,
        sinceStart(), cpuMillis(Path.of("/proc/thread-self/stat")), Thread.currentThread().getName(),
        cpuMillis(Path.of("/proc/self/stat")));
  }

  /** Whether the marks are on (a caller may then mark what it would not otherwise watch). */
  public static boolean on() {
    return ON;
  }

  /**
   * Milliseconds since this process started, from the system's uptime and the process's start
   * in ticks since boot (both to 10 ms; the boot time the JDK's start instant adds is only to the
   * second); -1 when unreadable.
   */
  static long sinceStart() {
    try {
      String uptime = Files.readString(Path.of("/proc/uptime"));
      long upMillis = Math.round(Double.parseDouble(uptime.substring(0, uptime.indexOf(' '))) * 1000);
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // starttime is field 22, the 20th after the command name
      long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
      return upMillis - startTicks * TICK_MILLIS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** User plus system CPU time from a {@code /proc} stat file; -1 when unreadable (not Linux). */
  public static long cpuMillis(Path stat) {
    try {
      String text = Files.readString(stat);
      // Fields after the command name in parentheses, which may hold spaces: utime is field 14
      // and stime 15, so the 12th and 13th after the name.
      String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MILLIS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
