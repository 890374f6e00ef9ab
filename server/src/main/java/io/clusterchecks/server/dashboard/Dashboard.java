package io.clusterchecks.server.dashboard;

import io.clusterchecks.core.config.ConfigCodec;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's live view, served on the API listener at {@code /dashboard}: leadership, runners
 * and their utilization, every config, what is unassigned, config source problems, a timeline and
 * an hour of utilization, with rebalance and isolate. One sampler thread observes the agent every
 * second through {@link DashboardSources}, builds one snapshot and pushes it to every open page
 * (when it changed, and at least every few seconds so the page's clock stays right).
 *
 * <p>Register the routes on the API ({@link #register}) before it starts, then {@link #start()}.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration HISTORY_STEP = Duration.ofSeconds(10);
  private static final Duration MAX_SILENCE = Duration.ofSeconds(5);
  private static final Duration SESSION_LIFETIME = Duration.ofHours(1);
  private static final int MAX_SESSIONS = 256;
  private static final int MAX_STREAMS = 16;

  private final InstantSource clock;
  private final SnapshotBuilder builder;
  private final EventStream stream = new EventStream(MAX_STREAMS, Duration.ofSeconds(15));
  private final HeartbeatTracker heartbeats;
  private final DashboardRoutes routes;
  private final Object tickLock = new Object();
  private ScheduledExecutorService sampler;
  private DashboardSnapshot lastPublished;
  private long lastPublishedAt;
  /** Documents encoded so far (tests: nothing is encoded for nobody). */
  private long encodings;
  /** When the history was last sampled; null before the first sample (no subtraction can overflow). */
  private Long lastHistoryAt;

  /**
   * @param clusterToken the cluster token: full access
   * @param readOnlyToken a token that only views, or null
   * @param tls the listener serves HTTPS (the session cookie is then Secure)
   */
  public Dashboard(DashboardSources sources, String clusterToken, String readOnlyToken, boolean tls) {
    this(sources, clusterToken, readOnlyToken, tls, InstantSource.system());
  }

  Dashboard(DashboardSources sources, String clusterToken, String readOnlyToken, boolean tls, InstantSource clock) {
    Objects.requireNonNull(sources, "sources");
    this.clock = clock;
    heartbeats = new HeartbeatTracker(clock, 100_000);
    this.builder = new SnapshotBuilder(sources, heartbeats, new EventRing(1_000),
        new UtilizationHistory((int) (Duration.ofHours(1).toSeconds() / HISTORY_STEP.toSeconds())), clock);
    this.routes = new DashboardRoutes(sources.dispatcher(), sources.rebalance(), new DashboardTokens(clusterToken, readOnlyToken),
        new DashboardSessions(clock, SESSION_LIFETIME, MAX_SESSIONS), stream, new StaticAssets(), heartbeats,
        this::currentJson, tls);
  }

  /** Adds the dashboard's routes to the API listener. */
  /**
   * A worker's status was answered 200 on the worker API's Jetty path, where the after-handler of
   * {@link #register} does not run (docs/api.md, "How the worker routes are served").
   */
  public void workerReported(String node) {
    heartbeats.answered(node);
  }

  public void register(RoutesConfig routesConfig) {
    routes.register(routesConfig);
  }

  /** Starts observing the agent every second. */
  public synchronized Dashboard start() {
    if (sampler == null) {
      sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clusterchecks-dashboard");
        t.setDaemon(true);
        return t;
      });
      sampler.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Observes the agent now and publishes if the view changed; returns the snapshot's JSON. */
  byte[] tick() {
    synchronized (tickLock) {
      long now = clock.millis();
      DashboardSnapshot s = builder.build(now, historyDue(now));
      DashboardSnapshot comparable = withTime(s, 0);
      if (lastPublished == null || !comparable.equals(lastPublished)
          || now - lastPublishedAt >= MAX_SILENCE.toMillis()) {
        lastPublished = comparable;
        lastPublishedAt = now;
        byte[] json = ConfigCodec.toJson(s);
        encodings++;
        stream.publish(json);
        return json;
      }
      return stream.latest();
    }
  }

  /**
   * A tick of the sampler. While no page is open it only observes (timeline, history): building
   * and encoding a document of thousands of rows every second for nobody is most of an idle
   * agent's CPU at a million configs. A page that opens gets a fresh document at the next tick
   * (its stream first sends the last one encoded); a request for the snapshot gets one built then.
   */
  void sample() {
    if (stream.subscribers() > 0) {
      tick();
      return;
    }
    synchronized (tickLock) {
      long now = clock.millis();
      builder.observe(now, historyDue(now));
      lastPublished = null; // the next tick with a page open publishes, whatever it shows
    }
  }

  long encodings() {
    synchronized (tickLock) {
      return encodings;
    }
  }

  private boolean historyDue(long now) {
    boolean due = lastHistoryAt == null || now - lastHistoryAt >= HISTORY_STEP.toMillis();
    if (due) {
      lastHistoryAt = now;
    }
    return due;
  }

  /** The document for a request: the streamed one while pages keep it fresh, else built now. */
  private byte[] currentJson() {
    byte[] latest = stream.latest();
    return latest != null && stream.subscribers() > 0 ? latest : tick();
  }

  private void tickSafely() {
    try {
      sample();
    } catch (RuntimeException e) {
      // The next tick tries again; a dispatcher busy for 10 s must not end the dashboard.
      LOG.warn("dashboard: cannot observe the agent: {}", e.toString());
    }
  }

  private static DashboardSnapshot withTime(DashboardSnapshot s, long t) {
    return new DashboardSnapshot(t, s.leadership(), s.fleet(), s.runners(), s.checks(), s.checksTotal(),
        s.unassigned(), s.unassignedTotal(), s.problems(), s.events(), s.history());
  }

  @Override
  public synchronized void close() {
    stream.close();
    if (sampler != null) {
      sampler.shutdownNow();
      sampler = null;
    }
  }
}
