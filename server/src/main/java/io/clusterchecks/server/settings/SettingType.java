package io.clusterchecks.server.settings;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The kind of a {@link Setting}'s value: how a raw value from the file (a YAML scalar, list or
 * mapping) or the environment (a string) becomes a typed value, how the value is shown in the
 * effective settings, and how the type reads in docs/configuration.md. The rules are those of the
 * page's "Sources and precedence" section; the reasons a value is refused are worded here, once,
 * and {@link SettingsLoader} puts the key, the source and the value in front of them.
 *
 * @param <T> the value's Java type
 */
public interface SettingType<T> {

  /**
   * Reads a raw value.
   *
   * @throws Invalid with the reason, without the key (the loader adds it)
   */
  T parse(Object raw);

  /** The value as the effective settings show it (Datadog's units: seconds as whole numbers). */
  Object shown(T value);

  /** The type column of the keys table, e.g. {@code int 0–100} or {@code duration > 0}. */
  String describe();

  /** The default column of the keys table. */
  default String describeDefault(T value) {
    Object shown = shown(value);
    if (shown instanceof String s && s.isEmpty()) {
      return "\"\"";
    }
    return String.valueOf(shown);
  }

  /** A raw value this type cannot use; the message is the reason only. */
  final class Invalid extends RuntimeException {
    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /** {@code true} or {@code false}, any case. */
  static SettingType<Boolean> bool() {
    return Bool.INSTANCE;
  }

  /** A whole number in {@code [min, max]}; {@code expectation} is the reason a non-number is refused. */
  static SettingType<Integer> integer(int min, int max, String expectation) {
    return new Int(min, max, expectation);
  }

  /** Any string (a number or boolean in the file is read as its text). */
  static SettingType<String> string() {
    return new Str("string", "a string", v -> v);
  }

  /**
   * A string that {@code check} accepts: it returns the value to keep (possibly normalised), or
   * null to refuse it as not being {@code expectation}.
   */
  static SettingType<String> string(String describe, String expectation, UnaryOperator<String> check) {
    return new Str(describe, expectation, check);
  }

  /** A list of strings: a YAML list, or a string either space-separated or a JSON array. */
  static SettingType<List<String>> list() {
    return Lst.INSTANCE;
  }

  /**
   * A duration: whole seconds or a Go duration, never negative.
   *
   * @param positive zero is refused too
   * @param goFormat shown as a Go duration ({@code 10m0s}) rather than whole seconds, as Datadog
   *     writes this key
   */
  static SettingType<Duration> duration(boolean positive, boolean goFormat) {
    return new Dur(positive, goFormat);
  }

