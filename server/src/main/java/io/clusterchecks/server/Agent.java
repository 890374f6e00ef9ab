package io.clusterchecks.server;

import io.clusterchecks.core.config.TemplateVariables;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.server.api.ApiServer;
import io.clusterchecks.server.api.WorkerPathWarmup;
import io.clusterchecks.server.api.AuthTokens;
import io.clusterchecks.server.api.TokenFileWatcher;
import io.clusterchecks.server.balance.BalancingLoop;
import io.clusterchecks.server.balance.OnDemandRebalance;
import io.clusterchecks.server.settings.SettingsLoader;
import io.clusterchecks.server.stats.RunnerStatsCollector;
import io.clusterchecks.server.api.MetricsServer;
import io.clusterchecks.server.confd.ConfdSource;
import io.clusterchecks.server.confd.ParallelScheduling;
import io.clusterchecks.server.dashboard.Dashboard;
import io.clusterchecks.server.dashboard.DashboardSources;
import io.clusterchecks.server.ha.KubernetesLeaderElection;
import io.clusterchecks.server.ha.LeaderAddress;
import io.clusterchecks.server.ha.LeaderElection;
import io.clusterchecks.server.ha.LeaderElectionFactory;
import io.clusterchecks.server.ha.LeaderForwarder;
import io.clusterchecks.server.ha.LeadershipHandler;
import io.clusterchecks.server.ha.PlacementPuller;
import io.clusterchecks.server.kube.KubeAutodiscovery;
import io.clusterchecks.server.metrics.ConfigsInfoCollector;
import io.clusterchecks.server.metrics.ProcessMetrics;
import io.clusterchecks.server.metrics.PrometheusExposition;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.Keys;
import io.clusterchecks.server.settings.DerivedSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: the dispatcher, the conf.d source feeding it, the worker API, the metrics
 * endpoint and the leader election, wired from {@link AgentSettings}. Without leader election
 * this replica leads at once; with it, a {@link LeadershipHandler} gates the API (serve, forward
 * to the leader, or 503) and a {@link PlacementPuller} keeps the leader's placement warm.
 * {@link #close()} stops them in the reverse order, stepping down before leaving the election.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final int MIN_TOKEN_LENGTH = ApiServer.Options.MIN_TOKEN_LENGTH;

  private final AgentSettings settings;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TaskScheduler scheduler = TaskScheduler.singleThread("clusterchecks-dispatch");
  private final Dispatcher dispatcher;
  private final LeaderElectionFactory elections;
  /** The accepted tokens: the configured one, or the file's, rotated when the file changes. */
  private final AuthTokens authTokens;
  private TokenFileWatcher tokenWatcher;
  private LeadershipHandler leadership;
  private LeaderForwarder forwarder;
  private LeaderElection election;
  private PlacementPuller puller;
  private ApiServer api;
  private MetricsServer metrics;
  private MetricsServer health;
  private ProcessMetrics processMetrics;
  private volatile ConfdSource confd;
  private volatile RunnerStatsCollector statsCollector;
  private Dashboard dashboard;
  private volatile BalancingLoop balancing;
  private volatile KubeAutodiscovery kube;
  private KubernetesClient kubeClient;

  private Agent(AgentSettings settings, LeaderElectionFactory elections, String token) {
    this.settings = settings;
    this.elections = elections;
    this.authTokens = new AuthTokens(token, AuthTokens.DEFAULT_OVERLAP, InstantSource.system());
    DispatcherSettings ds = DerivedSettings.dispatcherSettings(settings);
    this.dispatcher = new Dispatcher(ds, InstantSource.system(), scheduler, registry);
  }

  /**
   * Starts everything. Fails (and stops what it started) when a part cannot start, for example
   * when the port is taken or the certificate files cannot be read.
   */
  public static Agent start(AgentSettings settings) {
    return start(settings, null, LeaderElectionFactory.fromSettings());
  }

  /**
   * Starts everything, the Kubernetes sources (when {@code extra_config_providers} or
   * {@code extra_listeners} name them) on the given client.
   *
   * @param kubeClient the Kubernetes client, or null to build one from the settings when needed
   */
  public static Agent start(AgentSettings settings, KubernetesClient kubeClient) {
    return start(settings, kubeClient, LeaderElectionFactory.fromSettings());
  }

  /** As {@link #start(AgentSettings)}, with the election backend built by {@code elections}. */
  public static Agent start(AgentSettings settings, LeaderElectionFactory elections) {
    return start(settings, null, elections);
  }

  /** As {@link #start(AgentSettings, KubernetesClient)}, with this election backend. */
  public static Agent start(AgentSettings settings, KubernetesClient kubeClient, LeaderElectionFactory elections) {
    Agent agent = new Agent(settings, elections, usableToken(settings));
    agent.kubeClient = kubeClient;
    try {
      agent.startParts();
      return agent;
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  /**
   * The token at start, set and long enough for the API: from {@code cluster_agent.auth_token_file}
   * when set, else {@code cluster_agent.auth_token}. Checked first, to say so in the settings' terms.
   */
  private static String usableToken(AgentSettings settings) {
    String file = settings.clusterAgent().authTokenFile();
    if (!file.isEmpty()) {
      String token;
      try {
        token = TokenFileWatcher.read(Path.of(file));
      } catch (IOException | RuntimeException e) {
        throw new StartupException(TokenFileWatcher.KEY + ": cannot read " + file + " ("
            + TokenFileWatcher.why(e) + "); it must hold the token shared with the workers", e);
      }
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw new StartupException(TokenFileWatcher.KEY + ": " + file + " holds " + token.length()
            + " characters, fewer than " + MIN_TOKEN_LENGTH + ": write at least " + MIN_TOKEN_LENGTH
            + " random characters shared with the workers (for example: openssl rand -hex 32)");
      }
      if (!TokenFileWatcher.sendable(token)) {
        throw new StartupException(TokenFileWatcher.KEY + ": " + file + " holds characters other than visible"
            + " ASCII (spaces, control characters), which an Authorization header cannot carry");
      }
      if (!settings.clusterAgent().authToken().isEmpty()) {
        LOG.warn("{} is set: cluster_agent.auth_token is ignored", TokenFileWatcher.KEY);
      }
      return token;
    }
    String token = settings.clusterAgent().authToken();
    String how = "set cluster_agent.auth_token in the settings file or DD_CLUSTER_AGENT_AUTH_TOKEN to at least "
        + MIN_TOKEN_LENGTH + " random characters shared with the workers (for example: openssl rand -hex 32)";
    if (token.isEmpty()) {
      throw new StartupException("cluster_agent.auth_token is not set: " + how);
    }
    if (token.length() < MIN_TOKEN_LENGTH) {
      String origin = settings.origins().getOrDefault("cluster_agent.auth_token", "default");
      throw new StartupException("cluster_agent.auth_token (from " + origin + ") has " + token.length()
          + " characters, fewer than " + MIN_TOKEN_LENGTH + ": " + how);
    }
    return token;
  }

  /**
   * Starts one listener; a port already taken becomes a {@link StartupException} naming the key
   * that chose it.
   */
  private <T> T listen(String key, String host, int port, Supplier<T> start) {
    try {
      return start.get();
    } catch (IllegalStateException e) {
      if (!isBindFailure(e)) {
        throw e;
      }
      throw new StartupException(key + ": port " + port + " on " + host + " is already in use; stop what listens"
          + " there, or set " + key + " (" + SettingsLoader.envNameOf(key)
          + ") to a free port", e);
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private void startParts() {
    for (String w : settings.warnings()) {
      LOG.warn("configuration: {}", w);
    }
    LOG.info("Starting clusterchecks with {}", settings.render());
    AgentSettings.ClusterAgent ca = settings.clusterAgent();
    ApiServer.Options options = new ApiServer.Options(ca.cmdHost(), ca.cmdPort(), ca.tlsEnabled(),
        ca.tlsCertFile().isEmpty() ? null : Path.of(ca.tlsCertFile()),
        ca.tlsKeyFile().isEmpty() ? null : Path.of(ca.tlsKeyFile()),
        ca.allowLegacyTls(), authTokens.current(), settings.clusterChecks().enabled(),
        ApiServer.Options.DEFAULT_MAX_BODY_BYTES);
    boolean ha = settings.leaderElection().enabled();
    if (ha) {
      forwarder = new LeaderForwarder(ca.maxLeaderConnections());
    }
    leadership = new LeadershipHandler(dispatcher, null, forwarder, ca.tlsEnabled(), registry);
    // The dashboard: its page and live data on the API listener.
    // One path for a rebalance a person asks for (API, CLI, dashboard): fresh runner stats first.
    OnDemandRebalance onDemand = OnDemandRebalance.of(dispatcher, () -> balancing);
    dashboard = new Dashboard(DashboardSources.of(dispatcher, onDemand, leadership, registry, this::configErrors,
        node -> statsCollector == null ? Optional.empty() : statsCollector.lastGood(node),
        settings.clusterChecks()), authTokens.current(), null, ca.tlsEnabled());
    StartMarks.mark("registry, dispatcher, dashboard");
    ApiServer server = new ApiServer(dispatcher, leadership, options, registry).authTokens(authTokens)
        .onDemandRebalance(onDemand)
        .configErrors(this::configErrors)
        .leaderIp(() -> leadership.followedLeader().map(LeaderAddress::host).orElse(""))
        .extraRoutes(dashboard::register)
        .statusAnswered(StartMarks.on() ? markFirstStatus(dashboard::workerReported) : dashboard::workerReported);
    // The worker routes first: a worker's status is answered as soon as this replica leads or
    // follows; the rest of the API and the dashboard follow once the election has started.
    api = listen("cluster_agent.cmd_port", ca.cmdHost(), ca.cmdPort(), server::startWorkerRoutes);
    if (!ca.authTokenFile().isEmpty()) {
      tokenWatcher = new TokenFileWatcher(Path.of(ca.authTokenFile()), authTokens, TokenFileWatcher.DEFAULT_INTERVAL)
          .start();
    }
    LOG.info("Worker API listening on {}://{}:{}", ca.tlsEnabled() ? "https" : "http", ca.cmdHost(), api.port());
    StartMarks.mark("worker routes listening");
    // A follower warms the code it will run when it leads; a leader's own workers warm it (a
    // warm-up there would only take CPU from them), so it stops once this replica leads.
    if (ha && settings.clusterChecks().enabled() && settings.get(Keys.CLUSTER_CHECKS_WARM_UP_WORKER_ROUTES)) {
      WorkerPathWarmup.startInBackground(() -> leadership.role() != LeadershipHandler.Role.LEADER);
    }
    if (settings.clusterChecks().enabled()) {
      String identity = ha ? KubernetesLeaderElection.defaultIdentity(settings::env) : "local";
      LeaderAddress self = new LeaderAddress(identity,
          ha ? LeaderElectionFactory.advertisedHost(settings) : "127.0.0.1", api.port());
      leadership.bind(self);
      election = elections.create(settings, self);
      LOG.info("Leader election: {}", election);
      election.start(leadership);
      if (ha) {
        puller = new PlacementPuller(leadership, forwarder, authTokens::current, ca.tlsEnabled(),
            PlacementPuller.DEFAULT_INTERVAL, settings.get(Keys.LEADER_ELECTION_PLACEMENT_DELTAS), registry).start();
      }
    }
    StartMarks.mark("election started");
    api.startOtherRoutes();
    StartMarks.mark("other routes");
    // After the worker API answers (it does once this replica leads or follows): JVM and process
    // series load the management classes, the dashboard's first snapshot encodes JSON, and nobody
    // scrapes before the metrics listener below is up (docs/benchmarks.md, "Start").
    processMetrics = ProcessMetrics.bindTo(registry);
    registry.getPrometheusRegistry().register(new ConfigsInfoCollector(dispatcher));
    dashboard.start();
    // Ready while leading or following: a follower answers workers by forwarding.
    BooleanSupplier ready = () -> leadership.role() != LeadershipHandler.Role.UNKNOWN;
    metrics = listen("metrics_port", ca.cmdHost(), settings.metricsPort(), new MetricsServer(
        new PrometheusExposition(registry, dispatcher::isLeading), ca.cmdHost(), settings.metricsPort(), ready)::start);
    health = listen("health_port", ca.cmdHost(), settings.healthPort(),
        MetricsServer.health(ca.cmdHost(), settings.healthPort(), ready)::start);
    if (settings.clusterChecks().enabled()) {
      confd = new ConfdSource(settings.confdPath(), new ParallelScheduling(dispatcher), settings.confdPollInterval(),
          fileTemplateVariables(settings));
      int loaded = confd.start();
      LOG.info("conf.d: {} cluster check configs loaded from {}", loaded, settings.confdPath());
      KubeAutodiscovery.Enabled kubeEnabled = KubeAutodiscovery.enabled(settings);
      if (kubeEnabled.any()) {
        kube = KubeAutodiscovery.start(settings, kubeEnabled, kubeClient, dispatcher);
      }
      startBalancing();
    } else {
      LOG.warn("cluster_checks.enabled is false: the worker API answers 404 and nothing is dispatched");
    }
  }

  /** {@code listener}, after a start mark at the first status answered 200. */
  private static Consumer<String> markFirstStatus(Consumer<String> listener) {
    AtomicBoolean first = new AtomicBoolean(true);
    return node -> {
      if (first.compareAndSet(true, false)) {
        StartMarks.mark("first status answered");
      }
      listener.accept(node);
    };
  }

  /**
   * {@code %%env_X%%} in conf.d files: any variable of this process, as the reference reads files
   * (they are the operator's own), or only those of {@code ad_allowed_env_vars} when it lists some.
   */
  private static TemplateVariables.Variables fileTemplateVariables(AgentSettings settings) {
    Set<String> allowList = Set.copyOf(settings.kubernetes().allowedEnvVars());
    return TemplateVariables.envOnly(name -> allowList.isEmpty() || allowList.contains(name) ? settings.env(name) : null);
  }

  /**
   * Runner stats and periodic rebalancing, when advanced dispatching is on; the stats period
   * follows from the rebalance period ({@link DerivedSettings#runnerStatsPeriod}).
   */
  private void startBalancing() {
    AgentSettings.ClusterChecks cc = settings.clusterChecks();
    if (!cc.advancedDispatchingEnabled()) {
      LOG.info("Advanced dispatching is disabled: configs are placed by count and never rebalanced");
      return;
    }
    Duration statsPeriod = DerivedSettings.runnerStatsPeriod(cc);
    statsCollector = RunnerStatsCollector.builder(authTokens.current())
        .rotatingToken(authTokens::current)
        .port(cc.clcRunnersPort())
        .keepLastGoodFor(DerivedSettings.runnerStatsKeptFor(cc))
        .meterRegistry(registry)
        .build();
    balancing = new BalancingLoop(dispatcher, statsCollector::collect, statsPeriod, cc.rebalancePeriod()).start();
  }

  /** Collects runner stats now and hands them to the dispatcher (tests, and the first round). */
  public CompletableFuture<Void> collectRunnerStats() {
    return balancing == null ? CompletableFuture.completedFuture(null) : balancing.collectFresh();
  }

  /**
   * Problems of the config sources, for the state answer: conf.d files by {@code file:<path>},
   * Kubernetes objects by entity.
   */
  public Map<String, List<String>> configErrors() {
    Map<String, List<String>> errors = new TreeMap<>();
    ConfdSource c = confd;
    if (c != null) {
      c.problems().forEach((path, problem) -> errors.put("file:" + path, List.of(problem)));
    }
    KubeAutodiscovery k = kube;
    if (k != null) {
      errors.putAll(k.problems());
    }
    return errors;
  }

  /** The Kubernetes sources, when enabled. */
  public Optional<KubeAutodiscovery> kubernetes() {
    return Optional.ofNullable(kube);
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** This replica's role and gate. */
  public LeadershipHandler leadership() {
    return leadership;
  }

  /** The port the worker API listens on (the actual one when configured as 0). */
  public int apiPort() {
    return api.port();
  }

  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** The port {@code /live} and {@code /ready} answer on for probes (the actual one when configured as 0). */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  public AgentSettings settings() {
    return settings;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (balancing != null) {
      balancing.close();
    }
    if (statsCollector != null) {
      statsCollector.close();
    }
    if (confd != null) {
      confd.close();
    }
    if (kube != null) {
      kube.close();
    }
    if (election != null) {
      election.close(); // steps down first, then leaves (releases the lease, deletes the latch node)
    }
    if (puller != null) {
      puller.close();
    }
    if (tokenWatcher != null) {
      tokenWatcher.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (api != null) {
      api.close();
    }
    if (forwarder != null) {
      forwarder.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (health != null) {
      health.close();
    }
    if (processMetrics != null) {
      processMetrics.close();
    }
    dispatcher.stop();
    scheduler.execute(() -> { }); // let the stop task run before the thread goes
    scheduler.close();
    LOG.info("clusterchecks stopped");
  }
}
