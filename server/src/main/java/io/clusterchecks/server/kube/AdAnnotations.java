package io.clusterchecks.server.kube;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads the Autodiscovery annotations of a Kubernetes object into {@link AdTemplate}s
 * (docs/reference/kubernetes-autodiscovery.md sections 1, 2).
 *
 * <p>For a token ({@code service} or {@code endpoints}) the keys are {@code ad.datadoghq.com/<token>.*},
 * plus the legacy prefix {@code service-discovery.datadoghq.com/<token>.} for the v1 keys and logs:
 *
 * <ul>
 *   <li>v2 {@code <prefix>checks}: a JSON object, check name to spec ({@code name},
 *       {@code init_config} and {@code logs} kept verbatim, {@code instances},
 *       {@code ignore_autodiscovery_tags}, {@code check_tag_cardinality}). One template per check
 *       with all its instances. When present, every v1 check key is ignored, even if it is invalid.
 *   <li>v1 {@code check_names} / {@code init_configs} / {@code instances} (JSON arrays, element
 *       <i>i</i> for check <i>i</i>; an instances element may be an array of instances). One
 *       template per instance. {@code ignore_autodiscovery_tags} (a Go-style boolean) and
 *       {@code check_tag_cardinality} apply to every template. The {@code ad.datadoghq.com/}
 *       prefix wins over the legacy one.
 *   <li>{@code logs}: a JSON array; an extra logs-only template named after the first check.
 * </ul>
 *
 * <p>Everything else (instances, v1 {@code init_configs}, the {@code logs} annotation) is held as
 * the text Go's JSON encoder writes after its decoder read it ({@link GoJson}), as in the reference:
 * numbers pass through a float64 and a number beyond its range is an error.
 *
 * <p>Unlike the reference, which logs some of these and moves on, every problem is returned as an
 * error (length mismatch between the v1 arrays, an init_configs element that is not one object),
 * so the caller can show it. The error texts follow the reference where it has one. Templates are
 * ordered by check name for v2 (the reference's Go map order is random) and by position for v1.
 *
 * <p>Stateless and thread-safe.
 */
public final class AdAnnotations {
  public static final String AD_PREFIX = "ad.datadoghq.com/";
  public static final String LEGACY_PREFIX = "service-discovery.datadoghq.com/";
  public static final String SERVICE = "service";
  public static final String ENDPOINTS = "endpoints";

  static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The templates found, and the problems that kept others from being built. */
  public record Parsed(List<AdTemplate> templates, List<String> errors) {
    public Parsed {
      templates = List.copyOf(templates);
      errors = List.copyOf(errors);
    }

    public boolean isEmpty() {
      return templates.isEmpty() && errors.isEmpty();
    }
  }

  private AdAnnotations() {}

  /** True when the object carries any annotation of the token (either prefix). */
  public static boolean hasAnnotations(Map<String, String> annotations, String token) {
    if (annotations == null) {
      return false;
    }
    String ad = AD_PREFIX + token + ".";
    String legacy = LEGACY_PREFIX + token + ".";
    return annotations.keySet().stream().anyMatch(k -> k.startsWith(ad) || k.startsWith(legacy));
  }

  /**
   * Parses the annotations of one object.
   *
   * @param annotations the object's annotations; null for none
   * @param token {@link #SERVICE} or {@link #ENDPOINTS}
   * @param hybridIgnoreTags the reference's deprecated {@code cluster_checks.support_hybrid_ignore_ad_tags}:
   *     with v2, also honour the v1 {@code ignore_autodiscovery_tags} annotation
   */
  public static Parsed parse(Map<String, String> annotations, String token, boolean hybridIgnoreTags) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    String ad = AD_PREFIX + token + ".";
    String legacy = LEGACY_PREFIX + token + ".";
    List<AdTemplate> templates = new ArrayList<>();
    List<String> errors = new ArrayList<>();

    String prefix = null;
    if (a.containsKey(ad + "checks")) {
      prefix = ad;
      try {
        templates.addAll(parseV2(a.get(ad + "checks")));
        if (hybridIgnoreTags && parseGoBool(a.get(ad + "ignore_autodiscovery_tags"))) {
          templates.replaceAll(t -> new AdTemplate(t.checkName(), t.initConfig(), t.instances(), t.logs(),
              true, t.checkTagCardinality()));
        }
      } catch (AnnotationException e) {
        errors.add(e.getMessage());
      }
    } else if (a.containsKey(ad + "check_names") || a.containsKey(legacy + "check_names")) {
      prefix = a.containsKey(ad + "check_names") ? ad : legacy;
      try {
        templates.addAll(parseV1(a, prefix));
      } catch (AnnotationException e) {
        errors.add("could not extract checks config: " + e.getMessage());
      }
    }

    String logsPrefix = prefix != null ? prefix : a.containsKey(ad + "logs") ? ad : legacy;
    String logs = a.get(logsPrefix + "logs");
    if (logs != null) {
      try {
        JsonNode node = readLogs(logs);
        if (!node.isArray()) {
          throw new AnnotationException("invalid format, expected an array, got: '" + logs + "'");
        }
        String name = templates.isEmpty() ? "" : templates.get(0).checkName();
        templates.add(new AdTemplate(name, null, List.of(), goJson(node, "in logs: "), false, ""));
      } catch (AnnotationException e) {
        errors.add("could not extract logs config: " + e.getMessage());
      }
    }
    return new Parsed(templates, errors);
  }

  // ---------------------------------------------------------------- v2

  private static List<AdTemplate> parseV2(String text) throws AnnotationException {
    Map<String, AdTemplate> byKey = new TreeMap<>();
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new AnnotationException("cannot parse check configuration: expected a JSON object of checks");
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String key = p.currentName();
        p.nextToken();
        byKey.put(key, parseSpec(p, text, key));
      }
      if (p.nextToken() != null) {
        throw new AnnotationException("cannot parse check configuration: unexpected data after the JSON object");
      }
    } catch (JacksonException e) {
      throw new AnnotationException("cannot parse check configuration: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new AnnotationException("cannot parse check configuration: " + e.getMessage());
    }
    return new ArrayList<>(byKey.values());
  }

  private static AdTemplate parseSpec(JsonParser p, String text, String key) throws IOException, AnnotationException {
    String name = key;
    String initConfig = "{}";
    List<String> instances = List.of();
    String logs = null;
    boolean ignore = false;
    String cardinality = "";
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return new AdTemplate(name, initConfig, instances, null, false, "");
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new AnnotationException("cannot parse check configuration: check " + key + " is not a JSON object");
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name" -> {
          if (value == JsonToken.VALUE_STRING) {
            name = p.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            throw new AnnotationException("cannot parse check configuration: " + key + ".name is not a string");
          }
        }
        case "init_config" -> initConfig = raw(p, text);
        case "instances" -> {
          JsonNode node = p.readValueAsTree();
          instances = instanceList(node, key);
        }
        case "logs" -> logs = raw(p, text);
        case "ignore_autodiscovery_tags" -> {
          if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
            ignore = p.getBooleanValue();
          } else if (value != JsonToken.VALUE_NULL) {
            throw new AnnotationException("cannot parse check configuration: " + key
                + ".ignore_autodiscovery_tags is not a boolean");
          }
        }
        case "check_tag_cardinality" -> {
          if (value == JsonToken.VALUE_STRING) {
            cardinality = p.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            throw new AnnotationException("cannot parse check configuration: " + key
                + ".check_tag_cardinality is not a string");
          }
        }
        default -> p.skipChildren();
      }
    }
    return new AdTemplate(name, initConfig, instances, logs, ignore, cardinality);
  }

  /**
   * The current value's text exactly as written (Go's {@code json.RawMessage}: a JSON
   * {@code null} is the text {@code null}, not an absent value).
   */
  private static String raw(JsonParser p, String text) throws IOException {
    int start = (int) p.currentTokenLocation().getCharOffset();
    p.skipChildren();
    int end = (int) p.currentLocation().getCharOffset();
    return text.substring(start, end);
  }

  private static List<String> instanceList(JsonNode node, String key) throws AnnotationException {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new AnnotationException("cannot parse check configuration: " + key + ".instances is not an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isObject()) {
        throw new AnnotationException("cannot parse check configuration: " + key
            + ".instances: every instance must be a JSON object, got " + item);
      }
      out.add(goJson(item, "cannot parse check configuration: "));
    }
    return out;
  }

  /** The text the reference holds for a value it read with Go's JSON decoder. */
  private static String goJson(JsonNode node, String errorPrefix) throws AnnotationException {
    try {
      return GoJson.marshal(node);
    } catch (GoJson.OutOfRange e) {
      throw new AnnotationException(errorPrefix + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- v1

  private static List<AdTemplate> parseV1(Map<String, String> a, String prefix) throws AnnotationException {
    String namesText = a.get(prefix + "check_names");
    if (namesText == null || namesText.isBlank()) {
      throw new AnnotationException("check_names is empty");
    }
    JsonNode names = readArray(namesText, "check_names");
    String initText = a.get(prefix + "init_configs");
    if (initText == null) {
      throw new AnnotationException("missing init_configs key");
    }
    JsonNode inits = readArray(initText, "init_configs");
    String instText = a.get(prefix + "instances");
    if (instText == null) {
      throw new AnnotationException("missing instances key");
    }
    JsonNode instances = readArray(instText, "instances");
    if (names.size() != inits.size() || names.size() != instances.size()) {
      throw new AnnotationException("check_names, init_configs and instances must have the same length, got "
          + names.size() + ", " + inits.size() + " and " + instances.size());
    }
    boolean ignore = parseGoBool(a.get(prefix + "ignore_autodiscovery_tags"));
    String cardinality = Objects.requireNonNullElse(a.get(prefix + "check_tag_cardinality"), "");
    List<AdTemplate> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      JsonNode name = names.get(i);
      if (!name.isString()) {
        throw new AnnotationException("in check_names: element " + i + " is not a string");
      }
      JsonNode init = inits.get(i);
      if (init.isArray() && init.size() == 1) {
        init = init.get(0);
      }
      if (!init.isObject()) {
        throw new AnnotationException("in init_configs: element " + i
            + " must be one JSON object (or an array holding exactly one), got " + inits.get(i));
      }
      String initConfig = goJson(init, "in init_configs: ");
      JsonNode inst = instances.get(i);
      List<JsonNode> items = new ArrayList<>();
      if (inst.isArray()) {
        inst.forEach(items::add);
      } else {
        items.add(inst);
      }
      for (JsonNode item : items) {
        if (!item.isObject()) {
          throw new AnnotationException("in instances: element " + i
              + " must be a JSON object or an array of objects, got " + item);
        }
        out.add(new AdTemplate(name.asString(), initConfig, List.of(goJson(item, "in instances: ")), null, ignore,
            cardinality));
      }
    }
    return out;
  }

  private static JsonNode readArray(String text, String key) throws AnnotationException {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new AnnotationException("in " + key + ": failed to unmarshal JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isArray()) {
      throw new AnnotationException("in " + key + ": failed to unmarshal JSON: expected a JSON array");
    }
    return node;
  }

  private static JsonNode readLogs(String text) throws AnnotationException {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null) {
        throw new AnnotationException("in logs: empty");
      }
      return node;
    } catch (JacksonException e) {
      throw new AnnotationException("in logs: " + e.getOriginalMessage());
    }
  }

  /** Go's {@code strconv.ParseBool}; anything else (or absent) is false, as in the reference. */
  static boolean parseGoBool(String value) {
    if (value == null) {
      return false;
    }
    return switch (value.trim()) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      default -> false;
    };
  }

  /** A problem with an annotation; its message is shown to the user. */
  static final class AnnotationException extends Exception {
    AnnotationException(String message) {
      super(message, null, false, false);
    }
  }
}
