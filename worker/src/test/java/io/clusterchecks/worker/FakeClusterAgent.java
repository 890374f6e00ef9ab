package io.clusterchecks.worker;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.wire.ConfigResponse;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.StateResponse;
import io.clusterchecks.core.wire.StatusResponse;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A cluster agent imitation on a real socket: the worker-facing routes of docs/reference/protocol.md section 2 with
 * the token check of docs/reference/protocol.md section 1, per-node versions like docs/reference/dispatcher.md section 5, a request log, and switchable failures.
 */
public final class FakeClusterAgent implements AutoCloseable {
  public static final String TOKEN = "0123456789abcdef0123456789abcdef";

  /** One request as the agent received it. */
  public record Received(String method, String rawPath, String authorization, String realIp, String contentType,
      String body) {
    public NodeStatus status() {
      try {
        return ConfigCodec.fromJson(body, NodeStatus.class);
      } catch (java.io.IOException e) {
        throw new AssertionError("status body is not JSON: " + body, e);
      }
    }
  }

  /** A canned answer that replaces the normal one. */
  public record Reply(int status, String body) {}

  private record Node(long lastChange, List<Config> configs) {}

  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Reply> statusOverride = new AtomicReference<>();
  private final AtomicReference<Reply> configsOverride = new AtomicReference<>();
  private final AtomicReference<CountDownLatch> configsHang = new AtomicReference<>();
  private final AtomicReference<ServerConnector> tlsConnector = new AtomicReference<>();
  private final Javalin app;
  private final boolean tls;

