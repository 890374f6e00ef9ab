package io.clusterchecks.server;

import io.clusterchecks.core.config.ExtraTags;
import io.clusterchecks.core.dispatch.Dispatcher;
import io.clusterchecks.core.dispatch.DispatcherSettings;
import io.clusterchecks.core.time.TaskScheduler;
import io.clusterchecks.server.api.ApiServer;
import io.clusterchecks.server.api.MetricsServer;
import io.clusterchecks.server.confd.ConfdSource;
import io.clusterchecks.server.kube.KubeAutodiscovery;
import io.clusterchecks.server.settings.AgentSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: the dispatcher, the conf.d source feeding it, the worker API and the metrics
 * endpoint, wired from {@link AgentSettings}. Without leader election this replica leads at once.
 * {@link #close()} stops them in the reverse order.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentSettings settings;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TaskScheduler scheduler = TaskScheduler.singleThread("clusterchecks-dispatch");
  private final Dispatcher dispatcher;
  private ApiServer api;
  private MetricsServer metrics;
  private ConfdSource confd;
  private KubeAutodiscovery kube;
  private KubernetesClient kubeClient;

  private Agent(AgentSettings settings) {
    this.settings = settings;
    AgentSettings.ClusterChecks cc = settings.clusterChecks();
    List<String> extraTags = ExtraTags.compute(cc.extraTags(), settings.clusterName(), cc.clusterTagName(),
        settings.disableClusterNameTagKey());
    DispatcherSettings.Balancing balancing = new DispatcherSettings.Balancing(
        cc.advancedDispatchingEnabled(), new HashSet<>(cc.excludeChecksFromDispatching()),
        DispatcherSettings.Balancing.defaults().target(), DispatcherSettings.Balancing.defaults().trigger(),
        cc.rebalanceMinPercentageImprovement(), DispatcherSettings.Balancing.defaults().moveBudget());
    DispatcherSettings ds = new DispatcherSettings(cc.nodeExpirationTimeout(), cc.warmupDuration(),
        cc.unscheduledCheckThreshold(), new HashSet<>(cc.excludeChecks()), extraTags, balancing);
    this.dispatcher = new Dispatcher(ds, InstantSource.system(), scheduler, registry);
  }

  /**
   * Starts everything. Fails (and stops what it started) when a part cannot start, for example
   * when the port is taken or the certificate files cannot be read.
   */
  public static Agent start(AgentSettings settings) {
    return start(settings, null);
  }

  /**
   * Starts everything, the Kubernetes sources (when {@code extra_config_providers} or
   * {@code extra_listeners} name them) on the given client.
   *
   * @param kubeClient the Kubernetes client, or null to build one from the settings when needed
   */
  public static Agent start(AgentSettings settings, KubernetesClient kubeClient) {
    if (!settings.clusterAgent().hasAuthToken()) {
      throw new IllegalArgumentException(
          "cluster_agent.auth_token is not set (DD_CLUSTER_AGENT_AUTH_TOKEN): workers must present a shared token");
    }
    Agent agent = new Agent(settings);
    agent.kubeClient = kubeClient;
    try {
      agent.startParts();
      return agent;
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  private void startParts() {
    new JvmMemoryMetrics().bindTo(registry);
    for (String w : settings.warnings()) {
      LOG.warn("configuration: {}", w);
    }
    LOG.info("Starting clusterchecks with {}", settings.render());
    AgentSettings.ClusterAgent ca = settings.clusterAgent();
    ApiServer.Options options = new ApiServer.Options(ca.cmdHost(), ca.cmdPort(), ca.tlsEnabled(),
        ca.tlsCertFile().isEmpty() ? null : Path.of(ca.tlsCertFile()),
        ca.tlsKeyFile().isEmpty() ? null : Path.of(ca.tlsKeyFile()),
        ca.allowLegacyTls(), ca.authToken(), settings.clusterChecks().enabled(),
        ApiServer.Options.DEFAULT_MAX_BODY_BYTES);
    if (settings.clusterChecks().enabled()) {
      dispatcher.start();
    }
    api = new ApiServer(dispatcher, options, registry).configErrors(this::configErrors).start();
    LOG.info("Worker API listening on {}://{}:{}", ca.tlsEnabled() ? "https" : "http", ca.cmdHost(), api.port());
    if (settings.metricsPort() >= 0) {
      metrics = new MetricsServer(registry, ca.cmdHost(), settings.metricsPort(),
          MetricsServer.leading(dispatcher)).start();
      LOG.info("Metrics on http://{}:{}/metrics", ca.cmdHost(), metrics.port());
    }
    if (settings.clusterChecks().enabled()) {
      confd = new ConfdSource(settings.confdPath(), dispatcher, settings.confdPollInterval());
      int loaded = confd.start();
      LOG.info("conf.d: {} cluster check configs loaded from {}", loaded, settings.confdPath());
      KubeAutodiscovery.Enabled kubeEnabled = KubeAutodiscovery.enabled(settings);
      if (kubeEnabled.any()) {
        kube = KubeAutodiscovery.start(settings, kubeEnabled, kubeClient, dispatcher);
      }
    } else {
      LOG.warn("cluster_checks.enabled is false: the worker API answers 404 and nothing is dispatched");
    }
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
  public java.util.Optional<KubeAutodiscovery> kubernetes() {
    return java.util.Optional.ofNullable(kube);
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The port the worker API listens on (the actual one when configured as 0). */
  public int apiPort() {
    return api.port();
  }

  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  public AgentSettings settings() {
    return settings;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (confd != null) {
      confd.close();
    }
    if (kube != null) {
      kube.close();
    }
    if (api != null) {
      api.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    dispatcher.stop();
    scheduler.execute(() -> { }); // let the stop task run before the thread goes
    scheduler.close();
    LOG.info("clusterchecks stopped");
  }
}
