package io.clusterchecks.server.dashboard;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import io.clusterchecks.core.balance.BalanceFigures;
import io.clusterchecks.core.balance.Move;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.IsolateResult;
import io.clusterchecks.core.dispatch.RebalanceResult;
import io.clusterchecks.server.api.DispatcherCommands;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side: the page and its files, the session exchange, the snapshot (JSON
 * and server-sent events) and the two actions. Data needs a session cookie or
 * {@code Authorization: Bearer <token>}; actions need full access, and when they come with the
 * cookie also the {@value #CSRF_HEADER} header, which a cross-site form cannot send. The page's
 * files hold no data and are served to anyone, so the page can ask for the token.
 */
final class DashboardRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);

  static final String PAGE_PATH = "/dashboard";
  static final String ASSET_PATH = "/dashboard/{file}";
  static final String SESSION_PATH = "/api/v1/dashboard/session";
  static final String SNAPSHOT_PATH = "/api/v1/dashboard/snapshot";
  static final String EVENTS_PATH = "/api/v1/dashboard/events";
  static final String REBALANCE_PATH = "/api/v1/dashboard/rebalance";
  static final String ISOLATE_PATH = "/api/v1/dashboard/isolate";
  /** The worker status route, observed for last heartbeats. */
  static final String WORKER_STATUS_PATH = "/api/v1/clusterchecks/status/{identifier}";
  static final String CSRF_HEADER = "X-Clusterchecks-Dashboard";
  static final int MAX_BODY_BYTES = 4096;

  /** Scripts and styles from this origin only; no framing; the page talks to its own origin. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Dispatcher dispatcher;
  private final io.clusterchecks.server.balance.OnDemandRebalance rebalance;
  private final DashboardTokens tokens;
  private final DashboardSessions sessions;
  private final EventStream stream;
  private final StaticAssets assets;
  private final HeartbeatTracker heartbeats;
  private final Supplier<byte[]> snapshot;
  private final String cookieName;
  private final boolean tls;

  DashboardRoutes(Dispatcher dispatcher, io.clusterchecks.server.balance.OnDemandRebalance rebalance,
      DashboardTokens tokens, DashboardSessions sessions, EventStream stream,
      StaticAssets assets, HeartbeatTracker heartbeats, Supplier<byte[]> snapshot, boolean tls) {
    this.dispatcher = dispatcher;
    this.rebalance = rebalance;
    this.tokens = tokens;
    this.sessions = sessions;
    this.stream = stream;
    this.assets = assets;
    this.heartbeats = heartbeats;
    this.snapshot = snapshot;
    this.tls = tls;
    // The __Host- prefix makes the browser refuse the cookie unless it is Secure, for this host and path /.
    this.cookieName = tls ? "__Host-clusterchecks-dashboard" : "clusterchecks-dashboard";
  }

  void register(RoutesConfig routes) {
    routes.get(PAGE_PATH, guarded(ctx -> asset(ctx, "")));
    routes.get(ASSET_PATH, guarded(ctx -> asset(ctx, ctx.pathParam("file"))));
    routes.get(SESSION_PATH, guarded(this::getSession));
    routes.post(SESSION_PATH, guarded(this::openSession));
    routes.delete(SESSION_PATH, guarded(this::closeSession));
    routes.get(SNAPSHOT_PATH, guarded(this::getSnapshot));
    routes.get(EVENTS_PATH, guarded(this::events));
    routes.post(REBALANCE_PATH, guarded(this::rebalance));
    routes.post(ISOLATE_PATH, guarded(this::isolate));
    // Jetty would answer HEAD on a GET route itself, without running the access check: the data
    // routes check access first, then refuse HEAD (the page never sends it).
    for (String path : List.of(SESSION_PATH, SNAPSHOT_PATH, EVENTS_PATH)) {
      routes.head(path, guarded(ctx -> {
        require(ctx);
        ctx.header("Allow", "GET");
        throw new Refusal(405, "method not allowed");
      }));
    }
    routes.after(WORKER_STATUS_PATH, heartbeats::afterStatus);
  }

  // ---------------------------------------------------------------- handlers

  private void asset(Context ctx, String name) {
    StaticAssets.Asset a = assets.get(name).orElseThrow(() -> new Refusal(404, "not found"));
    ctx.status(200).contentType(a.contentType()).result(a.body());
  }

  /** {@code POST} a JSON body {@code {"token": "..."}}: sets the session cookie. */
  private void openSession(Context ctx) {
    JsonNode body = jsonBody(ctx);
    JsonNode token = body.get("token");
    Optional<Access> access = tokens.check(token != null && token.isString() ? token.stringValue() : "");
    if (access.isEmpty()) {
      throw new Refusal(403, "invalid token");
    }
    DashboardSessions.Issued issued = sessions.open(access.get())
        .orElseThrow(() -> new Refusal(503, "too many dashboard sessions; try again later"));
    ctx.header("Set-Cookie", cookieName + "=" + issued.id() + "; Path=/; Max-Age=" + issued.lifetime().toSeconds()
        + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
    json(ctx, ConfigCodec.toJson(Map.of("access", access.get().name().toLowerCase(Locale.ROOT),
        "expires_in_seconds", issued.lifetime().toSeconds())));
  }

  /** The access of the current session or bearer token, so a reloaded page knows whether it may act. */
  private void getSession(Context ctx) {
    json(ctx, ConfigCodec.toJson(Map.of("access", require(ctx).name().toLowerCase(Locale.ROOT))));
  }

  private void closeSession(Context ctx) {
    sessions.close(ctx.cookie(cookieName));
    ctx.header("Set-Cookie", cookieName + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
    ctx.status(204);
  }

  private void getSnapshot(Context ctx) {
    require(ctx);
    json(ctx, snapshot.get());
  }

  /** Server-sent events: one {@code snapshot} event now and one per change. */
  private void events(Context ctx) throws IOException, InterruptedException {
    Optional<DashboardSessions.Session> session = sessions.find(ctx.cookie(cookieName));
    Optional<Access> bearer = tokens.checkBearer(ctx.header("Authorization"));
    if (session.isEmpty() && bearer.isEmpty()) {
      throw unauthenticated();
    }
    if (!stream.join()) {
      throw new Refusal(429, "too many dashboard streams");
    }
    try {
      var res = ctx.res();
      res.setStatus(200);
      res.setContentType("text/event-stream; charset=utf-8");
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("X-Accel-Buffering", "no");
      stream.serve(res.getOutputStream(), () -> session.isEmpty() || sessions.isLive(session.get()));
    } catch (IOException e) {
      LOG.debug("dashboard stream ended: {}", e.toString()); // the browser went away
    } finally {
      stream.leave();
    }
  }

  /** {@code POST {"dry_run": bool, "force": bool}}: the dispatcher's rebalance, as the API route runs it. */
  private void rebalance(Context ctx) {
    requireAction(ctx);
    JsonNode body = jsonBody(ctx);
    boolean dryRun = bool(body, "dry_run");
    boolean force = bool(body, "force");
    RebalanceResult r = answer(rebalance.rebalance(force, dryRun));
    if (r.refusal() != RebalanceResult.Refusal.NONE) {
      throw new Refusal(r.refusal() == RebalanceResult.Refusal.NOT_DISPATCHING ? 503 : 409,
          "cannot rebalance: " + r.reason());
    }
    if (r.applied()) {
      LOG.info("Dashboard: rebalance applied, {} moves", r.moves().size());
    }
    List<MoveView> moves = r.applied() || r.dryRun()
        ? r.moves().stream().map(MoveView::of).toList()
        : List.of();
    json(ctx, ConfigCodec.toJson(new RebalanceView(r.applied(), r.dryRun(), r.reason(), moves,
        FiguresView.of(r.before()), FiguresView.of(r.after()), r.movesNeeded())));
  }

  /** {@code POST {"check_id": "..."}} (a check ID or a config digest): the dispatcher's isolate. */
  private void isolate(Context ctx) {
    requireAction(ctx);
    JsonNode id = jsonBody(ctx).get("check_id");
    String checkId = id != null && id.isString() ? id.stringValue() : "";
    if (checkId.isEmpty() || checkId.length() > 1024 || checkId.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/')) {
      throw new Refusal(400, "invalid check ID: it must be 1 to 1024 printable characters without '/'");
    }
    IsolateResult r = answer(dispatcher.isolate(checkId));
    if (r.isolated()) {
      LOG.info("Dashboard: isolated {} on {}", r.checkId(), r.checkNode());
    }
    json(ctx, ConfigCodec.toJson(r));
  }

  // ---------------------------------------------------------------- answers for the actions

  record MoveView(String digest, String checkName, String from, String to, double load) {
    static MoveView of(Move m) {
      return new MoveView(m.digest(), m.checkName(), m.from(), m.to(), Math.round(m.load() * 1000) / 1000.0);
    }
  }

  record FiguresView(double mean, double max, double maxOverMean) {
    static FiguresView of(BalanceFigures f) {
      return new FiguresView(r3(f.meanUtilization()), r3(f.maxUtilization()), r3(f.maxOverMean()));
    }

    private static double r3(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }

  /** {@code movesNeeded} above the moves' count: the move budget stopped the rebalance short of the band. */
  record RebalanceView(boolean applied, boolean dryRun, String reason, List<MoveView> moves, FiguresView before,
      FiguresView after, int movesNeeded) {}

  // ---------------------------------------------------------------- access

  private Access require(Context ctx) {
    Optional<Access> bearer = tokens.checkBearer(ctx.header("Authorization"));
    if (bearer.isPresent()) {
      return bearer.get();
    }
    return sessions.find(ctx.cookie(cookieName)).map(DashboardSessions.Session::access)
        .orElseThrow(DashboardRoutes::unauthenticated);
  }

  private void requireAction(Context ctx) {
    boolean viaBearer = tokens.checkBearer(ctx.header("Authorization")).isPresent();
    Access access = require(ctx);
    if (!viaBearer && !"1".equals(ctx.header(CSRF_HEADER))) {
      throw new Refusal(403, "missing the " + CSRF_HEADER + " header");
    }
    if (!access.mayAct()) {
      throw new Refusal(403, "this token is read-only: actions need the cluster token");
    }
  }

  private static Refusal unauthenticated() {
    return new Refusal(401, "sign in with the cluster token");
  }

  // ---------------------------------------------------------------- plumbing

  /** A refusal to answer as text. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** Security headers on every answer, refusals as plain text, and no stack trace to a browser. */
  private static Handler guarded(Handler handler) {
    return ctx -> {
      ctx.header("Content-Security-Policy", CSP);
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("Referrer-Policy", "no-referrer");
      ctx.header("X-Frame-Options", "DENY");
      ctx.header("Cache-Control", "no-store");
      try {
        handler.handle(ctx);
      } catch (Refusal r) {
        text(ctx, r.status, r.getMessage());
      } catch (Exception e) {
        LOG.warn("dashboard request {} {} failed", ctx.method(), ctx.path(), e);
        text(ctx, 500, "internal error: " + e.getClass().getSimpleName());
      }
    };
  }

  private static JsonNode jsonBody(Context ctx) {
    byte[] body;
    if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
      throw new Refusal(413, "request body too large: the limit is " + MAX_BODY_BYTES + " bytes");
    }
    try (InputStream in = ctx.req().getInputStream()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      throw new Refusal(400, "cannot read the request body");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new Refusal(413, "request body too large: the limit is " + MAX_BODY_BYTES + " bytes");
    }
    if (body.length == 0) {
      return ConfigCodec.JSON.createObjectNode();
    }
    try {
      JsonNode tree = ConfigCodec.JSON.readTree(body);
      if (tree == null || !tree.isObject()) {
        throw new Refusal(400, "the body must be a JSON object");
      }
      return tree;
    } catch (JacksonException e) {
      throw new Refusal(400, "the body is not JSON");
    }
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new Refusal(400, field + " must be true or false");
    }
    return v.booleanValue();
  }

  private static void json(Context ctx, byte[] body) {
    ctx.status(200).contentType("application/json").result(body);
  }

  private static void text(Context ctx, int status, String message) {
    ctx.status(status).contentType("text/plain; charset=utf-8")
        .result((message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A dispatcher command's answer, or a 503 when the dispatch thread does not answer in time. */
  private static <T> T answer(CompletableFuture<T> command) {
    try {
      return DispatcherCommands.await(command);
    } catch (DispatcherCommands.Unanswered e) {
      throw new Refusal(503, e.getMessage());
    }
  }

}
