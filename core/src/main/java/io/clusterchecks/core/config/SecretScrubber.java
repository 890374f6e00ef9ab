package io.clusterchecks.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides the values of instance fields that look like secrets ({@code password}, {@code token},
 * {@code api_key}, ...) in config YAML shown to people: the CLI, the state answer when asked, the
 * dashboard. Workers always receive the real values; only views are scrubbed.
 *
 * <p>Why by key name: configs hold credentials under a few conventional names (the checks' own
 * option names), and a shown config stays useful when everything else is kept. Matching is on
 * whole words of the key, case-insensitive, so {@code db_password} and {@code apiKey} are hidden
 * while {@code password_file} (a path) is too, on purpose: a false positive only hides a value.
 */
public final class SecretScrubber {
  /** What a hidden value is shown as. */
  public static final String HIDDEN = "********";
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(pass(word|wd)?|secret|token|api[_-]?key|app[_-]?key|private[_-]?key|credentials?|auth).*");

  private SecretScrubber() {}

  /** Whether a value under this key is hidden. */
  public static boolean isSecretKey(Object key) {
    return key instanceof String s && SECRET_KEY.matcher(s.toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * The YAML text with secret-looking values hidden at every depth, or a placeholder when the text
   * does not read as YAML (it might then show a secret verbatim).
   */
  public static String scrub(ConfigData data) {
    if (data == null) {
      return null;
    }
    Object value;
    try {
      value = YamlV2.decode(data.rawBytes());
    } catch (YamlV2.SyntaxError e) {
      return "<not shown: not valid YAML>";
    }
    return YamlV2.marshalToString(scrub(value));
  }

  /** A copy of a decoded value with secret-looking values hidden at every depth. */
  public static Object scrub(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, isSecretKey(k) && v != null ? HIDDEN : scrub(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(SecretScrubber::scrub).toList();
    }
    return value;
  }
}
