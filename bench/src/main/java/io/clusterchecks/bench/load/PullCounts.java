package io.clusterchecks.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A follower's placement pulls as its {@code /metrics} counts them ({@code placement_pulls},
 * {@code placement_pull_bytes}, by answer): how many of each answer, and the bytes of the whole
 * and delta bodies.
 */
record PullCounts(long whole, long delta, long unchanged, long failed, long bytesWhole, long bytesDelta) {
  private static final Pattern SERIES =
      Pattern.compile("^(placement_pulls|placement_pull_bytes)_total\\{answer=\"(\\w+)\"[^}]*\\} ([0-9.eE+]+)$",
          Pattern.MULTILINE);

  static PullCounts scrape(int metricsPort) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    long[] v = new long[6];
    Matcher m = SERIES.matcher(r.body());
    while (m.find()) {
      long n = (long) Double.parseDouble(m.group(3));
      boolean bytes = m.group(1).equals("placement_pull_bytes");
      switch (m.group(2)) {
        case "whole" -> v[bytes ? 4 : 0] = n;
        case "delta" -> v[bytes ? 5 : 1] = n;
        case "unchanged" -> v[2] = bytes ? v[2] : n;
        case "failed" -> v[3] = bytes ? v[3] : n;
        default -> { }
      }
    }
    return new PullCounts(v[0], v[1], v[2], v[3], v[4], v[5]);
  }

  PullCounts minus(PullCounts o) {
    return new PullCounts(whole - o.whole, delta - o.delta, unchanged - o.unchanged, failed - o.failed,
        bytesWhole - o.bytesWhole, bytesDelta - o.bytesDelta);
  }

  String row() {
    return "%d | %d | %d | %d | %,d | %,d".formatted(whole, delta, unchanged, failed, bytesWhole, bytesDelta);
  }
}
