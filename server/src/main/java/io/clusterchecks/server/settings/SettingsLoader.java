package io.clusterchecks.server.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.clusterchecks.server.settings.AgentSettings.ClusterAgent;
import io.clusterchecks.server.settings.AgentSettings.ClusterChecks;
import io.clusterchecks.server.settings.AgentSettings.LeaderElection;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads {@link AgentSettings} from an optional YAML settings file and the environment, the way the
 * Datadog Cluster Agent reads {@code datadog-cluster.yaml} and its {@code DD_*} variables.
 *
 * <ul>
 *   <li>Precedence: environment, then file, then defaults.
 *   <li>File keys are nested as in Datadog ({@code cluster_agent: {auth_token: ...}}); a dotted
 *       top-level key ({@code cluster_agent.auth_token: ...}) is accepted too. A key present with
 *       no value ({@code cluster_name:}) keeps its default.
 *   <li>Environment: {@code DD_} + the key upper-cased with dots turned into underscores, e.g.
 *       {@code DD_CLUSTER_AGENT_AUTH_TOKEN}. Values are trimmed. An empty variable counts as unset
 *       (as with Datadog's viper setup), so it cannot override a file value with "".
 *   <li>Lists: a YAML list in the file; from the environment (or a YAML string) either
 *       space-separated ({@code "env:prod team:a"}, Datadog style) or, when the value starts with
 *       {@code [}, a JSON array ({@code ["env:prod","team:a"]}).
 *   <li>Booleans: {@code true}/{@code false}, any case. Integers: whole numbers only.
 *   <li>Times: whole seconds ({@code 30}) or a Go duration ({@code 90s}, {@code 10m},
 *       {@code 1h30m}), for every time key.
 *   <li>Unknown file keys, and unknown {@code DD_} variables that look like ours (the
 *       {@code DD_CLUSTER_CHECKS_}, {@code DD_CLUSTER_AGENT_} and {@code DD_LEADER_} families, or a
 *       near-miss of a known name) become {@link AgentSettings#warnings()}; loading goes on.
 *   <li>Unusable values throw {@link SettingsException} naming the key, the source and the value
 *       (never the value of a secret).
 * </ul>
 */
public final class SettingsLoader {
  /** The environment variable prefix Datadog uses. */
  public static final String ENV_PREFIX = "DD_";

  private static final ObjectMapper JSON = new JsonMapper();
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
  private static final Set<String> LOG_LEVELS =
      Set.of("trace", "debug", "info", "warn", "warning", "error", "critical", "off");
  private static final Set<String> SECTIONS =
      Set.of("cluster_checks", "cluster_agent", "leader_election_zookeeper");
  private static final Set<String> ELECTION_BACKENDS = Set.of("kubernetes", "zookeeper");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]%]+");
  private static final List<String> OUR_ENV_FAMILIES =
      List.of("DD_CLUSTER_CHECKS_", "DD_CLUSTER_AGENT_", "DD_LEADER_");

  private enum Kind { BOOL, STRING, INT, LIST, DURATION }

  /**
   * One supported key.
   *
   * @param min lowest accepted value for INT; for DURATION 0 (zero allowed) or 1 (must be positive)
   * @param check extra check for STRING values: returns the normalised value, or null if invalid
   */
  private record Key(
      String name, Kind kind, Object defaultValue, boolean secret, long min, long max,
      String expectation, Function<String, String> check) {
    String envName() {
      return envNameOf(name);
    }
  }

  private static final Map<String, Key> KEYS = declare();
  private static final Map<String, Key> KEYS_BY_ENV = KEYS.values().stream()
      .collect(Collectors.toUnmodifiableMap(Key::envName, k -> k));

  /** Every key, declared once, in the order the effective-settings printout lists them. */
  private static Map<String, Key> declare() {
    Declarations d = new Declarations();
    d.bool("cluster_checks.enabled", true);
    d.seconds("cluster_checks.node_expiration_timeout", 30, true);
    d.seconds("cluster_checks.warmup_duration", 30, false);
    d.seconds("cluster_checks.unscheduled_check_threshold", 60, false);
    d.str("cluster_checks.cluster_tag_name", "cluster_name");
    d.list("cluster_checks.extra_tags");
    d.list("cluster_checks.exclude_checks");
    d.list("cluster_checks.exclude_checks_from_dispatching");
    d.bool("cluster_checks.advanced_dispatching_enabled", true);
    d.bool("cluster_checks.rebalance_with_utilization", true);
    d.integer("cluster_checks.rebalance_min_percentage_improvement", 10, 0, 100);
    // Ours (docs/balancing.md): the bands around the mean utilization, in percent, and the most
    // configs one rebalance moves (0: 5% of the configs, at least 10).
    d.integer("cluster_checks.rebalance_target_percentage", 2, 0, 100);
    d.integer("cluster_checks.rebalance_trigger_percentage", 4, 0, 100);
    d.integer("cluster_checks.rebalance_fill_below_percentage", 5, 0, 100);
    d.integer("cluster_checks.rebalance_max_moves", 0, 0, Integer.MAX_VALUE);
    // Ours: how long waiting configs wait after the first worker reports, to spread over arrivals.
    d.seconds("cluster_checks.arrival_window", 10, false);
    d.duration("cluster_checks.rebalance_period", Duration.ofMinutes(10), true);
    d.port("cluster_checks.clc_runners_port", 5005);

    d.str("cluster_name", "");
    d.bool("disable_cluster_name_tag_key", false);
    d.add(new Key("confd_path", Kind.STRING, "/etc/datadog-agent/conf.d", false, 0, 0,
        "a non-empty path", SettingsLoader::checkPath));
    d.seconds("autoconf_config_files_poll_interval", 0, false); // 0: no full rescans, watch events only
    d.add(new Key("log_level", Kind.STRING, "info", false, 0, 0,
        "one of trace, debug, info, warn, error, critical, off",
        v -> LOG_LEVELS.contains(v.toLowerCase(Locale.ROOT)) ? v.toLowerCase(Locale.ROOT) : null));
    d.bool("log_format_json", false);

    // 0 asks the system for a free port (tests, several replicas on one machine); the log says which.
    d.listenPort("cluster_agent.cmd_port", 5005);
    d.add(new Key("cluster_agent.cmd_host", Kind.STRING, "0.0.0.0", false, 0, 0,
        "a non-empty host or address", v -> v.isBlank() ? null : v));
    d.add(new Key("cluster_agent.auth_token", Kind.STRING, "", true, 0, 0, "a string", v -> v));
    d.str("cluster_agent.auth_token_file", "");
    d.bool("cluster_agent.allow_legacy_tls", false);
    d.bool("cluster_agent.tls_enabled", true);
    d.str("cluster_agent.tls_cert_file", "");
    d.str("cluster_agent.tls_key_file", "");
    d.integer("cluster_agent.max_leader_connections", 100, 1, Integer.MAX_VALUE);
    d.str("cluster_agent.url", "");
    d.str("cluster_agent.kubernetes_service_name", "datadog-cluster-agent");
    d.add(new Key("cluster_agent.advertise_host", Kind.STRING, "", false, 0, 0,
        "a host name or IP address, or empty", v -> v.isEmpty() || HOST.matcher(v).matches() ? v : null));
    d.listenPort("metrics_port", 5000);
    d.listenPort("health_port", 5556);

    d.bool("leader_election", false);
    d.str("leader_lease_name", "datadog-leader-election");
    d.seconds("leader_lease_duration", 60, true);
    d.bool("leader_election_release_on_shutdown", true);
    d.add(new Key("leader_election_backend", Kind.STRING, "kubernetes", false, 0, 0,
        "kubernetes or zookeeper", v -> {
          String b = v.trim().toLowerCase(Locale.ROOT);
          return ELECTION_BACKENDS.contains(b) ? b : null;
        }));
    d.add(new Key("leader_election_zookeeper.connect_string", Kind.STRING, "", false, 0, 0,
        "host:port[,host:port...][/chroot], or empty", v -> v.isEmpty() || !v.isBlank() && !v.contains(" ") ? v : null));
    d.add(new Key("leader_election_zookeeper.path", Kind.STRING, "/clusterchecks/leader", false, 0, 0,
        "an absolute ZooKeeper path such as /clusterchecks/leader",
        v -> v.startsWith("/") && v.length() > 1 && !v.endsWith("/") && !v.contains("//") && !v.contains(" ")
            ? v : null));
    d.seconds("leader_election_zookeeper.session_timeout", 30, true);
    d.list("extra_config_providers");
    d.list("extra_listeners");
    d.bool("kubernetes_use_endpoint_slices", false);
    d.str("kubernetes_kubeconfig_path", "");
    d.bool("kubernetes_endpoint_slices_ignore_readiness", false);
    d.seconds("kubernetes_informers_resync_period", 300, false);
    d.list("ad_allowed_env_vars");
    d.bool("cluster_checks.support_hybrid_ignore_ad_tags", false);
    return Collections.unmodifiableMap(d.keys);
  }

  private SettingsLoader() {}

  /** Every supported key, in Datadog's dotted form. */
  public static Set<String> knownKeys() {
    return Collections.unmodifiableSet(KEYS.keySet());
  }

  /** The environment variable for a key: {@code cluster_agent.auth_token} → {@code DD_CLUSTER_AGENT_AUTH_TOKEN}. */
  public static String envNameOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** Defaults only. */
  public static AgentSettings defaults() {
    return load(null, Map.of());
  }

  /**
   * Loads the settings.
   *
   * @param file the YAML settings file, or null for none. If given, it must exist.
   * @param env the environment, usually {@code System.getenv()}
   * @throws SettingsException when the file cannot be read or parsed, or a value is unusable
   */
  public static AgentSettings load(Path file, Map<String, String> env) {
    Map<String, Object> values = new HashMap<>();
    Map<String, String> origins = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    KEYS.values().forEach(k -> values.put(k.name(), k.defaultValue()));

    if (file != null) {
      Map<?, ?> root = readFile(file);
      applyFile(root, "", file, values, origins, warnings);
    }
    applyEnv(env, values, origins, warnings);
    return build(values, origins, warnings);
  }

  // ---------------------------------------------------------------- sources

  private static Map<?, ?> readFile(Path file) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SettingsException("settings file " + file + " does not exist");
    } catch (IOException e) {
      throw new SettingsException("cannot read settings file " + file + ": " + e, e);
    }
    Object doc;
    try {
      doc = YamlDocuments.read(content);
    } catch (JsonProcessingException e) {
      throw new SettingsException("settings file " + file + " is not valid YAML at " + YamlDocuments.describe(e));
    } catch (IOException e) {
      throw new SettingsException("cannot read settings file " + file + ": " + e, e);
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new SettingsException("settings file " + file + " must be a YAML mapping of keys, not a "
          + describeType(doc));
    }
    return map;
  }

  private static void applyFile(Map<?, ?> map, String prefix, Path file, Map<String, Object> values,
      Map<String, String> origins, List<String> warnings) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = prefix + e.getKey();
      Object raw = e.getValue();
      Key key = KEYS.get(name);
      if (key != null) {
        if (raw != null) {
          values.put(name, convert(key, raw, file.toString()));
          origins.put(name, "file " + file);
        }
      } else if (SECTIONS.contains(name)) {
        if (raw instanceof Map<?, ?> section) {
          applyFile(section, name + ".", file, values, origins, warnings);
        } else if (raw != null) {
          throw new SettingsException("invalid value for " + name + " in " + file
              + ": expected a mapping of keys, got a " + describeType(raw));
        }
      } else {
        warnings.add("unknown key " + name + " in " + file + " (ignored)");
      }
    }
  }

  private static void applyEnv(Map<String, String> env, Map<String, Object> values,
      Map<String, String> origins, List<String> warnings) {
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String var = e.getKey();
      if (!var.startsWith(ENV_PREFIX)) {
        continue;
      }
      Key key = KEYS_BY_ENV.get(var);
      if (key == null) {
        if (looksLikeOurs(var)) {
          String hint = closestEnvName(var);
          warnings.add("unknown environment variable " + var + " (ignored)"
              + (hint == null ? "" : "; did you mean " + hint + "?"));
        }
        continue;
      }
      String value = e.getValue() == null ? "" : e.getValue().trim();
      if (value.isEmpty()) {
        continue;
      }
      values.put(key.name(), convert(key, value, "environment variable " + var));
      origins.put(key.name(), "env " + var);
    }
  }

  private static boolean looksLikeOurs(String var) {
    return OUR_ENV_FAMILIES.stream().anyMatch(var::startsWith) || closestEnvName(var, 2) != null;
  }

  private static String closestEnvName(String var) {
    return closestEnvName(var, 2);
  }

  private static String closestEnvName(String var, int maxDistance) {
    String best = null;
    int bestDistance = maxDistance + 1;
    for (String candidate : KEYS_BY_ENV.keySet().stream().sorted().toList()) {
      int d = levenshtein(var, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- conversion

  private static Object convert(Key key, Object raw, String source) {
    return switch (key.kind()) {
      case BOOL -> toBool(key, raw, source);
      case INT -> toInt(key, raw, source);
      case STRING -> toStr(key, raw, source);
      case LIST -> toList(key, raw, source);
      case DURATION -> toDuration(key, raw, source);
    };
  }

  private static boolean toBool(Key key, Object raw, String source) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s) {
      if (s.trim().equalsIgnoreCase("true")) {
        return true;
      }
      if (s.trim().equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw bad(key, source, raw, "expected true or false");
  }

  private static int toInt(Key key, Object raw, String source) {
    long v;
    if (raw instanceof Integer || raw instanceof Long) {
      v = ((Number) raw).longValue();
    } else if (raw instanceof BigInteger) {
      throw bad(key, source, raw, "out of range " + key.min() + "-" + key.max());
    } else if (raw instanceof String s && WHOLE_NUMBER.matcher(s.trim()).matches()) {
      try {
        v = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw bad(key, source, raw, "out of range " + key.min() + "-" + key.max());
      }
    } else {
      throw bad(key, source, raw, key.expectation());
    }
    if (v < key.min() || v > key.max()) {
      String range = key.max() == Integer.MAX_VALUE ? "must be at least " + key.min()
          : "out of range " + key.min() + "-" + key.max();
      throw bad(key, source, raw, range);
    }
    return (int) v;
  }

  private static String toStr(Key key, Object raw, String source) {
    String s;
    if (raw instanceof String str) {
      s = str;
    } else if (raw instanceof Number || raw instanceof Boolean) {
      s = raw.toString();
    } else {
      throw bad(key, source, raw, "expected " + key.expectation() + ", got a " + describeType(raw));
    }
    String checked = key.check().apply(s);
    if (checked == null) {
      throw bad(key, source, raw, "expected " + key.expectation());
    }
    return checked;
  }

  private static List<String> toList(Key key, Object raw, String source) {
    if (raw instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object item : list) {
        if (item == null || item instanceof Map || item instanceof List) {
          throw bad(key, source, raw, "list items must be strings");
        }
        out.add(item.toString());
      }
      return List.copyOf(out);
    }
    if (raw instanceof String s) {
      return parseList(key, s, source);
    }
    throw bad(key, source, raw, "expected a list, got a " + describeType(raw));
  }

  /** A list from a string: a JSON array if it starts with {@code [}, otherwise space-separated. */
  private static List<String> parseList(Key key, String text, String source) {
    String s = text.trim();
    if (s.isEmpty()) {
      return List.of();
    }
    if (!s.startsWith("[")) {
      return List.of(s.split("\\s+"));
    }
    List<Object> items;
    try {
      items = JSON.readValue(s, new TypeReference<List<Object>>() {});
    } catch (JsonProcessingException e) {
      throw bad(key, source, text, "starts with '[' but is not a valid JSON array of strings ("
          + e.getOriginalMessage() + ")");
    }
    List<String> out = new ArrayList<>(items.size());
    for (Object item : items) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw bad(key, source, text, "JSON array items must be strings");
      }
      out.add(item.toString());
    }
    return List.copyOf(out);
  }

  private static Duration toDuration(Key key, Object raw, String source) {
    Duration d;
    if (raw instanceof Integer || raw instanceof Long) {
      d = Duration.ofSeconds(((Number) raw).longValue());
    } else if (raw instanceof String s && WHOLE_NUMBER.matcher(s.trim()).matches()) {
      try {
        d = Duration.ofSeconds(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        throw bad(key, source, raw, "out of range");
      }
    } else if (raw instanceof String s) {
      try {
        d = GoDuration.parse(s);
      } catch (IllegalArgumentException e) {
        throw bad(key, source, raw, "expected whole seconds or a duration like 90s, 10m, 1h30m");
      }
    } else {
      throw bad(key, source, raw, "expected whole seconds or a duration like 90s, 10m, 1h30m");
    }
    if (d.isNegative()) {
      throw bad(key, source, raw, "must not be negative");
    }
    if (d.isZero() && key.min() > 0) {
      throw bad(key, source, raw, "must be greater than zero");
    }
    return d;
  }

  private static SettingsException bad(Key key, Object source, Object raw, String reason) {
    String shown = key.secret() ? "(value hidden)" : quote(raw);
    return new SettingsException(
        "invalid value for " + key.name() + " from " + source + ": " + shown + ": " + reason);
  }

  private static String quote(Object raw) {
    return raw instanceof String s ? "\"" + s + "\"" : String.valueOf(raw);
  }

  private static String describeType(Object raw) {
    if (raw instanceof Map) {
      return "mapping";
    }
    if (raw instanceof List) {
      return "list";
    }
    if (raw instanceof Boolean) {
      return "boolean";
    }
    if (raw instanceof Number) {
      return "number";
    }
    return "string";
  }

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

  // ---------------------------------------------------------------- assembly

  @SuppressWarnings("unchecked")
  private static AgentSettings build(Map<String, Object> v, Map<String, String> origins, List<String> warnings) {
    Duration nodeExpiration = (Duration) v.get("cluster_checks.node_expiration_timeout");
    Duration unscheduledThreshold = (Duration) v.get("cluster_checks.unscheduled_check_threshold");
    if (unscheduledThreshold.compareTo(nodeExpiration) < 0) {
      warnings.add("cluster_checks.unscheduled_check_threshold (" + unscheduledThreshold.toSeconds()
          + "s) is lower than cluster_checks.node_expiration_timeout (" + nodeExpiration.toSeconds()
          + "s); using " + nodeExpiration.toSeconds() + "s");
      unscheduledThreshold = nodeExpiration;
    }

    if ((Boolean) v.get("cluster_checks.support_hybrid_ignore_ad_tags")) {
      warnings.add("cluster_checks.support_hybrid_ignore_ad_tags is deprecated: put ignore_autodiscovery_tags"
          + " inside the ad.datadoghq.com/<service|endpoints>.checks annotation instead");
    }
    boolean tls = (Boolean) v.get("cluster_agent.tls_enabled");
    String cert = (String) v.get("cluster_agent.tls_cert_file");
    String keyFile = (String) v.get("cluster_agent.tls_key_file");
    if (tls && cert.isEmpty() != keyFile.isEmpty()) {
      String missing = cert.isEmpty() ? "cluster_agent.tls_cert_file" : "cluster_agent.tls_key_file";
      String given = cert.isEmpty() ? "cluster_agent.tls_key_file" : "cluster_agent.tls_cert_file";
      throw new SettingsException(given + " is set (from " + origins.getOrDefault(given, "default")
          + ") but " + missing + " is not: set both, or neither to use a self-signed certificate");
    }

    ClusterChecks cc = new ClusterChecks(
        (Boolean) v.get("cluster_checks.enabled"),
        nodeExpiration,
        (Duration) v.get("cluster_checks.warmup_duration"),
        unscheduledThreshold,
        (String) v.get("cluster_checks.cluster_tag_name"),
        (List<String>) v.get("cluster_checks.extra_tags"),
        (List<String>) v.get("cluster_checks.exclude_checks"),
        (List<String>) v.get("cluster_checks.exclude_checks_from_dispatching"),
        (Boolean) v.get("cluster_checks.advanced_dispatching_enabled"),
        (Boolean) v.get("cluster_checks.rebalance_with_utilization"),
        (Integer) v.get("cluster_checks.rebalance_min_percentage_improvement"),
        (Duration) v.get("cluster_checks.rebalance_period"),
        (Integer) v.get("cluster_checks.clc_runners_port"),
        (Integer) v.get("cluster_checks.rebalance_target_percentage"),
        (Integer) v.get("cluster_checks.rebalance_trigger_percentage"),
        (Integer) v.get("cluster_checks.rebalance_fill_below_percentage"),
        (Integer) v.get("cluster_checks.rebalance_max_moves"),
        (Duration) v.get("cluster_checks.arrival_window"));
    if (cc.rebalanceTriggerPercentage() < cc.rebalanceTargetPercentage()) {
      throw new SettingsException("cluster_checks.rebalance_trigger_percentage ("
          + cc.rebalanceTriggerPercentage() + ") must be at least cluster_checks.rebalance_target_percentage ("
          + cc.rebalanceTargetPercentage() + "): runners are corrected when outside the trigger band, into the target band");
    }
    if (cc.rebalanceFillBelowPercentage() < cc.rebalanceTargetPercentage()) {
      throw new SettingsException("cluster_checks.rebalance_fill_below_percentage ("
          + cc.rebalanceFillBelowPercentage() + ") must be at least cluster_checks.rebalance_target_percentage ("
          + cc.rebalanceTargetPercentage() + "): runners are filled when below the fill band, into the target band");
    }
    ClusterAgent ca = new ClusterAgent(
        (Integer) v.get("cluster_agent.cmd_port"),
        (String) v.get("cluster_agent.cmd_host"),
        (String) v.get("cluster_agent.auth_token"),
        (String) v.get("cluster_agent.auth_token_file"),
        (Boolean) v.get("cluster_agent.allow_legacy_tls"),
        tls,
        cert,
        keyFile,
        (Integer) v.get("cluster_agent.max_leader_connections"),
        (String) v.get("cluster_agent.url"),
        (String) v.get("cluster_agent.kubernetes_service_name"),
        (String) v.get("cluster_agent.advertise_host"));
    boolean election = (Boolean) v.get("leader_election");
    String backend = (String) v.get("leader_election_backend");
    String zkConnect = (String) v.get("leader_election_zookeeper.connect_string");
    if (election && backend.equals("zookeeper") && zkConnect.isEmpty()) {
      throw new SettingsException("leader_election_backend is zookeeper (from "
          + origins.getOrDefault("leader_election_backend", "default")
          + ") but leader_election_zookeeper.connect_string is not set: give the ensemble as host:port,host:port");
    }
    LeaderElection le = new LeaderElection(
        election,
        (String) v.get("leader_lease_name"),
        (Duration) v.get("leader_lease_duration"),
        (Boolean) v.get("leader_election_release_on_shutdown"),
        backend,
        zkConnect,
        (String) v.get("leader_election_zookeeper.path"),
        (Duration) v.get("leader_election_zookeeper.session_timeout"));
    return new AgentSettings(
        cc, ca, le,
        (String) v.get("cluster_name"),
        (Boolean) v.get("disable_cluster_name_tag_key"),
        Path.of((String) v.get("confd_path")),
        (Duration) v.get("autoconf_config_files_poll_interval"),
        (String) v.get("log_level"),
        (Boolean) v.get("log_format_json"),
        (Integer) v.get("metrics_port"),
        (Integer) v.get("health_port"),
        (List<String>) v.get("extra_config_providers"),
        (List<String>) v.get("extra_listeners"),
        (Boolean) v.get("kubernetes_use_endpoint_slices"),
        new AgentSettings.Kubernetes(
            (String) v.get("kubernetes_kubeconfig_path"),
            (Boolean) v.get("kubernetes_endpoint_slices_ignore_readiness"),
            (List<String>) v.get("ad_allowed_env_vars"),
            (Boolean) v.get("cluster_checks.support_hybrid_ignore_ad_tags"),
            (Duration) v.get("kubernetes_informers_resync_period")),
        origins,
        warnings);
  }

  // ---------------------------------------------------------------- key table helpers

  /** Collects the key declarations; only {@link #declare()} uses it, once. */
  private static final class Declarations {
    final Map<String, Key> keys = new LinkedHashMap<>();

    void add(Key key) {
      if (keys.putIfAbsent(key.name(), key) != null) {
        throw new IllegalStateException("setting declared twice: " + key.name());
      }
    }

    void bool(String name, boolean def) {
      add(new Key(name, Kind.BOOL, def, false, 0, 0, "true or false", null));
    }

    void str(String name, String def) {
      add(new Key(name, Kind.STRING, def, false, 0, 0, "a string", v -> v));
    }

    void list(String name) {
      add(new Key(name, Kind.LIST, List.of(), false, 0, 0, "a list", null));
    }

    void integer(String name, int def, int min, int max) {
      add(new Key(name, Kind.INT, def, false, min, max, "expected a whole number", null));
    }

    void listenPort(String name, int def) {
      add(new Key(name, Kind.INT, def, false, 0, 65535, "expected a port number (0-65535, 0 for any free port)", null));
    }

    void port(String name, int def) {
      add(new Key(name, Kind.INT, def, false, 1, 65535, "expected a port number (1-65535)", null));
    }

    void seconds(String name, long defSeconds, boolean positive) {
      duration(name, Duration.ofSeconds(defSeconds), positive);
    }

    void duration(String name, Duration def, boolean positive) {
      add(new Key(name, Kind.DURATION, def, false, positive ? 1 : 0, 0, "a duration", null));
    }
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
