package io.clusterchecks.server.dashboard;

import io.clusterchecks.core.config.YamlV2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets before anything reaches a browser. Instances are decoded, every value under a
 * secret-looking key ({@code password}, {@code token}, {@code api_key}, {@code secret}, ...) is
 * replaced at any depth, passwords in URLs ({@code scheme://user:pass@host}) are masked, and the
 * result is written back as YAML. Free text (parse errors, a check's last error) gets the same
 * rules by pattern, since a parser may quote the offending line.
 */
final class SecretScrubber {
  static final String MASK = "********";

  /** Key names that hold secrets; matched anywhere in the key, case-insensitively. */
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(pass(word|wd)?|pwd|secret|token|api_?key|app_?key|private_?key|access_?key|credential"
          + "|bearer|cookie|authorization|session|dsn|connection_?string).*");
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^:/@\\s]*:)[^@\\s/]+@");
  private static final Pattern TEXT_SECRET = Pattern.compile(
      "(?i)((?:pass(?:word|wd)?|pwd|secret|token|api_?key|app_?key|private_?key|access_?key|credentials?|bearer"
          + "|authorization)[\"']?\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|\\S+)");

  private SecretScrubber() {}

  static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /**
   * An instance's YAML with secrets masked, cut to {@code maxChars}. A text that does not decode
   * is masked by pattern instead.
   */
  static String instance(String yaml, int maxChars) {
    String out;
    try {
      Object tree = YamlV2.decode(yaml);
      out = tree == null ? "" : YamlV2.marshalToString(scrub(tree));
    } catch (YamlV2.SyntaxError | RuntimeException e) {
      out = text(yaml);
    }
    return cut(out, maxChars);
  }

  /** Free text with {@code key: value} secrets and URL passwords masked. */
  static String text(String s) {
    if (s == null) {
      return "";
    }
    String masked = URL_PASSWORD.matcher(s).replaceAll("$1" + MASK + "@");
    return TEXT_SECRET.matcher(masked).replaceAll("$1" + MASK);
  }

  static String cut(String s, int maxChars) {
    return s.length() <= maxChars ? s : s.substring(0, maxChars) + "...";
  }

  private static Object scrub(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, k != null && isSecretKey(String.valueOf(k)) && v != null ? MASK : scrub(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(scrub(v)));
      return out;
    }
    if (value instanceof String s) {
      return URL_PASSWORD.matcher(s).replaceAll("$1" + MASK + "@");
    }
    return value;
  }
}
