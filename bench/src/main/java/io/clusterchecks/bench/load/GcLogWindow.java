package io.clusterchecks.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's collections in a window of its uptime, read from a G1 log written with
 * {@code -Xlog:gc:file=...:uptime} (the lines {@code [12.345s] GC(7) Pause Young (Normal) (G1
 * Evacuation Pause) 434M->250M(750M) 12.345ms}): the young pauses (count, total, longest) and
 * what was allocated, the heap before each collection less the heap after the one before it. The
 * window is measured from the first collection before it to the first one after it (the full
 * collection {@code FullScaleLoad} runs right after its steady window ends), so it holds whole
 * intervals between collections.
 *
 * @param youngPauses young pauses that started inside the window
 * @param youngMillis their total duration
 * @param longestMillis the longest of them
 * @param allocatedMiB allocated between the collections bracketing the window
 * @param seconds the time between those collections
 */
record GcLogWindow(int youngPauses, double youngMillis, double longestMillis, long allocatedMiB, double seconds) {
  private static final Pattern PAUSE = Pattern.compile(
      "\\[([0-9.]+)s\\] GC\\(\\d+\\) Pause (\\w+).* (\\d+)M->(\\d+)M\\(\\d+M\\) ([0-9.]+)ms");

  /** Allocated MiB per minute over the bracketing interval; NaN when no collection brackets it. */
  double allocatedMiBPerMinute() {
    return seconds > 0 ? allocatedMiB / seconds * 60 : Double.NaN;
  }

  static GcLogWindow read(Path log, double fromSeconds, double toSeconds) throws IOException {
    return of(Files.readAllLines(log), fromSeconds, toSeconds);
  }

  static GcLogWindow of(List<String> lines, double fromSeconds, double toSeconds) {
    int pauses = 0;
    double total = 0;
    double longest = 0;
    long allocated = 0;
    double bracketStart = Double.NaN;
    double bracketEnd = Double.NaN;
    long lastAfter = -1;
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) {
        continue;
      }
      double at = Double.parseDouble(m.group(1));
      long before = Long.parseLong(m.group(3));
      long after = Long.parseLong(m.group(4));
      double millis = Double.parseDouble(m.group(5));
      if (at < fromSeconds) {
        bracketStart = at;
      } else if (Double.isNaN(bracketEnd) && lastAfter >= 0 && !Double.isNaN(bracketStart)) {
        allocated += Math.max(0, before - lastAfter);
        if (at > toSeconds) {
          bracketEnd = at;
        }
      }
      if (at >= fromSeconds && at <= toSeconds && m.group(2).equals("Young")) {
        pauses++;
        total += millis;
        longest = Math.max(longest, millis);
      }
      lastAfter = after;
    }
    double seconds = Double.isNaN(bracketStart) || Double.isNaN(bracketEnd) ? 0 : bracketEnd - bracketStart;
    return new GcLogWindow(pauses, total, longest, seconds > 0 ? allocated : 0, seconds);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d young pauses, %.0f ms in all, longest %.0f ms; %,.0f MiB/min allocated "
        + "(%,d MiB between the collections around the window, %.1f s apart)", youngPauses, youngMillis,
        longestMillis, allocatedMiBPerMinute(), allocatedMiB, seconds);
  }
}
