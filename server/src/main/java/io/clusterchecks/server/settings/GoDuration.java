package io.clusterchecks.server.settings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats durations the way Go's {@code time.ParseDuration} writes them ({@code 10m},
 * {@code 90s}, {@code 1h30m}, {@code 1.5h}, {@code 250ms}), so values from Datadog config files carry
 * over. Units: ns, us (or µs), ms, s, m, h. A bare {@code 0} is zero.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "µs", 1_000L,
      "μs", 1_000L,
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /**
   * Parses a Go duration string.
   *
   * @throws IllegalArgumentException when the text is not a Go duration
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    BigDecimal total = BigDecimal.ZERO;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("not a duration (expected e.g. 90s, 10m, 1h30m): " + text.trim());
      }
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
      pos = m.end();
    }
    BigInteger nanos = total.toBigInteger();
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("duration out of range: " + text.trim());
    }
    long n = nanos.longValueExact();
    return Duration.ofNanos(negative ? -n : n);
  }

  /** Formats like Go's {@code Duration.String()} for whole units: {@code 1h30m0s}, {@code 90ms}, {@code 0s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (d.isNegative()) {
      sb.append('-');
      d = d.negated();
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      long nanos = d.toNanos();
      if (nanos % 1_000_000 == 0) {
        return sb.append(nanos / 1_000_000).append("ms").toString();
      }
      if (nanos % 1_000 == 0) {
        return sb.append(nanos / 1_000).append("µs").toString();
      }
      return sb.append(nanos).append("ns").toString();
    }
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int nanos = d.toNanosPart();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    sb.append(seconds);
    if (nanos != 0) {
      String frac = String.format("%09d", nanos).replaceAll("0+$", "");
      sb.append('.').append(frac);
    }
    return sb.append('s').toString();
  }
}
