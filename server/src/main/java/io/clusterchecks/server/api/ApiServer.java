package io.clusterchecks.server.api;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import io.clusterchecks.core.balance.Move;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.PlacementCopy;
import io.clusterchecks.core.dispatch.PlacementDelta;
import io.clusterchecks.core.dispatch.RebalanceResult;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.server.balance.OnDemandRebalance;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.servlet.JavalinServlet;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker-facing API on {@code cluster_agent.cmd_port}, speaking the Datadog Cluster Agent's
 * wire protocol (docs/reference/protocol.md sections 1–3, documented in {@code docs/api.md}).
 *
 * <p>Every route runs the same pipeline, so a refused request never reaches the dispatcher:
 * bearer token, path identifier, "cluster checks enabled", body limit, the {@link RequestGate}
 * (leader-only routes), decoding, and only then the dispatcher. Every answer, refusals included,
 * is counted in {@code api_requests}.
 *
 * <p>HTTPS by default, with configured PEM files or a certificate generated at start; TLS 1.3
 * minimum unless legacy TLS (1.2) is allowed. Plain HTTP only when asked for.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  static final String STATUS_PATH = "/api/v1/clusterchecks/status/{identifier}";
  static final String CONFIGS_PATH = "/api/v1/clusterchecks/configs/{identifier}";
  static final String STATE_PATH = "/api/v1/clusterchecks";
  static final String ENDPOINTS_CONFIGS_PATH = "/api/v1/endpointschecks/configs/{nodeName}";
  static final String ALL_ENDPOINTS_CONFIGS_PATH = "/api/v1/endpointschecks/configs";
  static final String VERSION_PATH = "/version";
  /** Leader-only, internal: where every config runs, for the followers' warm copy. */
  public static final String PLACEMENT_PATH = "/api/v1/clusterchecks/placement";
  static final String REBALANCE_PATH = "/api/v1/clusterchecks/rebalance";
  static final String ISOLATE_PATH = "/api/v1/clusterchecks/isolate/check/{checkID}";

  static final String REAL_IP_HEADER = WorkerAnswers.REAL_IP_HEADER;
  static final String DISABLED_MESSAGE = "Cluster-checks are not enabled";
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String FORWARDED_ATTRIBUTE = "clusterchecks.forwarded";
  private static final byte[] NO_BODY = new byte[0];


  private final Dispatcher dispatcher;
  private final RequestGate gate;
  private final Options options;
  private volatile BearerTokenAuth auth;
  private final ApiMetrics metrics;
  private final WorkerAnswers answers;
  /** Told the node of every status answered 200 on the Jetty path (the dashboard's last heartbeats). */
  private java.util.function.Consumer<String> statusAnswered = node -> { };
  /** Concurrent requests other than status posts; see {@link PriorityAdmission}. */
  private int lowPriorityLimit = PriorityAdmission.DEFAULT_LOW_PRIORITY_LIMIT;
  /** {@code /version}'s answer, encoded when its route is added ({@link #startOtherRoutes()}). */
  private volatile byte[] versionJson;
  /** Javalin's routes, served by {@link #laterRoutes} once {@link #startOtherRoutes()} made them. */
  private Javalin app;
  /** Behind the worker routes: 503 until {@link #startOtherRoutes()} gives it Javalin's; one per start. */
  private LaterRoutesHandler laterRoutes;
  private Server jetty;
  private ServerConnector connector;
  /** How often configured PEM files are checked for a renewed certificate. */
  private Duration certificateReloadInterval = Duration.ofSeconds(5);
  private CertificateFileWatcher certificateWatcher;
  private volatile Supplier<Map<String, List<String>>> configErrors = Map::of;
  private volatile Supplier<String> leaderIp = () -> "";
  /** Routes added beside the worker API (the dashboard), registered at {@link #start()}. */
  private Consumer<RoutesConfig> extraRoutes = routes -> { };
  /** The rebalance route's path: fresh stats first when the agent balances by load. */
  private volatile io.clusterchecks.server.balance.OnDemandRebalance onDemandRebalance;
  /** The placement answer, encoded once per version. */
  private volatile EncodedPlacement placementBody = new EncodedPlacement(-1, new byte[0]);

  private record EncodedPlacement(long version, byte[] json) {}

  /** A single-replica API: serves while the dispatcher leads, else 503 Startup in progress. */
  public ApiServer(Dispatcher dispatcher, Options options, MeterRegistry registry) {
    this(dispatcher, RequestGate.leaderOnly(dispatcher), options, registry);
  }

  /** An API whose leader-only routes go through {@code gate} (leader election, forwarding). */
  public ApiServer(Dispatcher dispatcher, RequestGate gate, Options options,
      MeterRegistry registry) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.gate = Objects.requireNonNull(gate, "gate");
    this.options = Objects.requireNonNull(options, "options");
    this.auth = new BearerTokenAuth(options.authToken());
    this.metrics = new ApiMetrics(Objects.requireNonNull(registry, "registry"));
    this.answers = new WorkerAnswers(dispatcher);
    this.onDemandRebalance = dispatcher::rebalanceOnDemand;
  }

  /**
   * How {@code POST .../rebalance} rebalances (the agent collects runner stats first); by default
   * the dispatcher's on-demand rebalance on the stats it has.
   */
  public ApiServer onDemandRebalance(OnDemandRebalance rebalance) {
    this.onDemandRebalance = Objects.requireNonNull(rebalance, "rebalance");
    return this;
  }

  /**
   * Adds config sources' problems (entity to reasons) to the state answer as
   * {@code config_errors}; see {@link StateResponse}.
   */
  public ApiServer configErrors(Supplier<Map<String, List<String>>> errors) {
    this.configErrors = Objects.requireNonNull(errors, "errors");
    return this;
  }

  /** Adds the followed leader's address to the state answer as {@code leader_ip}; see {@link StateResponse}. */
  public ApiServer leaderIp(Supplier<String> ip) {
    this.leaderIp = Objects.requireNonNull(ip, "ip");
    return this;
  }

  /**
   * Accepts the tokens of {@code tokens} (rotated from a file) instead of the fixed
   * {@link Options#authToken()}.
   */
  public ApiServer authTokens(AuthTokens tokens) {
    this.auth = new BearerTokenAuth(tokens);
    return this;
  }

  /**
   * Called with the node of every status this replica answered 200 on the worker routes' Jetty
   * path, where Javalin's after-handlers do not run. Call before {@link #start()}.
   */
  public ApiServer statusAnswered(java.util.function.Consumer<String> listener) {
    this.statusAnswered = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * How many requests other than status posts may be in progress at once; more are answered 503
   * at once (see {@link PriorityAdmission}). Call before {@link #start()}.
   */
  public ApiServer lowPriorityLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the low-priority limit must be at least 1: " + limit);
    }
    this.lowPriorityLimit = limit;
    return this;
  }

  /** How often the PEM files of {@link Options#certFile()} are checked for changes; call before {@link #start()}. */
  public ApiServer certificateReloadInterval(Duration interval) {
    this.certificateReloadInterval = Objects.requireNonNull(interval, "interval");
    return this;
  }

  /**
   * Adds routes of another component (the dashboard) to this listener; they handle their own
   * authentication. Call before {@link #start()}.
   */
  public ApiServer extraRoutes(Consumer<RoutesConfig> routes) {
    this.extraRoutes = Objects.requireNonNull(routes, "routes");
    return this;
  }

  /**
   * Binds and starts serving every route: {@link #startWorkerRoutes()}, then {@link #startOtherRoutes()}.
   *
   * @throws IllegalStateException if already started, or the TLS material or the port is unusable
   */
  public synchronized ApiServer start() {
    return startWorkerRoutes().startOtherRoutes();
  }

  /**
   * Binds and starts serving the routes a worker polls (status and configs, {@link WorkerRoutesHandler})
   * on Jetty alone; every other route answers 503 with {@code Retry-After: 1} until
   * {@link #startOtherRoutes()}. So a worker's first status waits neither for Javalin's creation
   * nor for its servlet context (docs/benchmarks.md, "Start"). Loads or generates the certificate
   * first, so a bad PEM file fails here with a clear message.
   *
   * @throws IllegalStateException if already started, or the TLS material or the port is unusable
   */
  public synchronized ApiServer startWorkerRoutes() {
    if (jetty != null) {
      throw new IllegalStateException("the API server is already started");
    }
    tellJettyTheReferenceSize();
    // The certificate (generated, or read from its files) is made on another thread while Jetty
    // is set up here; the connector waits for it (docs/benchmarks.md, "Start").
    CompletableFuture<SslContextFactory.Server> tls = options.tls()
        ? CompletableFuture.supplyAsync(this::sslContextFactory, ApiServer::startTlsSetup)
        : null;
    Server server = JettyServers.server();
    HttpConfiguration http = JettyServers.httpConfiguration();
    // Ahead of everything: heartbeats first under load, then the worker routes, then the rest.
    PriorityAdmission admission = new PriorityAdmission(lowPriorityLimit, metrics,
        new RateLimitedLog(LOG, Duration.ofMinutes(1)));
    WorkerRoutesHandler workerRoutes = new WorkerRoutesHandler(() -> auth, gate, options, answers, metrics,
        statusAnswered);
    laterRoutes = new LaterRoutesHandler();
    workerRoutes.setHandler(laterRoutes);
    admission.setHandler(workerRoutes);
    server.setHandler(admission);
    SslContextFactory.Server ssl;
    try {
      ssl = tls == null ? null : tls.join();
    } catch (CompletionException e) {
      throw tlsFailure(tls); // the certificate's own message, before anything listens
    }
    ServerConnector bound = ssl != null ? tlsConnector(server, http, ssl) : plainConnector(server, http);
    bound.setHost(options.host());
    bound.setPort(options.port());
    server.addConnector(bound);
    try {
      server.start();
    } catch (Exception e) {
      JettyServers.stopQuietly(server);
      throw new IllegalStateException("cannot start the API server on "
          + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    jetty = server;
    connector = bound;
    if (ssl != null && options.certFile() != null) {
      // Renewed files are served without a restart; new connections get the new certificate.
      certificateWatcher = new CertificateFileWatcher(options.certFile(), options.keyFile(),
          certificateReloadInterval, certificate -> reload(ssl, certificate)).start();
    }
    LOG.info("API listening on {}://{}:{}{}", options.tls() ? "https" : "http", options.host(),
        port(), options.tls() && options.certFile() == null ? " (self-signed certificate)" : "");
    return this;
  }

  /**
   * Adds every route besides the worker routes (the rest of the API, the dashboard's): Javalin's
   * servlet context behind the worker routes, on the running server. Until this returns they
   * answer 503 with {@code Retry-After: 1}.
   *
   * @throws IllegalStateException if the worker routes are not started, or this was called already
   */
  public synchronized ApiServer startOtherRoutes() {
    if (jetty == null) {
      throw new IllegalStateException("the API server is not started");
    }
    if (app != null) {
      throw new IllegalStateException("the API's other routes are already started");
    }
    versionJson = ConfigCodec.toJson(AgentVersion.current());
    Javalin javalin = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.router.ignoreTrailingSlashes = false;
      cfg.http.maxRequestSize = options.maxBodyBytes();
      cfg.routes.post(STATUS_PATH, route("postCheckStatus", this::postCheckStatus));
      cfg.routes.get(CONFIGS_PATH, route("getCheckConfigs", this::getCheckConfigs));
      cfg.routes.get(STATE_PATH, route("getState", this::getState));
      cfg.routes.get(ENDPOINTS_CONFIGS_PATH, route("getEndpointsConfigs", this::getEndpointsConfigs));
      cfg.routes.get(ALL_ENDPOINTS_CONFIGS_PATH,
          route("getAllEndpointsCheckConfigs", this::getAllEndpointsCheckConfigs));
      cfg.routes.get(VERSION_PATH, route("version", this::getVersion));
      cfg.routes.get(PLACEMENT_PATH, route("getPlacement", this::getPlacement));
      cfg.routes.post(REBALANCE_PATH, route("postRebalanceChecks", this::postRebalance));
      cfg.routes.post(ISOLATE_PATH, route("postIsolateCheck", this::postIsolate));
      // Jetty would answer HEAD on a GET route itself, 200 and no authentication: every method
      // authenticates first, then HEAD is refused (workers never send it).
      for (String path : List.of(CONFIGS_PATH, STATE_PATH, ENDPOINTS_CONFIGS_PATH, ALL_ENDPOINTS_CONFIGS_PATH,
          VERSION_PATH, PLACEMENT_PATH)) {
        cfg.routes.head(path, route("head", ctx -> {
          ctx.header("Allow", "GET");
          throw new ApiException(405, "method not allowed");
        }));
      }
      extraRoutes.accept(cfg.routes);
      // Our handlers answer their own errors (route()); what reaches here is Javalin failing to
      // decode the request path before any handler runs (a bad percent-encoding): the client's.
      cfg.routes.exception(IllegalArgumentException.class,
          (e, ctx) -> error(ctx, 400, "bad request: the path is not valid URL encoding"));
    });
    laterRoutes.serve(JettyServers.servletContext(jetty, new JavalinServlet(javalin.unsafe)));
    app = javalin;
    return this;
  }

  /** The API's Jetty server, for tests of the handler chain. */
  synchronized Server jettyServer() {
    if (jetty == null) {
      throw new IllegalStateException("the API server is not started");
    }
    return jetty;
  }

  /** The bound port; useful when the options asked for port 0. */
  public synchronized int port() {
    if (connector == null) {
      throw new IllegalStateException("the API server is not started");
    }
    return connector.getLocalPort();
  }

  @Override
  public synchronized void close() {
    if (certificateWatcher != null) {
      certificateWatcher.close();
      certificateWatcher = null;
    }
    if (jetty != null) {
      JettyServers.stopQuietly(jetty); // Javalin's servlet context too: it is the server's
      jetty = null;
      app = null;
    }
  }

  // ---------------------------------------------------------------- handlers

  /** {@code POST /api/v1/clusterchecks/status/{identifier}}: heartbeat, "am I up to date?". */
  private void postCheckStatus(Context ctx) {
    String node = NodeIdentifiers.require(ctx.pathParam("identifier"));
    requireEnabled();
    byte[] body = readBody(ctx);
    if (!admitted(ctx, body)) {
      return;
    }
    json(ctx, answers.status(node, ctx.header(REAL_IP_HEADER), body));
  }

  /** {@code GET /api/v1/clusterchecks/configs/{identifier}}: the node's prepared answer. */
  private void getCheckConfigs(Context ctx) {
    String node = NodeIdentifiers.require(ctx.pathParam("identifier"));
    requireEnabled();
    if (!admitted(ctx, NO_BODY)) {
      return;
    }
    json(ctx, answers.configs(node));
  }

  /** {@code GET /api/v1/endpointschecks/configs/{nodeName}}: endpoints checks of a k8s node. */
  private void getEndpointsConfigs(Context ctx) {
    String k8sNode = NodeIdentifiers.require(ctx.pathParam("nodeName"));
    requireEnabled();
    if (!admitted(ctx, NO_BODY)) {
      return;
    }
    json(ctx, dispatcher.endpointsConfigs(k8sNode).responseJson());
  }

  /** {@code GET /api/v1/endpointschecks/configs}: every endpoints check; answered locally. */
  private void getAllEndpointsCheckConfigs(Context ctx) {
    requireEnabled();
    json(ctx, ConfigCodec.toJson(new ConfigResponse(0, dispatcher.allEndpointsConfigs())));
  }

  /**
   * {@code GET /api/v1/clusterchecks}: the dispatching state; never gated nor forwarded. With
   * {@code ?scrub=true} (the reference's flag) secrets in configs are hidden; without it the
   * answer is unchanged, since Datadog's CLI may rely on the real configs.
   */
  private void getState(Context ctx) {
    requireEnabled();
    String notRunning = gate.notRunningReason();
    StateResponse state = notRunning.isEmpty()
        ? dispatcher.state()
        : new StateResponse(notRunning, false, List.of(), List.of());
    if ("true".equals(ctx.queryParam("scrub"))) {
      state = StateScrubber.scrub(state);
    }
    json(ctx, ConfigCodec.toJson(state.withConfigErrors(configErrors.get()).withLeaderIp(leaderIp.get())));
  }

  /**
   * {@code GET /api/v1/clusterchecks/placement}: digest to worker name, answered by the leader
   * only (never forwarded), and not during warmup, when the placement is still being rebuilt.
   * The answer carries an {@code ETag} (the placement's version); a follower that sends it back in
   * {@code If-None-Match} gets 304 and no body while nothing moved, which is most polls. With
   * {@code ?since=<version>} (the version of the copy the follower holds) the answer is only what
   * changed since, when the leader's journal still reaches back to that version; otherwise, or
   * without {@code since}, the whole placement, encoded once per version.
   */
  private void getPlacement(Context ctx) {
    requireEnabled();
    String notRunning = gate.notRunningReason();
    if (!notRunning.isEmpty() || !dispatcher.isLeading()) {
      throw new ApiException(503, "Not the leader: " + (notRunning.isEmpty() ? "not dispatching" : notRunning));
    }
    if (dispatcher.isWarmingUp()) {
      throw new ApiException(503, "Warmup in progress");
    }
    long since = sinceVersion(ctx.queryParam("since"));
    long current = dispatcher.placementVersion();
    if (current == 0) {
      // Not dispatching (any more); the follower keeps what it holds.
      throw new ApiException(503, "Placement copy in preparation");
    }
    String etag = "\"" + current + "\"";
    if (etag.equals(ctx.header("If-None-Match"))) {
      ctx.header("ETag", etag);
      ctx.status(304);
      return;
    }
    Optional<PlacementDelta> delta = since > 0 ? dispatcher.placementChangesSince(since) : Optional.empty();
    if (delta.isPresent()) {
      PlacementDelta d = delta.get();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("since", d.since());
      body.put("version", d.version());
      body.put("placed", d.placed());
      body.put("removed", d.removed());
      ctx.header("ETag", "\"" + d.version() + "\"");
      json(ctx, ConfigCodec.toJson(body));
      return;
    }
    PlacementCopy copy = dispatcher.placementCopy();
    if (copy == PlacementCopy.NONE) {
      throw new ApiException(503, "Placement copy in preparation");
    }
    ctx.header("ETag", "\"" + copy.version() + "\"");
    EncodedPlacement cached = placementBody;
    if (cached.version() != copy.version()) {
      cached = new EncodedPlacement(copy.version(), ConfigCodec.toJson(Map.of("placement", copy.byDigest(), "version", copy.version())));
      placementBody = cached;
    }
    json(ctx, cached.json());
  }

  /** The {@code since} parameter: a version token, 0 when absent; 400 when it is not a number. */
  private static long sinceVersion(String since) {
    if (since == null || since.isEmpty()) {
      return 0;
    }
    if (since.length() > 20) {
      throw new ApiException(400, "invalid since: expected a placement version (a number)");
    }
    try {
      return Long.parseLong(since);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid since: expected a placement version (a number)");
    }
  }

  /**
   * {@code POST /api/v1/clusterchecks/rebalance}, body {@code {"force": bool, "dry_run": bool}}
   * (both optional; {@code dry_run} is ours): the moves, as the reference's array of
   * RebalanceResponse; 500 with the reference's text when advanced dispatching is off.
   */
  private void postRebalance(Context ctx) {
    requireEnabled();
    byte[] body = readBody(ctx);
    if (!admitted(ctx, body)) {
      return;
    }
    boolean force = false;
    boolean dryRun = "true".equals(ctx.queryParam("dry_run"));
    if (body.length > 0) {
      JsonNode tree;
      try {
        tree = ConfigCodec.JSON.readTree(body);
      } catch (JacksonException e) {
        throw new ApiException(400, "invalid rebalance body: " + WorkerAnswers.detail(e.getMessage()));
      }
      if (tree != null && !tree.isNull()) {
        if (!tree.isObject()) {
          throw new ApiException(400, "invalid rebalance body: expected an object like {\"force\": true}");
        }
        force = booleanField(tree, "force");
        dryRun = dryRun || booleanField(tree, "dry_run");
      }
    }
    RebalanceResult result = answer(onDemandRebalance.rebalance(force, dryRun));
    switch (result.refusal()) {
      case ADVANCED_DISPATCHING_OFF -> throw new ApiException(500, result.reason());
      case NOT_DISPATCHING -> throw new ApiException(503, "cannot rebalance: " + result.reason());
      case NONE -> { }
    }
    List<Map<String, Object>> moves = new ArrayList<>();
    if (result.applied() || dryRun) {
      for (Move m : result.moves()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("check_id", m.checkName() + ":" + m.digest());
        r.put("digest", m.digest());
        r.put("check_name", m.checkName());
        // An integer on the wire, as the Datadog CLI decodes it: the load in thousandths of a
        // check worker (1000 = one worker kept busy); check_load is the exact figure.
        r.put("check_weight", Math.round(m.load() * 1000));
        r.put("check_load", m.load());
        r.put("source_node_name", m.from());
        r.put("source_diff", 0);
        r.put("dest_node_name", m.to());
        r.put("dest_diff", 0);
        // Ours: the move budget stopped this rebalance short of the band (a second call goes on).
        r.put("budget_stopped", result.budgetStopped());
        r.put("moves_needed", result.movesNeeded());
        moves.add(r);
      }
    }
    ctx.header("X-Clusterchecks-Rebalance", result.applied() ? "applied" : result.reason().isEmpty() ? "none" : result.reason());
    json(ctx, ConfigCodec.toJson(moves));
  }

  private static boolean booleanField(JsonNode tree, String name) {
    JsonNode v = tree.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new ApiException(400, "invalid rebalance body: " + name + " must be true or false");
    }
    return v.booleanValue();
  }

  /** {@code POST /api/v1/clusterchecks/isolate/check/{checkID}}: the reference's IsolateResponse. */
  private void postIsolate(Context ctx) {
    String checkId = ctx.pathParam("checkID");
    if (checkId.isEmpty() || checkId.length() > 1024 || checkId.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/')) {
      throw new ApiException(400, "invalid check ID: it must be 1 to 1024 printable characters without '/'");
    }
    requireEnabled();
    byte[] body = readBody(ctx);
    if (!admitted(ctx, body)) {
      return;
    }
    json(ctx, ConfigCodec.toJson(answer(dispatcher.isolate(checkId))));
  }

  /** A dispatcher command's answer, or a 503 when the dispatch thread does not answer in time. */
  private static <T> T answer(CompletableFuture<T> command) {
    try {
      return DispatcherCommands.await(command);
    } catch (DispatcherCommands.Unanswered e) {
      throw new ApiException(503, e.getMessage());
    }
  }

  /** {@code GET /version}: this build's version in the agent's shape. */
  private void getVersion(Context ctx) {
    json(ctx, versionJson);
  }

  // ---------------------------------------------------------------- pipeline steps

  /**
   * Wraps a handler with authentication, error answers and the {@code api_requests} counter.
   * Refusals are thrown as {@link ApiException} by the steps below.
   */
  private Handler route(String name, Handler handler) {
    return ctx -> {
      long started = System.nanoTime();
      try {
        auth.check(ctx.header("Authorization"));
        handler.handle(ctx);
      } catch (ApiException e) {
        if (e.challenge()) {
          ctx.header("WWW-Authenticate", BearerTokenAuth.CHALLENGE);
        }
        error(ctx, e.status(), e.getMessage());
      } catch (Exception e) {
        LOG.error("{} failed", name, e);
        error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
      } finally {
        metrics.request(name, ctx.statusCode(), Boolean.TRUE.equals(ctx.attribute(FORWARDED_ATTRIBUTE)),
            System.nanoTime() - started);
      }
    };
  }

  private void requireEnabled() {
    if (!options.clusterChecksEnabled()) {
      // The reference's status since Gen-2 (Gen-1 answered 412).
      throw new ApiException(404, DISABLED_MESSAGE);
    }
  }

  /**
   * Asks the gate. Returns true when this replica must answer; false when a forwarder already
   * answered; throws the gate's refusal.
   */
  private boolean admitted(Context ctx, byte[] body) throws ApiException {
    RequestGate.Decision decision = gate.admit();
    if (decision instanceof RequestGate.Reject reject) {
      throw new ApiException(reject.status(), reject.message());
    }
    if (decision instanceof RequestGate.Forward forward) {
      ctx.attribute(FORWARDED_ATTRIBUTE, true);
      try {
        forward.forwarder().forward(ctx, body);
      } catch (ApiException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("Forwarding {} {} to the leader failed: {}", ctx.method(), ctx.path(), e.toString());
        throw new ApiException(503, "cannot forward the request to the leader");
      }
      return false;
    }
    return true;
  }

  /** Reads the body, refusing more than the limit without reading it all. */
  private byte[] readBody(Context ctx) {
    int max = options.maxBodyBytes();
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(max + 1);
      if (body.length > max) {
        throw tooLarge(max);
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request body: " + e.getMessage());
    }
  }

  static ApiException tooLarge(int max) {
    return new ApiException(413, "request body too large: the limit is " + max + " bytes");
  }




  private static void json(Context ctx, byte[] body) {
    ctx.status(200).contentType(JSON).result(body);
  }

  /** A plain-text error, as the reference's {@code http.Error} writes it. */
  private static void error(Context ctx, int status, String message) {
    ctx.status(status)
        .contentType(TEXT)
        .header("X-Content-Type-Options", "nosniff")
        .result((message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- connectors

  private static ServerConnector plainConnector(Server server, HttpConfiguration http) {
    return new ServerConnector(server, new HttpConnectionFactory(http));
  }

  private static ServerConnector tlsConnector(Server server, HttpConfiguration http,
      SslContextFactory.Server ssl) {
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Workers dial IPs (pod or service IPs) and send no SNI, or one the certificate may not
    // name; Jetty would answer "400 Invalid SNI". Workers do not verify the certificate anyway.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    return new ServerConnector(server,
        new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
  }

  private SslContextFactory.Server sslContextFactory() {
    ServerCertificate certificate;
    if (options.certFile() != null) {
      try {
        certificate = ServerCertificate.fromPem(options.certFile(), options.keyFile());
      } catch (IOException e) {
        throw new IllegalStateException("cannot load the API certificate: " + e.getMessage(), e);
      }
    } else {
      List<String> names = new ArrayList<>();
      if (!options.host().isEmpty() && !options.host().equals("0.0.0.0")
          && !options.host().equals("::")) {
        names.add(options.host());
      }
      certificate = ServerCertificate.selfSigned(names, InstantSource.system());
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    useKeyStore(ssl, certificate);
    ssl.setSniRequired(false);
    // The API asks no client certificate: an empty trust store, rather than the JDK's CA list,
    // which would be read and parsed at every start for nothing.
    ssl.setTrustStore(emptyTrustStore());
    ssl.setIncludeProtocols(options.allowLegacyTls()
        ? new String[] {"TLSv1.3", "TLSv1.2"}
        : new String[] {"TLSv1.3"});
    return ssl;
  }

  /** Jetty's property for how many object references fill a cache line. */
  static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
  /** Below this maximum heap the JVM compresses object references to 4 bytes (the limit is 32 GiB). */
  private static final long COMPRESSED_REFERENCES_BELOW = 31L << 30;

  /**
   * Jetty pads its queues to a cache line, and to learn whether references take 4 or 8 bytes it asks
   * the JVM's HotSpotDiagnostic MBean unless told: that starts the platform MBean server, every
   * management bean and the flight recorder's commands (hundreds of classes, a noticeable part of
   * start to first answer; docs/benchmarks.md, "Start"). Below 31 GiB of heap the answer is 4
   * bytes (16 to Jetty's 64-byte line); above, Jetty still asks. An operator's own setting stays.
   */
  static void tellJettyTheReferenceSize() {
    if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null
        && Runtime.getRuntime().maxMemory() < COMPRESSED_REFERENCES_BELOW) {
      int cacheLine = Integer.getInteger("org.eclipse.jetty.util.cacheLineBytes", 64);
      System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, Integer.toString(cacheLine / 4));
    }
  }

  /** Runs the TLS setup of {@link #start()} on a thread of its own. */
  private static void startTlsSetup(Runnable setup) {
    Thread t = new Thread(setup, "clusterchecks-tls-setup");
    t.setDaemon(true);
    t.start();
  }

  /** What made the TLS setup fail, as {@link #sslContextFactory()} threw it. */
  private static RuntimeException tlsFailure(CompletableFuture<SslContextFactory.Server> tls) {
    try {
      tls.join();
      return new IllegalStateException("the TLS setup did not fail");
    } catch (CompletionException e) {
      return e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static KeyStore emptyTrustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make an empty trust store: " + e.getMessage(), e);
    }
  }

  /** Puts {@code certificate} in {@code ssl}'s key store, under a random password made here. */
  private static void useKeyStore(SslContextFactory ssl, ServerCertificate certificate) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getEncoder().encodeToString(random);
    try {
      ssl.setKeyStore(certificate.toKeyStore(password.toCharArray()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the API key store: " + e.getMessage(), e);
    }
    ssl.setKeyStorePassword(password);
    ssl.setKeyManagerPassword(password);
  }

  private static void reload(SslContextFactory.Server ssl, ServerCertificate certificate) {
    try {
      ssl.reload(f -> useKeyStore(f, certificate));
    } catch (Exception e) {
      throw new IllegalStateException("cannot reload the API certificate: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- options

  /**
   * How the API listens and whom it lets in.
   *
   * @param host the address to bind ({@code 0.0.0.0} for all)
   * @param port the port, {@code 0} for any free port (see {@link ApiServer#port()})
   * @param tls HTTPS (the default); false serves plain HTTP
   * @param certFile PEM certificate chain, or null for a self-signed certificate made at start
   * @param keyFile PEM private key of {@code certFile}; set exactly when certFile is
   * @param allowLegacyTls accept TLS 1.2 besides 1.3 ({@code cluster_agent.allow_legacy_tls})
   * @param authToken the shared token workers send ({@code cluster_agent.auth_token}), at least
   *     32 characters; never logged, and hidden from {@link #toString()}
   * @param clusterChecksEnabled false answers 404 on every cluster-check route
   * @param maxBodyBytes the largest request body accepted; larger gets 413
   */
  public record Options(
      String host,
      int port,
      boolean tls,
      Path certFile,
      Path keyFile,
      boolean allowLegacyTls,
      String authToken,
      boolean clusterChecksEnabled,
      int maxBodyBytes) {

    public static final int DEFAULT_PORT = 5005;
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** The shortest {@code authToken} accepted. */
    public static final int MIN_TOKEN_LENGTH = BearerTokenAuth.MIN_TOKEN_LENGTH;

    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(authToken, "authToken");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      if ((certFile == null) != (keyFile == null)) {
        throw new IllegalArgumentException("set both the certificate and the key file, or neither");
      }
      if (maxBodyBytes < 1 || maxBodyBytes > 64 * 1024 * 1024) {
        throw new IllegalArgumentException("maxBodyBytes out of range: " + maxBodyBytes);
      }
    }

    /** HTTPS with a self-signed certificate on 0.0.0.0:5005, cluster checks on, 64 KiB bodies. */
    public static Options defaults(String authToken) {
      return new Options("0.0.0.0", DEFAULT_PORT, true, null, null, false, authToken, true,
          DEFAULT_MAX_BODY_BYTES);
    }

    public Options withHost(String host) {
      return new Options(host, port, tls, certFile, keyFile, allowLegacyTls, authToken,
          clusterChecksEnabled, maxBodyBytes);
    }

    public Options withPort(int port) {
      return new Options(host, port, tls, certFile, keyFile, allowLegacyTls, authToken,
          clusterChecksEnabled, maxBodyBytes);
    }

    /** HTTPS with the given PEM certificate chain and private key. */
    public Options withCertificate(Path certFile, Path keyFile) {
      return new Options(host, port, true, certFile, keyFile, allowLegacyTls, authToken,
          clusterChecksEnabled, maxBodyBytes);
    }

    /** HTTPS with a self-signed certificate generated at start (the default). */
    public Options withSelfSignedCertificate() {
      return new Options(host, port, true, null, null, allowLegacyTls, authToken,
          clusterChecksEnabled, maxBodyBytes);
    }

    /** Plain HTTP: only for tests, or behind a proxy that terminates TLS. */
    public Options withPlainHttp() {
      return new Options(host, port, false, null, null, allowLegacyTls, authToken,
          clusterChecksEnabled, maxBodyBytes);
    }

    public Options withAllowLegacyTls(boolean allow) {
      return new Options(host, port, tls, certFile, keyFile, allow, authToken,
          clusterChecksEnabled, maxBodyBytes);
    }

    public Options withClusterChecksEnabled(boolean enabled) {
      return new Options(host, port, tls, certFile, keyFile, allowLegacyTls, authToken,
          enabled, maxBodyBytes);
    }

    public Options withMaxBodyBytes(int max) {
      return new Options(host, port, tls, certFile, keyFile, allowLegacyTls, authToken,
          clusterChecksEnabled, max);
    }

    @Override
    public String toString() {
      return "Options[host=" + host + ", port=" + port + ", tls=" + tls + ", certFile=" + certFile
          + ", keyFile=" + keyFile + ", allowLegacyTls=" + allowLegacyTls
          + ", authToken=<redacted>, clusterChecksEnabled=" + clusterChecksEnabled
          + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
  }
}
