package io.clusterchecks.core.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template-variable walk autodiscovery runs over {@code init_config}, each instance and
 * {@code logs} of every config, files included (docs/reference/wire-format.md, "Template
 * variables").
 *
 * <p>Why it matters even without variables: the walk reads each part back into a generic value
 * and marshals it again, so the bytes a worker receives are the re-marshalled ones. That is
 * invisible for ordinary parts (yaml.v2 text re-marshals to itself) but not for odd ones: every
 * {@code %%} is first turned into {@code ‰} so the text parses, string values get their
 * {@code ‰} back as {@code %%} while map keys keep it, and a {@code <<} key written by the file
 * step is read as a merge key.
 *
 * <p>Rules: a variable is {@code %%name%%} or {@code %%name_key%%} (split at the first
 * {@code _}); only string values (in maps and lists, never keys) are walked. A string that is
 * exactly one variable becomes an integer (any Go integer literal) or a boolean when its value
 * reads as one. A variable that fails ({@link Variables#resolve} throws) leaves the whole part as it
 * was, and {@link #resolve(Config, Variables)} stops there: later parts are left as they were too.
 *
 * <p>Stateless and thread-safe.
 */
public final class TemplateVariables {
  private static final char PERMILLE = '\u2030';
  private static final Pattern VARIABLE = Pattern.compile("\u2030(.+?)(?:_(.+?))?\u2030");

  private TemplateVariables() {}

  /** What the variables of one source resolve to. */
  @FunctionalInterface
  public interface Variables {
    /**
     * The value of {@code %%name_key%%} ({@code key} is "" for {@code %%name%%}).
     *
     * @throws Unresolved when the variable is unknown or has no value here
     */
    String resolve(String name, String key) throws Unresolved;

    /**
     * One string value of a part, every {@code %%} in it already turned into {@code ‰}: a string,
     * or the integer or boolean a lone variable became. Sources whose substitution depends on
     * the whole string (an IPv6 host is bracketed only inside a URL) override this and build on
     * {@link TemplateVariables#substitute}.
     */
    default Object resolveValue(String escaped) throws Unresolved {
      return substitute(escaped, this);
    }
  }

  /**
   * Changes a part's value after the walk and before it is marshalled again; autodiscovery uses
   * it to merge a service's tags into each instance.
   */
  @FunctionalInterface
  public interface PostProcessor {
    void process(Object value) throws Unresolved;
  }

  /** A variable without a value: the part it is in is left as written. */
  public static final class Unresolved extends Exception {
    private static final long serialVersionUID = 1L;

    public Unresolved(String message) {
      super(message, null, false, false);
    }
  }

  /** Only {@code %%env_X%%}, from {@code env} (null when unset): what a file config may use. */
  public static Variables envOnly(Function<String, String> env) {
    return (name, key) -> {
      if (!"env".equals(name)) {
        throw new Unresolved("invalid %%" + name + "%% tag");
      }
      if (key.isEmpty()) {
        throw new Unresolved("envvar name is missing");
      }
      String value = env.apply(key);
      if (value == null) {
        throw new Unresolved("failed to retrieve envvar " + key);
      }
      return value;
    };
  }

  /**
   * A config after the walk.
   *
   * @param error why the walk stopped early, or null when every part was walked
   */
  public record Resolved(Config config, String error) {}

  /** Walks {@code init_config}, then each instance, then {@code logs}; stops at the first failure. */
  public static Resolved resolve(Config config, Variables variables) {
    return resolve(config, null, variables);
  }

  /**
   * {@link #resolve(Config, Variables)} of a config whose parts were just marshalled by
   * {@link YamlV2#marshal}: {@code marshalledFrom} holds the value of each part in walk order
   * ({@code init_config}, each instance, {@code logs}; null where the part is null), so parts the
   * walk cannot change are not read back.
   */
  public static Resolved resolve(Config config, List<?> marshalledFrom, Variables variables) {
    List<ConfigData> parts = new ArrayList<>(config.instances().size() + 2);
    parts.add(config.initConfig());
    parts.addAll(config.instances());
    parts.add(config.logs());
    if (marshalledFrom != null && marshalledFrom.size() != parts.size()) {
      throw new IllegalArgumentException("one value per part expected: " + parts.size());
    }
    String error = null;
    for (int i = 0; i < parts.size(); i++) {
      ConfigData part = parts.get(i);
      if (part == null || part.length() == 0) {
        continue;
      }
      try {
        byte[] bytes = marshalledFrom == null
            ? resolve(part.rawBytes(), variables)
            : resolve(part.rawBytes(), marshalledFrom.get(i), variables);
        if (bytes != part.rawBytes()) {
          parts.set(i, ConfigData.of(bytes));
        }
      } catch (Unresolved | YamlV2.SyntaxError e) {
        error = e.getMessage();
        break; // this part and the ones after it stay as they were
      }
    }
    int n = parts.size();
    Config resolved = config.toBuilder()
        .initConfig(parts.get(0))
        .instances(parts.subList(1, n - 1))
        .logs(parts.get(n - 1))
        .build();
    return new Resolved(resolved, error);
  }

  /**
   * One part's bytes after the walk.
   *
   * @throws Unresolved when a variable fails (the caller keeps the part as it was)
   * @throws YamlV2.SyntaxError when the part does not read back once {@code %%} is replaced
   */
  public static byte[] resolve(byte[] data, Variables variables) throws Unresolved, YamlV2.SyntaxError {
    return resolve(data, variables, (PostProcessor) null);
  }

  /**
   * {@link #resolve(byte[], Variables)} with {@code postProcessor} (when not null) applied to the
   * walked value before it is marshalled. An empty part stays empty.
   *
   * @throws Unresolved when a variable or the post-processor fails
   */
  public static byte[] resolve(byte[] data, Variables variables, PostProcessor postProcessor)
      throws Unresolved, YamlV2.SyntaxError {
    if (data.length == 0) {
      return data;
    }
    String text = new String(data, StandardCharsets.UTF_8);
    String escaped = text.replace("%%", String.valueOf(PERMILLE));
    Object tree = walk(YamlV2.decode(escaped), variables);
    if (postProcessor != null) {
      postProcessor.process(tree);
    }
    return YamlV2.marshal(tree);
  }

  /**
   * The reference's tag adder for instances found by autodiscovery: when {@code tags} is not
   * empty and the instance is a map, its {@code tags} becomes the instance's string tags (other
   * elements dropped; a {@code tags} that is not a list counts as none) plus {@code tags},
   * without duplicates, sorted bytewise as Go's {@code sort.Strings} does.
   */
  public static PostProcessor addTags(List<String> tags) {
    List<String> added = List.copyOf(tags);
    return value -> {
      if (added.isEmpty() || !(value instanceof Map<?, ?>)) {
        return;
      }
      @SuppressWarnings("unchecked")
      Map<Object, Object> instance = (Map<Object, Object>) value;
      Set<String> merged = new TreeSet<>(Digests::compareUtf8);
      if (instance.get("tags") instanceof List<?> existing) {
        for (Object t : existing) {
          if (t instanceof String s) {
            merged.add(s);
          }
        }
      }
      merged.addAll(added);
      instance.put("tags", new ArrayList<>(merged));
    };
  }

  /**
   * {@link #resolve(byte[], Variables)} of {@code data = YamlV2.marshal(marshalledFrom)}, without
   * reading the text back when the walk cannot change it (no {@code %%}, no {@code ‰}, and a value
   * that reads back as itself).
   */
  public static byte[] resolve(byte[] data, Object marshalledFrom, Variables variables)
      throws Unresolved, YamlV2.SyntaxError {
    if (!mayChange(data) && RoundTrip.isIdentity(marshalledFrom)) {
      return data;
    }
    return resolve(data, variables);
  }

  private static boolean mayChange(byte[] data) {
    // '%' is 0x25; '‰' is E2 80 B0 in UTF-8: test for its lead byte pair.
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '%' || (data[i] == (byte) 0xE2 && i + 1 < data.length && data[i + 1] == (byte) 0x80)) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static Object walk(Object node, Variables variables) throws Unresolved {
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> m = (Map<Object, Object>) map;
      for (Map.Entry<Object, Object> e : m.entrySet()) {
        e.setValue(walk(e.getValue(), variables));
      }
      return m;
    }
    if (node instanceof List<?> list) {
      List<Object> l = (List<Object>) list;
      for (int i = 0; i < l.size(); i++) {
        l.set(i, walk(l.get(i), variables));
      }
      return l;
    }
    if (node instanceof String s) {
      Object resolved = variables.resolveValue(s);
      return resolved instanceof String r ? r.replace(String.valueOf(PERMILLE), "%%") : resolved;
    }
    return node;
  }

  /**
   * Substitutes every variable of one string whose {@code %%} are already {@code ‰}: a string, or,
   * when the string is exactly one variable, the integer (Go's {@code strconv.ParseInt(s, 0, 64)})
   * or boolean ({@code strconv.ParseBool}) its value reads as. Unconsumed {@code ‰} stay.
   */
  public static Object substitute(String in, Variables variables) throws Unresolved {
    Matcher m = VARIABLE.matcher(in);
    if (!m.find()) {
      return in;
    }
    StringBuilder out = new StringBuilder(in.length());
    int last = 0;
    int count = 0;
    boolean whole = m.start() == 0;
    do {
      out.append(in, last, m.start());
      String key = m.group(2) == null ? "" : m.group(2);
      out.append(variables.resolve(m.group(1), key));
      last = m.end();
      count++;
    } while (m.find());
    out.append(in, last, in.length());
    String s = out.toString();
    if (count == 1 && whole && last == in.length()) {
      Long n = parseGoInt(s);
      if (n != null) {
        return n;
      }
      Boolean b = parseGoBool(s);
      if (b != null) {
        return b;
      }
    }
    return s;
  }

  /** Go's {@code strconv.ParseInt(s, 0, 64)}: any Go integer literal, underscores included. */
  static Long parseGoInt(String s) {
    if (s.indexOf('_') >= 0) {
      if (!underscoresBetweenDigits(s)) {
        return null;
      }
      s = s.replace("_", "");
    }
    return GoYaml.parseGoInt(s, true) instanceof Long l ? l : null;
  }

  /** Go accepts an underscore only between two digits, or between a base prefix and a digit. */
  private static boolean underscoresBetweenDigits(String s) {
    int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    boolean hex = false;
    char previous = '^'; // '0' after a digit or prefix, '_' after an underscore, '!' otherwise
    if (s.length() - i >= 2 && s.charAt(i) == '0' && "bBoOxX".indexOf(s.charAt(i + 1)) >= 0) {
      hex = Character.toLowerCase(s.charAt(i + 1)) == 'x';
      i += 2;
      previous = '0';
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= '0' && c <= '9') || (hex && Character.digit(c, 16) >= 0)) {
        previous = '0';
      } else if (c == '_') {
        if (previous != '0') {
          return false;
        }
        previous = '_';
      } else {
        if (previous == '_') {
          return false;
        }
        previous = '!';
      }
    }
    return previous != '_';
  }

  /** Go's {@code strconv.ParseBool}. */
  private static Boolean parseGoBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
      case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
      default -> null;
    };
  }
}
