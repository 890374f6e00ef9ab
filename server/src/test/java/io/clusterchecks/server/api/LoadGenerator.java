package io.clusterchecks.server.api;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Closed-loop load over keep-alive connections: each of {@code connections} threads sends its
 * prepared request, reads the answer, and sends again, until {@code running} turns false. Answers
 * are counted by status; a failed exchange (connection refused, reset, timeout) counts as -1.
 */
final class LoadGenerator {
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final Thread[] threads;

  /**
   * @param request the request bytes of connection {@code i}, sent again and again
   */
  LoadGenerator(String name, int port, boolean tls, int connections, IntFunction<byte[]> request,
      BooleanSupplier running) {
    threads = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      byte[] bytes = request.apply(i);
      threads[i] = new Thread(() -> {
        try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port, tls, 15_000)) {
          while (running.getAsBoolean()) {
            int status;
            try {
              status = client.exchange(bytes).status();
            } catch (IOException e) {
              status = -1;
            }
            byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
          }
        }
      }, name + "-" + i);
      threads[i].setDaemon(true);
    }
  }

  LoadGenerator start() {
    for (Thread t : threads) {
      t.start();
    }
    return this;
  }

  /** Waits for every connection's loop to end (after {@code running} turned false). */
  LoadGenerator join() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    return this;
  }

  /** Answers so far by status (-1: the exchange failed). */
  Map<Integer, Long> counts() {
    Map<Integer, Long> m = new TreeMap<>();
    byStatus.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  long count(int status) {
    LongAdder a = byStatus.get(status);
    return a == null ? 0 : a.sum();
  }
}
