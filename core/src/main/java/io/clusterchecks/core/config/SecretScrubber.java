package io.clusterchecks.core.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Hides secrets in configs shown to people (the CLI's {@code configcheck}, the dashboard): every
 * value under a secret-looking key ({@code password}, {@code token}, {@code api_key}, ...) at any
 * depth, and passwords in URLs ({@code scheme://user:pass@host}). Workers always receive the real
 * values; only views are scrubbed.
 *
 * <p>Why by key name: checks take credentials under a few conventional option names, and a shown
 * config stays useful when everything else is kept. A false positive only hides a value. Free text
 * (a parse error, a check's last error) gets the same rules by pattern, since a parser may quote
 * the offending line.
 */
public final class SecretScrubber {
  /** What a hidden value is shown as. */
  public static final String HIDDEN = "********";
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(pass(word|wd)?|pwd|secret|token|api[_-]?key|app[_-]?key|private[_-]?key|access[_-]?key"
          + "|credential|bearer|cookie|authorization|auth|session|dsn|connection[_-]?string).*");
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^:/@\\s]*:)[^@\\s/]+@");
  private static final Pattern TEXT_SECRET = Pattern.compile(
      "(?i)((?:pass(?:word|wd)?|pwd|secret|token|api_?key|app_?key|private_?key|access_?key|credentials?|bearer"
          + "|authorization)[\"']?\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|\\S+)");

  private SecretScrubber() {}

  /** Whether a value under this map key is hidden. */
  public static boolean isSecretKey(Object key) {
    return key instanceof String s && SECRET_KEY.matcher(s).matches();
  }

  /** A config part's YAML with secrets hidden; null for null. */
  public static String scrub(ConfigData data) {
    return data == null ? null : scrubYaml(new String(data.rawBytes(), StandardCharsets.UTF_8));
  }

  /**
   * A config part with secrets hidden, as config data; null for null. A part with nothing to hide
   * is returned as it is, byte for byte, so its check ID and formatting stay those of the real
   * config: re-encoding would reorder nothing but could still change quoting and spacing.
   */
  public static ConfigData scrubData(ConfigData data) {
    if (data == null) {
      return null;
    }
    String yaml = new String(data.rawBytes(), StandardCharsets.UTF_8);
    String scrubbed;
    try {
      Object tree = YamlV2.decode(yaml);
      Object hidden = scrub(tree);
      if (Objects.equals(tree, hidden)) {
        return data;
      }
      scrubbed = YamlV2.marshalToString(hidden);
    } catch (YamlV2.SyntaxError e) {
      scrubbed = text(yaml);
      if (scrubbed.equals(yaml)) {
        return data;
      }
    }
    return ConfigData.ofText(scrubbed);
  }

  /** A copy of a config with its instances, {@code init_config} and {@code logs} scrubbed. */
  public static Config scrubConfig(Config config) {
    return config.toBuilder()
        .instances(config.instances().stream().map(SecretScrubber::scrubData).toList())
        .initConfig(scrubData(config.initConfig()))
        .logs(scrubData(config.logs()))
        .build();
  }

  /** YAML text with secrets hidden; text that does not read as YAML is masked by pattern. */
  public static String scrubYaml(String yaml) {
    try {
      Object tree = YamlV2.decode(yaml);
      return tree == null ? "" : YamlV2.marshalToString(scrub(tree));
    } catch (YamlV2.SyntaxError e) {
      return text(yaml);
    }
  }

  /** A copy of a decoded value with secrets hidden at every depth. */
  public static Object scrub(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, isSecretKey(k) && v != null ? HIDDEN : scrub(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(scrub(v)));
      return out;
    }
    if (value instanceof String s) {
      return URL_PASSWORD.matcher(s).replaceAll("$1" + HIDDEN + "@");
    }
    return value;
  }

  /** Free text with {@code key: value} secrets and URL passwords hidden; "" for null. */
  public static String text(String s) {
    if (s == null) {
      return "";
    }
    String masked = URL_PASSWORD.matcher(s).replaceAll("$1" + HIDDEN + "@");
    return TEXT_SECRET.matcher(masked).replaceAll("$1" + HIDDEN);
  }
}
