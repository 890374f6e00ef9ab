package io.clusterchecks.server.settings;

import tools.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads {@link AgentSettings} from an optional YAML settings file and the environment, the way the
 * Datadog Cluster Agent reads {@code datadog-cluster.yaml} and its {@code DD_*} variables. The
 * keys, their types, defaults and checks are declared in {@link Keys}; how a value of each type is
 * read is {@link SettingType}'s; the rules between keys are {@link CrossKeyRules}'.
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
  public static final String ENV_PREFIX = Setting.ENV_PREFIX;

  /** The file's nested sections: what comes before the dot of the dotted keys. */
  private static final Set<String> SECTIONS = Keys.ALL.stream().map(Setting::key).filter(k -> k.contains("."))
      .map(k -> k.substring(0, k.indexOf('.'))).collect(java.util.stream.Collectors.toUnmodifiableSet());
  private static final List<String> OUR_ENV_FAMILIES =
      List.of("DD_CLUSTER_CHECKS_", "DD_CLUSTER_AGENT_", "DD_LEADER_");

  private SettingsLoader() {}

  /** Every supported key, in Datadog's dotted form, in the order of {@link Keys}. */
  public static Set<String> knownKeys() {
    return Keys.ALL.stream().map(Setting::key).collect(java.util.stream.Collectors.toCollection(
        java.util.LinkedHashSet::new));
  }

  /** The environment variable for a key: {@code cluster_agent.auth_token} → {@code DD_CLUSTER_AGENT_AUTH_TOKEN}. */
  public static String envNameOf(String key) {
    return Setting.envNameOf(key);
  }

  /**
   * Loads the settings from the file and this process's environment: the one place the agent
   * reads its environment; everything else asks the {@link AgentSettings} it was given.
   */
  public static AgentSettings fromProcess(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Loads the settings from the file and the defaults only: no {@code DD_} variable counts. The
   * other variables of this process are kept for what is not a key ({@code %%env_X%%} in conf.d
   * files). For {@code demo}, whose settings are its own.
   */
  public static AgentSettings fromFileOnly(Path file) {
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.keySet().removeIf(name -> name.startsWith(ENV_PREFIX));
    return load(file, env);
  }

  /** Defaults only. */
  public static AgentSettings defaults() {
    return load(null, Map.of());
  }

  /**
   * Loads the settings.
   *
   * @param file the YAML settings file, or null for none. If given, it must exist.
   * @param env the environment ({@link #fromProcess} passes this process's): its {@code DD_}
   *     variables set keys, and it is kept for the variables that are not keys
   *     ({@link AgentSettings#env})
   * @throws SettingsException when the file cannot be read or parsed, or a value is unusable
   */
  public static AgentSettings load(Path file, Map<String, String> env) {
    SettingValues.Builder values = new SettingValues.Builder();
    Map<String, String> origins = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    if (file != null) {
      Map<?, ?> root = readFile(file);
      applyFile(root, "", file, values, origins, warnings);
    }
    applyEnv(env, values, origins, warnings);
    CrossKeyRules.apply(values, origins, warnings);
    return new AgentSettings(values.build(), origins, warnings, env);
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
    } catch (JacksonException e) {
      throw new SettingsException("settings file " + file + " is not valid YAML at " + YamlDocuments.describe(e));
    } catch (IOException e) {
      throw new SettingsException("cannot read settings file " + file + ": " + e, e);
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new SettingsException("settings file " + file + " must be a YAML mapping of keys, not a "
          + SettingType.describeType(doc));
    }
    return map;
  }

  private static void applyFile(Map<?, ?> map, String prefix, Path file, SettingValues.Builder values,
      Map<String, String> origins, List<String> warnings) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = prefix + e.getKey();
      Object raw = e.getValue();
      Setting<?> key = Keys.byKey(name);
      if (key != null) {
        if (raw != null) {
          set(values, key, raw, file.toString());
          origins.put(name, "file " + file);
        }
      } else if (SECTIONS.contains(name)) {
        if (raw instanceof Map<?, ?> section) {
          applyFile(section, name + ".", file, values, origins, warnings);
        } else if (raw != null) {
          throw new SettingsException("invalid value for " + name + " in " + file
              + ": expected a mapping of keys, got a " + SettingType.describeType(raw));
        }
      } else {
        warnings.add("unknown key " + name + " in " + file + " (ignored)");
      }
    }
  }

  private static void applyEnv(Map<String, String> env, SettingValues.Builder values,
      Map<String, String> origins, List<String> warnings) {
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String var = e.getKey();
      if (!var.startsWith(ENV_PREFIX)) {
        continue;
      }
      Setting<?> key = Keys.byEnvName(var);
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
      set(values, key, value, "environment variable " + var);
      origins.put(key.key(), "env " + var);
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
    for (String candidate : Keys.envNames()) {
      int d = levenshtein(var, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- conversion

  private static <T> void set(SettingValues.Builder values, Setting<T> setting, Object raw, String source) {
    values.put(setting, parse(setting, raw, source));
  }

  /** The setting's type reads the value; a refusal names the key, the source and the value. */
  private static <T> T parse(Setting<T> setting, Object raw, String source) {
    try {
      return setting.type().parse(raw);
    } catch (SettingType.Invalid e) {
      throw invalid(setting, source, raw, e.getMessage());
    }
  }

  /** The message of every unusable value: the key, where it came from, the value unless secret, why. */
  static SettingsException invalid(Setting<?> setting, String source, Object raw, String reason) {
    String shown = setting.secret() ? "(value hidden)" : raw instanceof String s ? "\"" + s + "\"" : String.valueOf(raw);
    return new SettingsException(
        "invalid value for " + setting.key() + " from " + source + ": " + shown + ": " + reason);
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