  /** Names a raw value's YAML type in messages. */
  static String describeType(Object raw) {
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

  /** Whole numbers, signed. */
  Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

  /** See {@link #bool()}. */
  enum Bool implements SettingType<Boolean> {
    INSTANCE;

    @Override
    public Boolean parse(Object raw) {
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
      throw new Invalid("expected true or false");
    }

    @Override
    public Object shown(Boolean value) {
      return value;
    }

    @Override
    public String describe() {
      return "bool";
    }
  }

  /** See {@link #integer}. */
  record Int(int min, int max, String expectation) implements SettingType<Integer> {
    @Override
    public Integer parse(Object raw) {
      long v;
      if (raw instanceof Integer || raw instanceof Long) {
        v = ((Number) raw).longValue();
      } else if (raw instanceof BigInteger) {
        throw new Invalid(range());
      } else if (raw instanceof String s && WHOLE_NUMBER.matcher(s.trim()).matches()) {
        try {
          v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
          throw new Invalid(range());
        }
      } else {
        throw new Invalid(expectation);
      }
      if (v < min || v > max) {
        throw new Invalid(max == Integer.MAX_VALUE ? "must be at least " + min : range());
      }
      return (int) v;
    }

    private String range() {
      return "out of range " + min + "-" + max;
    }

    @Override
    public Object shown(Integer value) {
      return value;
    }

    @Override
    public String describe() {
      return max == Integer.MAX_VALUE ? "int ≥ " + min : "int " + min + "–" + max;
    }
  }

  /** See {@link #string(String, String, UnaryOperator)}. */
  record Str(String describe, String expectation, UnaryOperator<String> check) implements SettingType<String> {
    @Override
    public String parse(Object raw) {
      String s;
      if (raw instanceof String str) {
        s = str;
      } else if (raw instanceof Number || raw instanceof Boolean) {
        s = raw.toString();
      } else {
        throw new Invalid("expected " + expectation + ", got a " + describeType(raw));
      }
      String checked = check.apply(s);
      if (checked == null) {
        throw new Invalid("expected " + expectation);
      }
      return checked;
    }

    @Override
    public Object shown(String value) {
      return value;
    }
  }

  /** See {@link #list()}. */
  enum Lst implements SettingType<List<String>> {
    INSTANCE;

    /**
     * Made the first time a list comes as a JSON array, which few settings files do: a mapper's
     * construction is a noticeable part of reading the settings at start, and the API makes its
     * own (docs/benchmarks.md, "Start").
     */
    private static final class Json {
      static final ObjectMapper MAPPER = new JsonMapper();
    }

    @Override
    public List<String> parse(Object raw) {
      if (raw instanceof List<?> list) {
        return strings(list, "list items must be strings");
      }
      if (raw instanceof String s) {
        return parseText(s);
      }
      throw new Invalid("expected a list, got a " + describeType(raw));
    }

    /** A list from a string: a JSON array if it starts with {@code [}, otherwise space-separated. */
    private static List<String> parseText(String text) {
      String s = text.trim();
      if (s.isEmpty()) {
        return List.of();
      }
      if (!s.startsWith("[")) {
        return List.of(s.split("\\s+"));
      }
      List<Object> items;
      try {
        items = Json.MAPPER.readValue(s, new TypeReference<List<Object>>() {});
      } catch (JacksonException e) {
        throw new Invalid("starts with '[' but is not a valid JSON array of strings ("
            + e.getOriginalMessage() + ")");
      }
      return strings(items, "JSON array items must be strings");
    }

    private static List<String> strings(List<?> items, String reason) {
      List<String> out = new ArrayList<>(items.size());
      for (Object item : items) {
        if (item == null || item instanceof Map || item instanceof List) {
          throw new Invalid(reason);
        }
        out.add(item.toString());
      }
      return List.copyOf(out);
    }

    @Override
    public Object shown(List<String> value) {
      return value;
    }

    @Override
    public String describe() {
      return "list";
    }
  }

  /** See {@link #duration}. */
  record Dur(boolean positive, boolean goFormat) implements SettingType<Duration> {
    private static final String EXPECTED = "expected whole seconds or a duration like 90s, 10m, 1h30m";

    @Override
    public Duration parse(Object raw) {
      Duration d;
      if (raw instanceof Integer || raw instanceof Long) {
        d = Duration.ofSeconds(((Number) raw).longValue());
      } else if (raw instanceof String s && WHOLE_NUMBER.matcher(s.trim()).matches()) {
        try {
          d = Duration.ofSeconds(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
          throw new Invalid("out of range");
        }
      } else if (raw instanceof String s) {
        try {
          d = GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
          throw new Invalid(EXPECTED);
        }
      } else {
        throw new Invalid(EXPECTED);
      }
      if (d.isNegative()) {
        throw new Invalid("must not be negative");
      }
      if (d.isZero() && positive) {
        throw new Invalid("must be greater than zero");
      }
      return d;
    }

    @Override
    public Object shown(Duration value) {
      return goFormat ? GoDuration.format(value) : (Object) value.toSeconds();
    }

    @Override
    public String describe() {
      return positive ? "duration > 0" : "duration ≥ 0";
    }

    /** In the key's own unit: {@code 30s} for a key in seconds, {@code 10m} for a Go duration key. */
    @Override
    public String describeDefault(Duration value) {
      if (!goFormat) {
        return value.toSeconds() + "s";
      }
      return GoDuration.format(value).replaceAll("(?<=[hm])0s$", "").replaceAll("(?<=h)0m$", "");
    }
  }
}
