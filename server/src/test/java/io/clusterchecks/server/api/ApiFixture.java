package io.clusterchecks.server.api;

import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.UnaryOperator;

/**
 * A real dispatcher behind a real {@link ApiServer} on a free loopback port (plain HTTP unless
 * the options say otherwise), and a client that speaks to it as a worker does.
 */
final class ApiFixture implements AutoCloseable {
  static final String TOKEN = "0123456789abcdef0123456789abcdef-test-token";

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final TaskScheduler scheduler = TaskScheduler.singleThread("dispatch-test");
  final Dispatcher dispatcher;
  final ApiServer server;
  final HttpClient client;
  final String baseUrl;

  private ApiFixture(Duration warmup, RequestGate gate, UnaryOperator<ApiServer.Options> options,
      HttpClient client) {
    this(warmup, gate, options, client, true);
  }

  private ApiFixture(Duration warmup, RequestGate gate, UnaryOperator<ApiServer.Options> options,
      HttpClient client, boolean allRoutes) {
    // No arrival window: configs go to the first worker that reports, at once, as the reference
    // does (the window, 10 s by default, has its own tests in core; here it would make every test
    // that schedules before a worker reports wait 10 s, as long as its awaits).
    dispatcher = new Dispatcher(DispatcherSettings.defaults().withWarmupDuration(warmup)
        .withArrivalWindow(Duration.ZERO), InstantSource.system(), scheduler, registry);
    ApiServer.Options opts = options.apply(
        ApiServer.Options.defaults(TOKEN).withHost("127.0.0.1").withPort(0).withPlainHttp());
    server = gate == null
        ? new ApiServer(dispatcher, opts, registry)
        : new ApiServer(dispatcher, gate, opts, registry);
    if (allRoutes) {
      server.start();
    } else {
      server.startWorkerRoutes();
    }
    this.client = client;
    baseUrl = (opts.tls() ? "https" : "http") + "://127.0.0.1:" + server.port();
  }

  /** Plain HTTP, dispatcher not started. */
  static ApiFixture notLeading() {
    return new ApiFixture(Duration.ZERO, null, o -> o, HttpClient.newHttpClient());
  }

  /** Plain HTTP, dispatcher leading and past its (zero) warmup. */
  static ApiFixture leading() {
    ApiFixture f = notLeading();
    f.startLeading();
    return f;
  }

  /** Plain HTTP, dispatcher not started, only the worker routes started (the agent's start until its election starts). */
  static ApiFixture workerRoutesOnly() {
    return new ApiFixture(Duration.ZERO, null, o -> o, HttpClient.newHttpClient(), false);
  }

  static ApiFixture with(UnaryOperator<ApiServer.Options> options) {
    return new ApiFixture(Duration.ZERO, null, options, HttpClient.newHttpClient());
  }

  static ApiFixture with(UnaryOperator<ApiServer.Options> options, HttpClient client) {
    return new ApiFixture(Duration.ZERO, null, options, client);
  }

  static ApiFixture withGate(RequestGate gate) {
    return new ApiFixture(Duration.ZERO, gate, o -> o, HttpClient.newHttpClient());
  }

  static ApiFixture withWarmup(Duration warmup) {
    return new ApiFixture(warmup, null, o -> o, HttpClient.newHttpClient());
  }

  void startLeading() {
    dispatcher.start();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.isLeading() && !dispatcher.isWarmingUp());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + TOKEN);
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  HttpResponse<String> postStatus(String node, String json) {
    return send(request("/api/v1/clusterchecks/status/" + node)
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** How many times api_requests counted this handler and status (forwarded or not). */
  double apiRequests(String handler, int status, boolean forwarded) {
    var counter = registry.find("api_requests")
        .tags("handler", handler, "status", Integer.toString(status),
            "forwarded", Boolean.toString(forwarded))
        .counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    server.close();
    dispatcher.stop();
    scheduler.close();
    registry.close();
  }
}
