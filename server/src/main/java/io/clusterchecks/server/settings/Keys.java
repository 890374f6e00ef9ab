package io.clusterchecks.server.settings;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings schema: every supported key, declared once, with its type, default, validation,
 * whose key it is and what it does. The loader, {@link AgentSettings#asMap()}, the startup
 * printout, {@code configcheck --settings} and the keys table of docs/configuration.md all come
 * from these declarations ({@code ConfigurationDocsTest} fails when the page and this class
 * differ, and says how to regenerate the table).
 *
 * <p>Each constant is named after its environment variable without {@code DD_}. The table lists
 * the keys in the order they are declared here. Adding a setting: declare it here, and read it
 * where it is used with {@link AgentSettings#get(Setting)}.
 */
public final class Keys {
  private Keys() {}

  // ---------------------------------------------------------------- types shared by several keys

  private static final String WHOLE_NUMBER = "expected a whole number";
  private static final SettingType<Integer> PERCENT = SettingType.integer(0, 100, WHOLE_NUMBER);
  private static final SettingType<Integer> COUNT = SettingType.integer(0, Integer.MAX_VALUE, WHOLE_NUMBER);
  private static final SettingType<Integer> AT_LEAST_ONE = SettingType.integer(1, Integer.MAX_VALUE, WHOLE_NUMBER);
  /** Time keys Datadog gives in seconds: shown as whole seconds, read as seconds or a Go duration. */
  private static final SettingType<Duration> SECONDS = SettingType.duration(false, false);
  private static final SettingType<Duration> POSITIVE_SECONDS = SettingType.duration(true, false);
  /** A time key Datadog gives as a Go duration string. */
  private static final SettingType<Duration> GO_DURATION = SettingType.duration(true, true);
  /** 0 asks the system for a free port (tests, several replicas on one machine); the log says which. */
  private static final SettingType<Integer> LISTEN_PORT =
      SettingType.integer(0, 65535, "expected a port number (0-65535, 0 for any free port)");
  private static final SettingType<Integer> REMOTE_PORT =
      SettingType.integer(1, 65535, "expected a port number (1-65535)");
  private static final Set<String> LOG_LEVELS =
      Set.of("trace", "debug", "info", "warn", "warning", "error", "critical", "off");
  private static final SettingType<String> LEVEL_NAME = SettingType.string(
      "`trace` `debug` `info` `warn` `warning` `error` `critical` `off`, any case",
      "one of trace, debug, info, warn, error, critical, off",
      v -> LOG_LEVELS.contains(v.toLowerCase(Locale.ROOT)) ? v.toLowerCase(Locale.ROOT) : null);
  private static final SettingType<String> PATH =
      SettingType.string("non-empty path", "a non-empty path", Keys::checkPath);
  private static final SettingType<String> BIND_HOST = SettingType.string(
      "non-empty string", "a non-empty host or address", v -> v.isBlank() ? null : v);
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]%]+");
  private static final SettingType<String> ADVERTISE_HOST = SettingType.string(
      "host name or IP, or `\"\"`", "a host name or IP address, or empty",
      v -> v.isEmpty() || HOST.matcher(v).matches() ? v : null);
  private static final Set<String> ELECTION_BACKENDS =
      Set.of(AgentSettings.LeaderElection.KUBERNETES, AgentSettings.LeaderElection.ZOOKEEPER);
  private static final SettingType<String> ELECTION_BACKEND = SettingType.string(
      "`kubernetes` or `zookeeper`, any case", "kubernetes or zookeeper", v -> {
        String b = v.trim().toLowerCase(Locale.ROOT);
        return ELECTION_BACKENDS.contains(b) ? b : null;
      });
  private static final SettingType<String> ZK_CONNECT = SettingType.string(
      "`host:port[,host:port...][/chroot]`", "host:port[,host:port...][/chroot], or empty",
      v -> v.isEmpty() || !v.isBlank() && !v.contains(" ") ? v : null);
  private static final SettingType<String> ZK_PATH = SettingType.string(
      "absolute znode path", "an absolute ZooKeeper path such as /clusterchecks/leader",
      v -> v.startsWith("/") && v.length() > 1 && !v.endsWith("/") && !v.contains("//") && !v.contains(" ")
          ? v : null);

  private static String checkPath(String v) {
    if (v.isBlank()) {
      return null;
    }
    try {
      Path.of(v);
      return v;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- the keys, in the table's order

  public static final Setting<Boolean> CLUSTER_CHECKS_ENABLED =
      Setting.of("cluster_checks.enabled", SettingType.bool(), true)
      .reference("**Reference default `false`.**")
      .doc("Master switch. `false`: no dispatching, conf.d not read, every cluster-check API route "
          + "answers 404 `Cluster-checks are not enabled`.");

  public static final Setting<Duration> CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT =
      Setting.of("cluster_checks.node_expiration_timeout", POSITIVE_SECONDS, Duration.ofSeconds(30))
      .reference("Same default. Expiry is an exact deadline (reference: a cleanup tick of half the "
          + "timeout).")
      .doc("A worker that has not reported for this long is removed and its checks are dispatched "
          + "again.");

  public static final Setting<Duration> CLUSTER_CHECKS_WARMUP_DURATION =
      Setting.of("cluster_checks.warmup_duration", SECONDS, Duration.ofSeconds(30))
      .reference("Same.")
      .doc("After becoming leader, wait this long for workers to report before dispatching.");

  public static final Setting<Duration> CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD =
      Setting.of("cluster_checks.unscheduled_check_threshold", SECONDS, Duration.ofSeconds(60))
      .reference("Same.")
      .doc("A config left unassigned this long is logged (`Detected unscheduled check config`) and "
          + "counted. If lower than `node_expiration_timeout` it is raised to it, with a warning.");

  public static final Setting<String> CLUSTER_CHECKS_CLUSTER_TAG_NAME =
      Setting.of("cluster_checks.cluster_tag_name", SettingType.string(), "cluster_name")
      .reference("Same.")
      .doc("Tag key of the `<tag>:<cluster_name>` tag added to every dispatched instance; `\"\"` drops "
          + "that tag.");

  public static final Setting<List<String>> CLUSTER_CHECKS_EXTRA_TAGS =
      Setting.of("cluster_checks.extra_tags", SettingType.list(), List.of())
      .reference("Same key; the reference (Gen-3) also adds the tagger's global tags and "
          + "`orch_cluster_id`, we do not.")
      .doc("Tags added to every dispatched instance, before the cluster-name tags.");

  public static final Setting<List<String>> CLUSTER_CHECKS_EXCLUDE_CHECKS =
      Setting.of("cluster_checks.exclude_checks", SettingType.list(), List.of())
      .reference("Same.")
      .doc("Check names never dispatched nor stored.");

  public static final Setting<List<String>> CLUSTER_CHECKS_EXCLUDE_CHECKS_FROM_DISPATCHING =
      Setting.of("cluster_checks.exclude_checks_from_dispatching", SettingType.list(), List.of())
      .reference("Same.")
      .doc("Check names a rebalance never moves; their load still counts "
          + "([balancing.md](balancing.md)).");

  public static final Setting<Boolean> CLUSTER_CHECKS_ADVANCED_DISPATCHING_ENABLED =
      Setting.of("cluster_checks.advanced_dispatching_enabled", SettingType.bool(), true)
      .reference("Same default (7.73+); not a one-way latch: comes back when node agents leave.")
      .doc("Place and rebalance by measured load while no node agent reports; by config count "
          + "otherwise.");

  public static final Setting<Boolean> CLUSTER_CHECKS_REBALANCE_WITH_UTILIZATION =
      Setting.of("cluster_checks.rebalance_with_utilization", SettingType.bool(), true)
      .reference("Differs: no busyness mode.")
      .doc("Accepted for compatibility; we always rebalance by utilization (the busyness algorithm "
          + "is not offered).");

  public static final Setting<Integer> CLUSTER_CHECKS_REBALANCE_MIN_PERCENTAGE_IMPROVEMENT =
      Setting.of("cluster_checks.rebalance_min_percentage_improvement", PERCENT, 10)
      .reference("Same default.")
      .doc("A periodic rebalance is applied only if it lowers the spread of utilizations by this "
          + "much.");

  public static final Setting<Integer> CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE =
      Setting.of("cluster_checks.rebalance_target_percentage", PERCENT, 2)
      .ours("")
      .doc("Target band around the mean utilization, in percent ([balancing.md](balancing.md)).");

  public static final Setting<Integer> CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE =
      Setting.of("cluster_checks.rebalance_trigger_percentage", PERCENT, 4)
      .typeDoc("int 0–100, ≥ target")
      .ours("")
      .doc("Trigger band above the mean: runners over it are relieved.");

  public static final Setting<Integer> CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE =
      Setting.of("cluster_checks.rebalance_fill_below_percentage", PERCENT, 5)
      .typeDoc("int 0–100, ≥ target")
      .ours("")
      .doc("Band below the mean: runners under it are filled, and fillers give down to it.");

  public static final Setting<Integer> CLUSTER_CHECKS_REBALANCE_MAX_MOVES =
      Setting.of("cluster_checks.rebalance_max_moves", COUNT, 0)
      .ours("")
      .doc("Most configs one rebalance moves; 0 means 5 % of configs, at least 10.");

  public static final Setting<Duration> CLUSTER_CHECKS_ARRIVAL_WINDOW =
      Setting.of("cluster_checks.arrival_window", SECONDS, Duration.ofSeconds(10))
      .ours("")
      .doc("When configs wait and no worker reports, how long after the first worker reports they "
          + "keep waiting, so they spread over every worker that reports meanwhile instead of all "
          + "going to the first; `0` gives them to the first at once, as the reference does.");

  public static final Setting<Boolean> CLUSTER_CHECKS_WARM_UP_WORKER_ROUTES =
      Setting.of("cluster_checks.warm_up_worker_routes", SettingType.bool(), true)
      .ours("")
      .doc("With leader election, a replica that does not lead drives the code that answers "
          + "workers' statuses and configs fetches on a throwaway dispatcher (background thread, "
          + "bounded, stopped once it leads), so a follower that becomes leader answers at full "
          + "speed from the first second.");

  public static final Setting<Duration> CLUSTER_CHECKS_REBALANCE_PERIOD =
      Setting.of("cluster_checks.rebalance_period", GO_DURATION, Duration.ofMinutes(10))
      .reference("Same default; whole seconds also accepted.")
      .doc("How often the periodic rebalance runs; runner stats are collected twice per period (at "
          + "most every minute, at least every second).");

  public static final Setting<Integer> CLUSTER_CHECKS_CLC_RUNNERS_PORT =
      Setting.of("cluster_checks.clc_runners_port", REMOTE_PORT, 5005)
      .reference("Same.")
      .doc("Port of every runner's stats API (`https://<X-Real-Ip>:<port>/api/v1/clcrunner/...`).");

  public static final Setting<String> CLUSTER_NAME =
      Setting.of("cluster_name", SettingType.string(), "")
      .datadog("Meaning as in reference/dispatcher.md section 12.")
      .doc("When set, `<cluster_tag_name>:<name>` and `kube_cluster_name:<name>` are added to every "
          + "dispatched instance.");

  public static final Setting<Boolean> DISABLE_CLUSTER_NAME_TAG_KEY =
      Setting.of("disable_cluster_name_tag_key", SettingType.bool(), false)
      .datadog("As reference/dispatcher.md section 12.")
      .doc("`true` drops the `<cluster_tag_name>:<name>` tag; `kube_cluster_name:<name>` is still "
          + "added.");

  public static final Setting<String> CONFD_PATH =
      Setting.of("confd_path", PATH, "/etc/datadog-agent/conf.d")
      .datadog("")
      .doc("Directory of check configs; files with `cluster_check: true` are dispatched. May be "
          + "missing at start (warned, then watched).");

  public static final Setting<Duration> AUTOCONF_CONFIG_FILES_POLL_INTERVAL =
      Setting.of("autoconf_config_files_poll_interval", SECONDS, Duration.ZERO)
      .datadog("")
      .doc("Period of a full rescan of `confd_path` (a stat per file) on top of file-watch events, as a "
          + "safety net where the file system does not report every change (network file systems, links "
          + "to files outside conf.d). `0`: none; conf.d is read once and then followed by events only (a "
          + "full rescan runs only when events were lost). Directories that cannot be watched (the "
          + "system's watch limit) are listed every this period, or every 10 s when it is 0.");

  public static final Setting<String> LOG_LEVEL =
      Setting.of("log_level", LEVEL_NAME, "info")
      .datadog("")
      .doc("Level of the `io.clusterchecks` loggers, applied by the `agent` command only. `warning` "
          + "acts as `warn` and `critical` as `error`.");

  public static final Setting<Boolean> LOG_FORMAT_JSON =
      Setting.of("log_format_json", SettingType.bool(), false)
      .reference("Same key (the reference's JSON fields differ).")
      .doc("`true`: the `agent` command writes one JSON object per line (Logback's `JsonEncoder`): "
          + "`{\"timestamp\":<epoch "
          + "ms>,\"level\":\"INFO\",\"threadName\":\"main\",\"loggerName\":\"io.clusterchecks.server.Agent\",\"mdc\":{},\"formattedMessage\":\"conf.d: "
          + "3 cluster check configs loaded from /etc/datadog-agent/conf.d\",\"throwable\":null}`; an "
          + "exception is a structured `throwable` (`className`, `message`, `stepArray`, `cause`) "
          + "inside the same line.");

  public static final Setting<Integer> CLUSTER_AGENT_CMD_PORT =
      Setting.of("cluster_agent.cmd_port", LISTEN_PORT, 5005)
      .reference("Same default; `0` is ours.")
      .doc("Port of the worker API. **`0` = any free port** (the log says which).");

  public static final Setting<String> CLUSTER_AGENT_CMD_HOST =
      Setting.of("cluster_agent.cmd_host", BIND_HOST, "0.0.0.0")
      .datadog("")
      .doc("Address the worker API, the metrics server and the health server bind to.");

  public static final Setting<String> CLUSTER_AGENT_AUTH_TOKEN =
      Setting.of("cluster_agent.auth_token", SettingType.string(), "")
      .asSecret()
      .reference("Same key and default; required here.")
      .doc("Token workers must send as `Authorization: Bearer <token>`. **Required, at least 32 "
          + "characters** (see below). Never printed.");

  public static final Setting<String> CLUSTER_AGENT_AUTH_TOKEN_FILE =
      Setting.of("cluster_agent.auth_token_file", SettingType.string(), "")
      .ours("")
      .doc("A file holding the token (trimmed), read at start and re-read every 5 s; a new token is "
          + "used at once and the previous one is still accepted for 2 minutes (see below). When set, "
          + "`auth_token` is ignored.");

  public static final Setting<Boolean> CLUSTER_AGENT_ALLOW_LEGACY_TLS =
      Setting.of("cluster_agent.allow_legacy_tls", SettingType.bool(), false)
      .reference("Same.")
      .doc("Accept TLS 1.2 besides TLS 1.3.");

  public static final Setting<Boolean> CLUSTER_AGENT_TLS_ENABLED =
      Setting.of("cluster_agent.tls_enabled", SettingType.bool(), true)
      .ours("The reference always serves HTTPS.")
      .doc("`false` serves the worker API over plain HTTP.");

  public static final Setting<String> CLUSTER_AGENT_TLS_CERT_FILE =
      Setting.of("cluster_agent.tls_cert_file", SettingType.string(), "")
      .typeDoc("string (path)")
      .ours("The reference always self-signs.")
      .doc("PEM certificate chain, leaf first. Empty: self-signed certificate made at start.");

  public static final Setting<String> CLUSTER_AGENT_TLS_KEY_FILE =
      Setting.of("cluster_agent.tls_key_file", SettingType.string(), "")
      .typeDoc("string (path)")
      .ours("As above.")
      .doc("Unencrypted PEM key of `tls_cert_file`.");

  public static final Setting<Integer> CLUSTER_AGENT_MAX_LEADER_CONNECTIONS =
      Setting.of("cluster_agent.max_leader_connections", AT_LEAST_ONE, 100)
      .reference("Same default.")
      .doc("Most requests a follower forwards to the leader at once (HTTP/1.1: as many connections); "
          + "one more waits up to 1 s, then gets 503.");

  public static final Setting<String> CLUSTER_AGENT_ADVERTISE_HOST =
      Setting.of("cluster_agent.advertise_host", ADVERTISE_HOST, "")
      .ours("")
      .doc("How the other replicas reach this one on `cmd_port` (published with the ZooKeeper "
          + "election node). Empty: `POD_IP`, else `cmd_host` unless it is `0.0.0.0`/`::`, else this "
          + "machine's address. On Kubernetes the leader's address is its Pod's `status.podIP` "
          + "whatever this says.");

  public static final Setting<String> CLUSTER_AGENT_URL =
      Setting.of("cluster_agent.url", SettingType.string(), "")
      .reference("Reference: the URL workers use to reach the agent.")
      .doc("Default `--url` of the `clusterchecks` and `status` commands. The agent itself does not "
          + "read it.");

  public static final Setting<String> CLUSTER_AGENT_KUBERNETES_SERVICE_NAME =
      Setting.of("cluster_agent.kubernetes_service_name", SettingType.string(), "datadog-cluster-agent")
      .reference("Same default.")
      .doc("Accepted, not used yet.");

  public static final Setting<Integer> METRICS_PORT =
      Setting.of("metrics_port", LISTEN_PORT, 5000)
      .reference("Same default; `0` is ours.")
      .doc("Plain-HTTP port on `cmd_host` serving `/metrics` (Prometheus, series in "
          + "[api](api.md#what-metrics-holds)), plus `/live` and `/ready` as on `health_port`. Always "
          + "started. **`0` = any free port.**");

  public static final Setting<Integer> HEALTH_PORT =
      Setting.of("health_port", LISTEN_PORT, 5556)
      .reference("Same default (the reference's agent-wide `health_port`); `0` is ours.")
      .doc("Plain-HTTP port on `cmd_host` serving `/live` (200 while the process serves) and "
          + "`/ready` (200 while this replica leads or follows a known leader, else 503), where the "
          + "Datadog Helm chart points its probes. Always started. **`0` = any free port.**");

  public static final Setting<Boolean> LEADER_ELECTION =
      Setting.of("leader_election", SettingType.bool(), false)
      .reference("Same default.")
      .doc("`false`: this replica leads as soon as it starts. `true`: replicas elect one leader with "
          + "`leader_election_backend`; the others forward worker requests to it. See "
          + "[architecture](architecture.md#leader-election-and-failover).");

  public static final Setting<String> LEADER_ELECTION_BACKEND =
      Setting.of("leader_election_backend", ELECTION_BACKEND, "kubernetes")
      .ours("The reference: Kubernetes only, ConfigMap or Lease.")
      .doc("`kubernetes`: a Lease in the agent's namespace (in-cluster credentials; RBAC in "
          + "[deploy](deploy.md)). `zookeeper`: a Curator leader latch, for VMs.");

  public static final Setting<String> LEADER_LEASE_NAME =
      Setting.of("leader_lease_name", SettingType.string(), "datadog-leader-election")
      .reference("Same default.")
      .doc("Name of the Lease.");

  public static final Setting<Duration> LEADER_LEASE_DURATION =
      Setting.of("leader_lease_duration", POSITIVE_SECONDS, Duration.ofSeconds(60))
      .reference("Same (reference: `\"60\"` seconds; retry a quarter).")
      .doc("Lease duration. A leader that cannot renew within half of it steps down; retry period a "
          + "fifth of it (fabric8 refuses the reference's quarter). A new leader comes at most this "
          + "long after the old one died.");

  public static final Setting<Boolean> LEADER_ELECTION_RELEASE_ON_SHUTDOWN =
      Setting.of("leader_election_release_on_shutdown", SettingType.bool(), true)
      .reference("Same default.")
      .doc("Release the Lease on a clean stop, so another replica leads at once instead of after the "
          + "lease.");

  public static final Setting<Boolean> LEADER_ELECTION_PLACEMENT_DELTAS =
      Setting.of("leader_election_placement_deltas", SettingType.bool(), true)
      .ours("")
      .doc("A follower asks the leader only for the placement changes since the copy it holds "
          + "(a few kilobytes where the whole placement is about 50 MB at a million configs); the "
          + "leader answers the whole placement when it no longer has those changes. `false`: the "
          + "whole placement every time it changed, as before. See "
          + "[architecture](architecture.md#leader-election-and-failover).");

  public static final Setting<String> LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING =
      Setting.of("leader_election_zookeeper.connect_string", ZK_CONNECT, "")
      .ours("")
      .doc("The ensemble. Required when the backend is `zookeeper` and `leader_election` is true. "
          + "Only these servers are used (Curator's ensemble tracking is off).");

  public static final Setting<String> LEADER_ELECTION_ZOOKEEPER_PATH =
      Setting.of("leader_election_zookeeper.path", ZK_PATH, "/clusterchecks/leader")
      .ours("")
      .doc("The latch's znode; replicas of one cluster share it.");

  public static final Setting<Duration> LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT =
      Setting.of("leader_election_zookeeper.session_timeout", POSITIVE_SECONDS, Duration.ofSeconds(30))
      .ours("")
      .doc("ZooKeeper session timeout (the ensemble bounds it to 2–20 ticks). A leader steps down "
          + "when its connection is suspended (after two thirds of it); a new leader comes at most "
          + "this long after the old one died.");

  public static final Setting<List<String>> EXTRA_CONFIG_PROVIDERS =
      Setting.of("extra_config_providers", SettingType.list(), List.of())
      .reference("The reference needs each name in both this list and `extra_listeners`; we enable a "
          + "source named in either (and log it). The reference's `clusterchecks` CLI asks for "
          + "endpoints checks only when `kube_endpoints` is listed here; ours always asks.")
      .doc("`kube_services` and/or `kube_endpoints` start the Kubernetes sources "
          + "([kubernetes.md](kubernetes.md)); other names are warned about and ignored.");

  public static final Setting<List<String>> EXTRA_LISTENERS =
      Setting.of("extra_listeners", SettingType.list(), List.of())
      .reference("See above.")
      .doc("Same names and meaning as `extra_config_providers`, so a Datadog values file carries "
          + "over.");

  public static final Setting<Boolean> KUBERNETES_USE_ENDPOINT_SLICES =
      Setting.of("kubernetes_use_endpoint_slices", SettingType.bool(), false)
      .reference("Same default; the reference also requires API server ≥ 1.21, we do not check.")
      .doc("`kube_endpoints` reads EndpointSlices (discovery.k8s.io/v1) instead of Endpoints.");

  public static final Setting<Boolean> KUBERNETES_ENDPOINT_SLICES_IGNORE_READINESS =
      Setting.of("kubernetes_endpoint_slices_ignore_readiness", SettingType.bool(), false)
      .reference("Same (reference 7.83+).")
      .doc("With EndpointSlices, also check endpoints that are not ready or are terminating.");

  public static final Setting<String> KUBERNETES_KUBECONFIG_PATH =
      Setting.of("kubernetes_kubeconfig_path", SettingType.string(), "")
      .reference("Same key.")
      .doc("Kubeconfig file for the Kubernetes client (autodiscovery and the Lease election); `\"\"` = "
          + "in-cluster service account, else `KUBECONFIG` / `~/.kube/config`.");

  public static final Setting<Duration> KUBERNETES_INFORMERS_RESYNC_PERIOD =
      Setting.of("kubernetes_informers_resync_period", SECONDS, Duration.ofMinutes(5))
      .reference("Same key and default.")
      .doc("How often the informers replay their caches (a safety net: a replay that changes nothing "
          + "makes no call). `0` = never.");

  public static final Setting<List<String>> AD_ALLOWED_ENV_VARS =
      Setting.of("ad_allowed_env_vars", SettingType.list(), List.of())
      .reference("The reference resolves any variable when the list is empty.")
      .doc("Environment variables usable in `%%env_<VAR>%%`; empty = the variable is refused.");

  public static final Setting<Boolean> CLUSTER_CHECKS_SUPPORT_HYBRID_IGNORE_AD_TAGS =
      Setting.of("cluster_checks.support_hybrid_ignore_ad_tags", SettingType.bool(), false)
      .reference("Same.")
      .doc("Deprecated (warned at start): with `*.checks` annotations, also honour the v1 "
          + "`ignore_autodiscovery_tags` annotation.");

  // ---------------------------------------------------------------- the schema as a whole

  /** Every setting, in declaration order (the order of the table and of {@link AgentSettings#asMap()}). */
  public static final List<Setting<?>> ALL = declared();

  private static final Map<String, Setting<?>> BY_KEY = index(false);
  private static final Map<String, Setting<?>> BY_ENV = index(true);

  /**
   * The {@code Setting} constants of this class. Reflection keeps the declaration the only place a
   * key is written; the JVM lists a class's fields in source order, and the docs test would show
   * any other order at once.
   */
  private static List<Setting<?>> declared() {
    List<Setting<?>> all = new ArrayList<>();
    for (Field f : Keys.class.getDeclaredFields()) {
      if (f.getType() == Setting.class && Modifier.isStatic(f.getModifiers())) {
        try {
          Setting<?> s = (Setting<?>) f.get(null);
          if (!f.getName().equals(s.envName().substring(Setting.ENV_PREFIX.length()))) {
            throw new IllegalStateException(
                f.getName() + " declares " + s.key() + ": name the constant after its variable");
          }
          if (s.doc().isBlank()) {
            throw new IllegalStateException(s.key() + " has no documentation");
          }
          all.add(s);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return List.copyOf(all);
  }

  private static Map<String, Setting<?>> index(boolean byEnv) {
    Map<String, Setting<?>> m = new LinkedHashMap<>();
    for (Setting<?> s : ALL) {
      if (m.put(byEnv ? s.envName() : s.key(), s) != null) {
        throw new IllegalStateException("setting declared twice: " + s.key());
      }
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The setting of a dotted key, or null. */
  public static Setting<?> byKey(String key) {
    return BY_KEY.get(key);
  }

  /** The setting of a {@code DD_} variable, or null. */
  public static Setting<?> byEnvName(String var) {
    return BY_ENV.get(var);
  }

  /** Every {@code DD_} variable, sorted. */
  public static List<String> envNames() {
    return BY_ENV.keySet().stream().sorted().toList();
  }
}