  private FakeClusterAgent(Path keystore, String keystorePassword) {
    this.tls = keystore != null;
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      if (keystore != null) {
        cfg.jetty.addConnector((server, httpConfig) -> {
          SslContextFactory.Server ssl = new SslContextFactory.Server();
          ssl.setKeyStorePath(keystore.toString());
          ssl.setKeyStorePassword(keystorePassword);
          ssl.setKeyStoreType("PKCS12");
          HttpConfiguration https = new HttpConfiguration(httpConfig);
          https.addCustomizer(new SecureRequestCustomizer(false));
          ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
              new HttpConnectionFactory(https));
          c.setHost("127.0.0.1");
          c.setPort(0);
          tlsConnector.set(c);
          return c;
        });
      }
      cfg.routes.post("/api/v1/clusterchecks/status/{id}", authed(this::status));
      cfg.routes.get("/api/v1/clusterchecks/configs/{id}", authed(this::configs));
      cfg.routes.get("/api/v1/endpointschecks/configs/{node}", authed(ctx -> json(ctx,
          new ConfigResponse(0, List.of(Config.builder("endpoint-" + ctx.pathParam("node")).build())))));
      cfg.routes.get("/api/v1/endpointschecks/configs", authed(ctx -> json(ctx,
          new ConfigResponse(0, List.of(Config.builder("ep-a").build(), Config.builder("ep-b").build())))));
      cfg.routes.get("/api/v1/clusterchecks", authed(this::state));
      cfg.routes.get("/version", authed(ctx -> ctx.result("{\"Major\":1,\"Minor\":26,\"Patch\":0}")));
    });
  }

  public static FakeClusterAgent startPlain() {
    FakeClusterAgent f = new FakeClusterAgent(null, null);
    f.app.start("127.0.0.1", 0);
    return f;
  }

  public static FakeClusterAgent startTls(Path pkcs12, String password) {
    FakeClusterAgent f = new FakeClusterAgent(pkcs12, password);
    f.app.start("127.0.0.1", 0);
    return f;
  }

  /** {@code http://127.0.0.1:port}, or {@code https://127.0.0.1:port} for a TLS agent. */
  public String url() {
    return tls
        ? "https://127.0.0.1:" + tlsConnector.get().getLocalPort()
        : "http://127.0.0.1:" + app.port();
  }

  /** Assigns configs to a node under a new version, as a dispatch would. */
  public void assign(String node, long lastChange, List<Config> configs) {
    nodes.put(node, new Node(lastChange, List.copyOf(configs)));
  }

  public long nodeVersion(String node) {
    Node n = nodes.get(node);
    return n == null ? Long.MIN_VALUE : n.lastChange();
  }

  /** Every status POST answers this instead (null restores normal answers). */
  void overrideStatus(Reply reply) {
    statusOverride.set(reply);
  }

  /** Every config GET answers this instead (null restores normal answers). */
  void overrideConfigs(Reply reply) {
    configsOverride.set(reply);
  }

  /** Config GETs block until {@link #releaseHangs()} (or 30 s). */
  void hangConfigs() {
    configsHang.set(new CountDownLatch(1));
  }

  void releaseHangs() {
    CountDownLatch l = configsHang.getAndSet(null);
    if (l != null) {
      l.countDown();
    }
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> statusPosts(String node) {
    return received.stream()
        .filter(r -> r.method().equals("POST") && r.rawPath().equals("/api/v1/clusterchecks/status/" + node))
        .toList();
  }

  public List<Received> configGets(String node) {
    return received.stream()
        .filter(r -> r.method().equals("GET") && r.rawPath().equals("/api/v1/clusterchecks/configs/" + node))
        .toList();
  }

  /** The {@code last_change} of every status POST of the node, in order. */
  List<Long> sentVersions(String node) {
    List<Long> out = new ArrayList<>();
    for (Received r : statusPosts(node)) {
      out.add(r.status().lastChange());
    }
    return out;
  }

  private Handler authed(Handler next) {
    return ctx -> {
      received.add(new Received(ctx.method().name(), ctx.req().getRequestURI(), ctx.header("Authorization"),
          ctx.header("X-Real-Ip"), ctx.header("Content-Type"), ctx.body()));
      String auth = ctx.header("Authorization");
      if (auth == null || auth.isEmpty()) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"Datadog Agent\"");
        ctx.status(401).result("no session token provided");
        return;
      }
      String[] parts = auth.split(" ");
      if (!parts[0].equals("Bearer")) {
        ctx.status(401).result("unsupported authorization scheme: " + parts[0]);
        return;
      }
      if (parts.length != 2 || !parts[1].equals(TOKEN)) {
        ctx.status(403).result("invalid session token");
        return;
      }
      next.handle(ctx);
    };
  }

  private void status(Context ctx) throws Exception {
    Reply override = statusOverride.get();
    if (override != null) {
      ctx.status(override.status()).result(override.body());
      return;
    }
    NodeStatus st;
    try {
      st = ConfigCodec.fromJson(ctx.body(), NodeStatus.class);
    } catch (java.io.IOException e) {
      ctx.status(500).result(e.getMessage());
      return;
    }
    String id = ctx.pathParam("id");
    Node node = nodes.computeIfAbsent(id, k -> new Node(0, List.of()));
    boolean upToDate = st.lastChange() == NodeStatus.HEARTBEAT_ONLY || st.lastChange() == node.lastChange();
    json(ctx, new StatusResponse(upToDate));
  }

  private void configs(Context ctx) throws Exception {
    CountDownLatch hang = configsHang.get();
    if (hang != null) {
      hang.await(30, TimeUnit.SECONDS);
    }
    Reply override = configsOverride.get();
    if (override != null) {
      ctx.status(override.status()).result(override.body());
      return;
    }
    String id = ctx.pathParam("id");
    Node node = nodes.get(id);
    if (node == null) {
      ctx.status(500).result("node " + id + " is unknown");
      return;
    }
    json(ctx, new ConfigResponse(node.lastChange(), node.configs()));
  }

  private void state(Context ctx) {
    List<StateResponse.Node> list = nodes.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new StateResponse.Node(e.getKey(), e.getValue().configs()))
        .toList();
    json(ctx, new StateResponse("", false, list, List.of()));
  }

  private static void json(Context ctx, Object value) {
    ctx.result(ConfigCodec.toJsonString(value));
  }

  @Override
  public void close() {
    releaseHangs();
    app.stop();
  }
}
