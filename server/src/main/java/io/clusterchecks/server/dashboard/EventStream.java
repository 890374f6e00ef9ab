package io.clusterchecks.server.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Server-sent events: every subscriber gets the latest snapshot at once, then each new one.
 * A snapshot is encoded once and the same bytes go to every browser. A stream holds one request
 * thread while it lasts, so their number is capped; a comment line every {@code keepAlive} keeps
 * idle connections (and proxies) from timing out and finds closed browsers. A stream ends when
 * its session expires or the dashboard closes; the browser's {@code EventSource} then reconnects
 * and, when refused, the page asks for the token again.
 */
final class EventStream {
  private final byte[] keepAliveLine = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  private final byte[] eventHead = "event: snapshot\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private final byte[] eventTail = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private final int maxSubscribers;
  private final Duration keepAlive;
  private final AtomicInteger subscribers = new AtomicInteger();
  private final Object lock = new Object();
  private byte[] latest;
  private long version;
  private boolean closed;

  EventStream(int maxSubscribers, Duration keepAlive) {
    this.maxSubscribers = maxSubscribers;
    this.keepAlive = keepAlive;
  }

  /** Hands a new snapshot (one JSON line) to every subscriber. */
  void publish(byte[] json) {
    synchronized (lock) {
      latest = json;
      version++;
      lock.notifyAll();
    }
  }

  /** The latest snapshot, or null before the first. */
  byte[] latest() {
    synchronized (lock) {
      return latest;
    }
  }

  /** Takes a subscriber slot; false when all are taken. Release it with {@link #leave()}. */
  boolean join() {
    if (subscribers.incrementAndGet() > maxSubscribers) {
      subscribers.decrementAndGet();
      return false;
    }
    return true;
  }

  void leave() {
    subscribers.decrementAndGet();
  }

  int subscribers() {
    return subscribers.get();
  }

  /**
   * Writes snapshots to {@code out} until the client goes, {@code authorized} turns false, or the
   * stream closes. The caller has set the response headers.
   */
  void serve(OutputStream out, BooleanSupplier authorized) throws IOException, InterruptedException {
    out.write("retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    long seen = 0;
    while (authorized.getAsBoolean()) {
      byte[] next = null;
      synchronized (lock) {
        if (!closed && version == seen) {
          lock.wait(keepAlive.toMillis());
        }
        if (closed) {
          return;
        }
        if (version != seen) {
          next = latest;
          seen = version;
        }
      }
      if (next != null) {
        out.write(eventHead);
        out.write(next);
        out.write(eventTail);
      } else {
        out.write(keepAliveLine);
      }
      out.flush();
    }
  }

  /** Ends every stream. */
  void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
  }
}
