package io.clusterchecks.server.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The agent's effective settings: defaults, overridden by the settings file (same nested keys as
 * Datadog's {@code datadog-cluster.yaml}), overridden by {@code DD_*} environment variables. Built
 * by {@link SettingsLoader}; immutable.
 *
 * <p>Time values are {@link Duration}s whatever the key's unit in Datadog (seconds for most, a Go
 * duration string for {@code cluster_checks.rebalance_period}).
 *
 * <p>{@link #toString()} and {@link #render()} never show the auth token.
 *
 * @param origins where each key's value came from: {@code default}, {@code file <path>} or
 *     {@code env DD_...}; keyed by the Datadog key name
 * @param warnings problems that did not stop loading (unknown keys, adjusted values); the caller
 *     logs them
 */
public record AgentSettings(
    ClusterChecks clusterChecks,
    ClusterAgent clusterAgent,
    LeaderElection leaderElection,
    String clusterName,
    boolean disableClusterNameTagKey,
    Path confdPath,
    Duration confdPollInterval,
    String logLevel,
    boolean logFormatJson,
    int metricsPort,
    int healthPort,
    List<String> extraConfigProviders,
    List<String> extraListeners,
    boolean kubernetesUseEndpointSlices,
    Kubernetes kubernetes,
    Map<String, String> origins,
    List<String> warnings) {

  /** Shown instead of a secret's value. */
  public static final String REDACTED = "********";

  public AgentSettings {
    Objects.requireNonNull(clusterChecks, "clusterChecks");
    Objects.requireNonNull(clusterAgent, "clusterAgent");
    Objects.requireNonNull(leaderElection, "leaderElection");
    Objects.requireNonNull(confdPath, "confdPath");
    Objects.requireNonNull(confdPollInterval, "confdPollInterval");
    Objects.requireNonNull(kubernetes, "kubernetes");
    clusterName = Objects.requireNonNullElse(clusterName, "");
    logLevel = Objects.requireNonNullElse(logLevel, "info");
    extraConfigProviders = List.copyOf(extraConfigProviders);
    extraListeners = List.copyOf(extraListeners);
    origins = Map.copyOf(origins);
    warnings = List.copyOf(warnings);
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
   * Every key with its effective value, in Datadog's names and units (seconds as integers where
   * Datadog uses seconds). The auth token is redacted.
   */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    ClusterChecks cc = clusterChecks;
    m.put("cluster_checks.enabled", cc.enabled());
    m.put("cluster_checks.node_expiration_timeout", cc.nodeExpirationTimeout().toSeconds());
    m.put("cluster_checks.warmup_duration", cc.warmupDuration().toSeconds());
    m.put("cluster_checks.unscheduled_check_threshold", cc.unscheduledCheckThreshold().toSeconds());
    m.put("cluster_checks.cluster_tag_name", cc.clusterTagName());
    m.put("cluster_checks.extra_tags", cc.extraTags());
    m.put("cluster_checks.exclude_checks", cc.excludeChecks());
    m.put("cluster_checks.exclude_checks_from_dispatching", cc.excludeChecksFromDispatching());
    m.put("cluster_checks.advanced_dispatching_enabled", cc.advancedDispatchingEnabled());
    m.put("cluster_checks.rebalance_with_utilization", cc.rebalanceWithUtilization());
    m.put("cluster_checks.rebalance_min_percentage_improvement", cc.rebalanceMinPercentageImprovement());
    m.put("cluster_checks.rebalance_period", GoDuration.format(cc.rebalancePeriod()));
    m.put("cluster_checks.clc_runners_port", cc.clcRunnersPort());
    m.put("cluster_checks.rebalance_target_percentage", cc.rebalanceTargetPercentage());
    m.put("cluster_checks.rebalance_trigger_percentage", cc.rebalanceTriggerPercentage());
    m.put("cluster_checks.rebalance_fill_below_percentage", cc.rebalanceFillBelowPercentage());
    m.put("cluster_checks.rebalance_max_moves", cc.rebalanceMaxMoves());
    m.put("cluster_checks.arrival_window", cc.arrivalWindow().toSeconds());
    m.put("cluster_name", clusterName);
    m.put("disable_cluster_name_tag_key", disableClusterNameTagKey);
    m.put("confd_path", confdPath.toString());
    m.put("autoconf_config_files_poll_interval", confdPollInterval.toSeconds());
    m.put("log_level", logLevel);
    m.put("log_format_json", logFormatJson);
    ClusterAgent ca = clusterAgent;
    m.put("cluster_agent.cmd_port", ca.cmdPort());
    m.put("cluster_agent.cmd_host", ca.cmdHost());
    m.put("cluster_agent.auth_token", redact(ca.authToken()));
    m.put("cluster_agent.auth_token_file", ca.authTokenFile());
    m.put("cluster_agent.allow_legacy_tls", ca.allowLegacyTls());
    m.put("cluster_agent.tls_enabled", ca.tlsEnabled());
    m.put("cluster_agent.tls_cert_file", ca.tlsCertFile());
    m.put("cluster_agent.tls_key_file", ca.tlsKeyFile());
    m.put("cluster_agent.max_leader_connections", ca.maxLeaderConnections());
    m.put("cluster_agent.url", ca.url());
    m.put("cluster_agent.kubernetes_service_name", ca.kubernetesServiceName());
    m.put("cluster_agent.advertise_host", ca.advertiseHost());
    m.put("metrics_port", metricsPort);
    m.put("health_port", healthPort);
    LeaderElection le = leaderElection;
    m.put("leader_election", le.enabled());
    m.put("leader_lease_name", le.leaseName());
    m.put("leader_lease_duration", le.leaseDuration().toSeconds());
    m.put("leader_election_release_on_shutdown", le.releaseOnShutdown());
    m.put("leader_election_backend", le.backend());
    m.put("leader_election_zookeeper.connect_string", le.zookeeperConnectString());
    m.put("leader_election_zookeeper.path", le.zookeeperPath());
    m.put("leader_election_zookeeper.session_timeout", le.zookeeperSessionTimeout().toSeconds());
    m.put("extra_config_providers", extraConfigProviders);
    m.put("extra_listeners", extraListeners);
    m.put("kubernetes_use_endpoint_slices", kubernetesUseEndpointSlices);
    m.put("kubernetes_kubeconfig_path", kubernetes.kubeconfigPath());
    m.put("kubernetes_endpoint_slices_ignore_readiness", kubernetes.endpointSlicesIgnoreReadiness());
    m.put("kubernetes_informers_resync_period", kubernetes.informersResyncPeriod().toSeconds());
    m.put("ad_allowed_env_vars", kubernetes.allowedEnvVars());
    m.put("cluster_checks.support_hybrid_ignore_ad_tags", kubernetes.supportHybridIgnoreAdTags());
    return m;
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
