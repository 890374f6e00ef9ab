package io.clusterchecks.server.stats;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * A runner API that misbehaves on demand, over HTTPS on a real socket: each path answers with a
 * switchable {@link Mode}. Hanging handlers are released on {@link #close()}.
 */
final class HostileRunner implements AutoCloseable {
  enum Mode { OK, STATUS_500, GARBAGE, WRONG_TYPES, NOT_AN_OBJECT, HUGE_WITH_LENGTH, HUGE_CHUNKED, HANG,
    HEADERS_THEN_HANG }

  record Seen(String path, String authorization) {}

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hostile-runner");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch release = new CountDownLatch(1);
  final AtomicReference<Mode> statsMode = new AtomicReference<>(Mode.OK);
  final AtomicReference<Mode> workersMode = new AtomicReference<>(Mode.OK);
  final AtomicReference<String> statsBody = new AtomicReference<>("{}");
  final AtomicReference<String> workersBody = new AtomicReference<>("{\"Count\":2,\"Instances\":{}}");
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  HostileRunner(String ip, int port, SSLContext tls) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(ip, port), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    seen.add(new Seen(path, ex.getRequestHeaders().getFirst("Authorization")));
    boolean stats = path.endsWith("/stats");
    Mode mode = stats ? statsMode.get() : workersMode.get();
    String good = stats ? statsBody.get() : workersBody.get();
    try {
      switch (mode) {
        case OK -> send(ex, 200, good.getBytes(StandardCharsets.UTF_8));
        case STATUS_500 -> send(ex, 500, "{\"error\":\"boom\"}".getBytes(StandardCharsets.UTF_8));
        case GARBAGE -> send(ex, 200, "{\"check:1\": {\"AverageExecutionTime\": 12,,,<html>".getBytes(
            StandardCharsets.UTF_8));
        case WRONG_TYPES -> send(ex, 200, (stats
            ? "{\"ok:1\":{\"AverageExecutionTime\":5},\"bad:2\":{\"AverageExecutionTime\":\"241\"}}"
            : "{\"Count\":\"4\"}").getBytes(StandardCharsets.UTF_8));
        case NOT_AN_OBJECT -> send(ex, 200, "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        case HUGE_WITH_LENGTH -> {
          byte[] huge = new byte[9 * 1024 * 1024];
          Arrays.fill(huge, (byte) ' ');
          huge[0] = '{';
          huge[huge.length - 1] = '}';
          send(ex, 200, huge);
        }
        case HUGE_CHUNKED -> {
          ex.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) ' ');
          try (OutputStream out = ex.getResponseBody()) {
            out.write('{');
            for (int i = 0; i < 1024; i++) { // 64 MiB if nobody stops reading
              out.write(chunk);
            }
            out.write('}');
          } catch (IOException expected) {
            // the client hung up once past its limit
          }
        }
        case HANG -> release.await(30, TimeUnit.SECONDS);
        case HEADERS_THEN_HANG -> {
          ex.sendResponseHeaders(200, 0);
          ex.getResponseBody().write('{');
          ex.getResponseBody().flush();
          release.await(30, TimeUnit.SECONDS);
        }
        default -> throw new IllegalStateException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    } catch (IOException expected) {
      // the client may hang up early (body too large)
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
