package io.clusterchecks.server.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The agent's effective settings: defaults, overridden by the settings file (same nested keys as
 * Datadog's {@code datadog-cluster.yaml}), overridden by {@code DD_*} environment variables. Built
 * by {@link SettingsLoader}; immutable. Every key is declared once in {@link Keys} and read with
 * {@link #get(Setting)}; the grouped views below ({@link #clusterChecks()} and the others) are
 * built from the same values for the code that reads several keys of a group.
 *
 * <p>Time values are {@link Duration}s whatever the key's unit in Datadog (seconds for most, a Go
 * duration string for {@code cluster_checks.rebalance_period}).
 *
 * <p>{@link #toString()} and {@link #render()} never show the auth token.
 *
 * @param values every key's value, by its {@link Setting} in {@link Keys}
 * @param origins where each key's value came from: {@code default}, {@code file <path>} or
 *     {@code env DD_...}; keyed by the Datadog key name
 * @param warnings problems that did not stop loading (unknown keys, adjusted values); the caller
 *     logs them
 * @param environment the environment the settings were loaded from, for the few process
 *     variables the agent reads besides its keys ({@code POD_NAME}, {@code POD_IP}, {@code %%env_X%%}
 *     in conf.d files); never printed
 */
public record AgentSettings(
    SettingValues values,
    Map<String, String> origins,
    List<String> warnings,
    Map<String, String> environment) {

  /** Shown instead of a secret's value. */
  public static final String REDACTED = "********";

  public AgentSettings {
    Objects.requireNonNull(values, "values");
    origins = Map.copyOf(origins);
    warnings = List.copyOf(warnings);
    Map<String, String> env = new TreeMap<>();
    environment.forEach((k, v) -> {
      if (k != null && v != null) {
        env.put(k, v);
      }
    });
    environment = Collections.unmodifiableMap(env);
  }

  /** A setting's value, typed by its declaration in {@link Keys}. */
  public <T> T get(Setting<T> setting) {
    return values.get(setting);
  }

  /** A process environment variable the settings were loaded with, or null when unset. */
  public String env(String name) {
    return environment.get(name);
  }

  /** The {@code cluster_checks.*} keys. */
  public ClusterChecks clusterChecks() {
    return new ClusterChecks(
        get(Keys.CLUSTER_CHECKS_ENABLED),
        get(Keys.CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT),
        get(Keys.CLUSTER_CHECKS_WARMUP_DURATION),
        get(Keys.CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD),
        get(Keys.CLUSTER_CHECKS_CLUSTER_TAG_NAME),
        get(Keys.CLUSTER_CHECKS_EXTRA_TAGS),
        get(Keys.CLUSTER_CHECKS_EXCLUDE_CHECKS),
        get(Keys.CLUSTER_CHECKS_EXCLUDE_CHECKS_FROM_DISPATCHING),
        get(Keys.CLUSTER_CHECKS_ADVANCED_DISPATCHING_ENABLED),
        get(Keys.CLUSTER_CHECKS_REBALANCE_WITH_UTILIZATION),
        get(Keys.CLUSTER_CHECKS_REBALANCE_MIN_PERCENTAGE_IMPROVEMENT),
        get(Keys.CLUSTER_CHECKS_REBALANCE_PERIOD),
        get(Keys.CLUSTER_CHECKS_CLC_RUNNERS_PORT),
        get(Keys.CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE),
        get(Keys.CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE),
        get(Keys.CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE),
        get(Keys.CLUSTER_CHECKS_REBALANCE_MAX_MOVES),
        get(Keys.CLUSTER_CHECKS_ARRIVAL_WINDOW));
  }

  /** The {@code cluster_agent.*} keys. */
  public ClusterAgent clusterAgent() {
    return new ClusterAgent(
        get(Keys.CLUSTER_AGENT_CMD_PORT),
        get(Keys.CLUSTER_AGENT_CMD_HOST),
        get(Keys.CLUSTER_AGENT_AUTH_TOKEN),
        get(Keys.CLUSTER_AGENT_AUTH_TOKEN_FILE),
        get(Keys.CLUSTER_AGENT_ALLOW_LEGACY_TLS),
        get(Keys.CLUSTER_AGENT_TLS_ENABLED),
        get(Keys.CLUSTER_AGENT_TLS_CERT_FILE),
        get(Keys.CLUSTER_AGENT_TLS_KEY_FILE),
        get(Keys.CLUSTER_AGENT_MAX_LEADER_CONNECTIONS),
        get(Keys.CLUSTER_AGENT_URL),
        get(Keys.CLUSTER_AGENT_KUBERNETES_SERVICE_NAME),
        get(Keys.CLUSTER_AGENT_ADVERTISE_HOST));
  }

  /** The leader election keys. */
  public LeaderElection leaderElection() {
    return new LeaderElection(
        get(Keys.LEADER_ELECTION),
        get(Keys.LEADER_LEASE_NAME),
        get(Keys.LEADER_LEASE_DURATION),
        get(Keys.LEADER_ELECTION_RELEASE_ON_SHUTDOWN),
        get(Keys.LEADER_ELECTION_BACKEND),
        get(Keys.LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING),
        get(Keys.LEADER_ELECTION_ZOOKEEPER_PATH),
        get(Keys.LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT));
  }

  /** The Kubernetes autodiscovery keys besides the providers, listeners and EndpointSlices switch. */
  public Kubernetes kubernetes() {
    return new Kubernetes(
        get(Keys.KUBERNETES_KUBECONFIG_PATH),
        get(Keys.KUBERNETES_ENDPOINT_SLICES_IGNORE_READINESS),
        get(Keys.AD_ALLOWED_ENV_VARS),
        get(Keys.CLUSTER_CHECKS_SUPPORT_HYBRID_IGNORE_AD_TAGS),
        get(Keys.KUBERNETES_INFORMERS_RESYNC_PERIOD));
  }

  public String clusterName() {
    return get(Keys.CLUSTER_NAME);
  }

  public boolean disableClusterNameTagKey() {
    return get(Keys.DISABLE_CLUSTER_NAME_TAG_KEY);
  }

  public Path confdPath() {
    return Path.of(get(Keys.CONFD_PATH));
  }

  public Duration confdPollInterval() {
    return get(Keys.AUTOCONF_CONFIG_FILES_POLL_INTERVAL);
  }

  public String logLevel() {
    return get(Keys.LOG_LEVEL);
  }

  public boolean logFormatJson() {
    return get(Keys.LOG_FORMAT_JSON);
  }

  public int metricsPort() {
    return get(Keys.METRICS_PORT);
  }

  public int healthPort() {
    return get(Keys.HEALTH_PORT);
  }

  public List<String> extraConfigProviders() {
    return get(Keys.EXTRA_CONFIG_PROVIDERS);
  }

  public List<String> extraListeners() {
    return get(Keys.EXTRA_LISTENERS);
  }

  public boolean kubernetesUseEndpointSlices() {
    return get(Keys.KUBERNETES_USE_ENDPOINT_SLICES);
  }

  /** The {@code cluster_checks.*} keys. */
  public record ClusterChecks(
      boolean enabled,
      Duration nodeExpirationTimeout,
      Duration warmupDuration,
      Duration unscheduledCheckThreshold,
      String clusterTagName,
      List<String> extraTags,
      List<String> excludeChecks,
      List<String> excludeChecksFromDispatching,
      boolean advancedDispatchingEnabled,
      boolean rebalanceWithUtilization,
      int rebalanceMinPercentageImprovement,
      Duration rebalancePeriod,
      int clcRunnersPort,
      int rebalanceTargetPercentage,
      int rebalanceTriggerPercentage,
      int rebalanceFillBelowPercentage,
      int rebalanceMaxMoves,
      Duration arrivalWindow) {
    public ClusterChecks {
      extraTags = List.copyOf(extraTags);
      excludeChecks = List.copyOf(excludeChecks);
      excludeChecksFromDispatching = List.copyOf(excludeChecksFromDispatching);
    }
  }

  /**
   * The {@code cluster_agent.*} keys: the worker-facing API server and how to reach the leader.
   *
   * @param cmdHost the address the API binds to
   * @param authToken shared secret with the workers; "" when not set. Never printed.
   * @param authTokenFile a file holding the token instead, read again when it changes (rotation);
   *     "" when not set
   * @param tlsEnabled serve HTTPS (the default); plain HTTP only when explicitly false
   * @param tlsCertFile PEM certificate path, "" to generate a self-signed one
   * @param tlsKeyFile PEM private key path, "" to generate one
   */
  public record ClusterAgent(
      int cmdPort,
      String cmdHost,
      String authToken,
      String authTokenFile,
      boolean allowLegacyTls,
      boolean tlsEnabled,
      String tlsCertFile,
      String tlsKeyFile,
      int maxLeaderConnections,
      String url,
      String kubernetesServiceName,
      String advertiseHost) {

    public boolean hasAuthToken() {
      return !authToken.isEmpty();
    }

    @Override
    public String toString() {
      return "ClusterAgent[cmdPort=" + cmdPort + ", cmdHost=" + cmdHost
          + ", authToken=" + redact(authToken) + ", authTokenFile=" + authTokenFile
          + ", allowLegacyTls=" + allowLegacyTls
          + ", tlsEnabled=" + tlsEnabled + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile=" + tlsKeyFile
          + ", maxLeaderConnections=" + maxLeaderConnections + ", url=" + url
          + ", kubernetesServiceName=" + kubernetesServiceName + ", advertiseHost=" + advertiseHost + "]";
    }
  }

  /**
   * Kubernetes autodiscovery keys besides {@code extra_config_providers}, {@code extra_listeners}
   * and {@code kubernetes_use_endpoint_slices}.
   *
   * @param kubeconfigPath {@code kubernetes_kubeconfig_path}: "" for in-cluster config (or
   *     {@code KUBECONFIG} / {@code ~/.kube/config} outside a cluster)
   * @param endpointSlicesIgnoreReadiness {@code kubernetes_endpoint_slices_ignore_readiness}
   * @param allowedEnvVars {@code ad_allowed_env_vars}: names usable in {@code %%env_<VAR>%%}
   * @param supportHybridIgnoreAdTags {@code cluster_checks.support_hybrid_ignore_ad_tags}
   * @param informersResyncPeriod {@code kubernetes_informers_resync_period}; zero for never
   */
  public record Kubernetes(
      String kubeconfigPath,
      boolean endpointSlicesIgnoreReadiness,
      List<String> allowedEnvVars,
      boolean supportHybridIgnoreAdTags,
      Duration informersResyncPeriod) {
    public Kubernetes {
      kubeconfigPath = Objects.requireNonNullElse(kubeconfigPath, "");
      allowedEnvVars = List.copyOf(allowedEnvVars);
    }
  }

  /**
   * The top-level {@code leader_*} keys and {@code leader_election_zookeeper.*}, grouped.
   *
   * @param enabled {@code leader_election}: false makes this replica lead at once
   * @param backend {@code kubernetes} (a Lease) or {@code zookeeper}
   * @param zookeeperConnectString the ensemble, {@code host:port,host:port[/chroot]}; "" if unset
   * @param zookeeperPath the election's znode
   * @param zookeeperSessionTimeout the ZooKeeper session timeout
   */
  public record LeaderElection(
      boolean enabled, String leaseName, Duration leaseDuration, boolean releaseOnShutdown,
      String backend, String zookeeperConnectString, String zookeeperPath,
      Duration zookeeperSessionTimeout) {

    public static final String KUBERNETES = "kubernetes";
    public static final String ZOOKEEPER = "zookeeper";

    public boolean isZooKeeper() {
      return backend.equals(ZOOKEEPER);
    }
  }

  /**
   * Every key with its effective value, in the order of {@link Keys}, in Datadog's names and units
   * (seconds as whole numbers where Datadog uses seconds). Secrets are redacted.
   */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Setting<?> s : Keys.ALL) {
      m.put(s.key(), shown(s));
    }
    return m;
  }

  private <T> Object shown(Setting<T> setting) {
    return setting.shown(get(setting));
  }

  /**
   * The effective settings for the startup log: one {@code key: value} line per key, sorted,
   * each followed by where the value came from unless it is the default. The auth token is
   * shown as {@value #REDACTED} (or {@code ""} when unset).
   */
  public String render() {
    StringBuilder sb = new StringBuilder("effective settings:");
    new TreeMap<>(asMap()).forEach((key, value) -> {
      sb.append("\n  ").append(key).append(": ").append(renderValue(value));
      String origin = origins.getOrDefault(key, "default");
      if (!origin.equals("default")) {
        sb.append("  (").append(origin).append(')');
      }
    });
    return sb.toString();
  }

  private static String renderValue(Object value) {
    if (value instanceof String s) {
      return s.isEmpty() ? "\"\"" : s;
    }
    return String.valueOf(value);
  }

  static String redact(String secret) {
    return secret == null || secret.isEmpty() ? "" : REDACTED;
  }

  @Override
  public String toString() {
    return "AgentSettings" + asMap();
  }
}
