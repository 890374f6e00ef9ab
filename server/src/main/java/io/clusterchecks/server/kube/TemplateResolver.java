package io.clusterchecks.server.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the template variables of an {@link AdTemplate} against one target (a Service or one
 * endpoint address) and adds the target's tags (Kubernetes behaviour doc §4, §5).
 *
 * <p>Variables, in {@code init_config}, every instance and {@code logs} (string values only):
 * {@code %%host%%} and {@code %%host_<network>%%} (the target has one network, so the name does
 * not matter), {@code %%port%%} (the last port), {@code %%port_<name>%%}, {@code %%port_<index>%%}
 * (0-based) and {@code %%env_<VAR>%%} (only for variables in the allow-list). {@code hostname},
 * {@code pid}, {@code kube_*} and {@code extra_*} are unsupported here, and any other name is an
 * error. A value that is exactly one variable becomes a number or a boolean when the result reads
 * as one ({@code "%%port%%"} gives {@code 8080}). An IPv6 host right after {@code ://} is put in
 * brackets. Text between {@code %%} that is not a variable name (spaces, other symbols) is left as
 * it is.
 *
 * <p>Tags, unless the template ignores them: merged into each instance's {@code tags} list
 * (existing string tags kept, duplicates dropped, sorted). Instances come out as compact JSON with
 * sorted keys; {@code init_config} is kept verbatim when it has no variable.
 *
 * <p>Stateless and thread-safe.
 */
public final class TemplateResolver {
  private static final Pattern VARIABLE = Pattern.compile("%%([A-Za-z0-9_.\\-]+)%%");
  private static final Pattern INTEGER = Pattern.compile("[+-]?(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)");

  private final Set<String> allowedEnvVars;
  private final Function<String, String> env;

  /**
   * @param allowedEnvVars names usable in {@code %%env_<VAR>%%}; empty disables the variable
   * @param env reads an environment variable (usually {@code System::getenv})
   */
  public TemplateResolver(Set<String> allowedEnvVars, Function<String, String> env) {
    this.allowedEnvVars = Set.copyOf(allowedEnvVars);
    this.env = Objects.requireNonNull(env, "env");
  }

  /** No {@code %%env_*%%} variable allowed. */
  public static TemplateResolver withoutEnv() {
    return new TemplateResolver(Set.of(), v -> null);
  }

  /** A port of the target. */
  public record Port(String name, int port) {
    public Port {
      name = Objects.requireNonNullElse(name, "");
    }
  }

  /**
   * What variables resolve to.
   *
   * @param host the address for {@code %%host%%}, or null when there is none
   * @param noHostReason why there is no host (shown in the error), when host is null
   * @param ports in the order {@code %%port_<index>%%} counts them; {@code %%port%%} is the last
   * @param tags the tags to add to every instance
   */
  public record Target(String host, String noHostReason, List<Port> ports, List<String> tags) {
    public Target {
      ports = List.copyOf(ports);
      tags = List.copyOf(tags);
    }
  }

  /** A template with its variables resolved. */
  public record Resolved(String initConfig, List<String> instances, String logs) {}

  /** Why a template cannot be resolved; the message is shown to the user. */
  public static final class ResolveException extends Exception {
    public ResolveException(String message) {
      super(message, null, false, false);
    }
  }

  public Resolved resolve(AdTemplate template, Target target) throws ResolveException {
    String init = null;
    if (template.initConfig() != null) {
      init = template.initConfig();
      if (init.contains("%%")) {
        init = AdAnnotations.canonical(resolveNode(parse(init), target)).toString();
      }
    }
    List<String> instances = new ArrayList<>(template.instances().size());
    for (ObjectNode instance : template.instances()) {
      ObjectNode resolved = (ObjectNode) resolveNode(instance, target);
      if (!template.ignoreAutodiscoveryTags()) {
        resolved = withTags(resolved, target.tags());
      }
      instances.add(AdAnnotations.canonical(resolved).toString());
    }
    String logs = template.logs() == null ? null
        : AdAnnotations.canonical(resolveNode(template.logs(), target)).toString();
    return new Resolved(init, instances, logs);
  }

  private static JsonNode parse(String json) throws ResolveException {
    try {
      return AdAnnotations.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ResolveException("init_config is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private JsonNode resolveNode(JsonNode node, Target target) throws ResolveException {
    if (node.isTextual()) {
      return resolveString(node.textValue(), target);
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.set(e.getKey(), resolveNode(e.getValue(), target));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : node) {
        out.add(resolveNode(item, target));
      }
      return out;
    }
    return node;
  }

  private JsonNode resolveString(String s, Target target) throws ResolveException {
    Matcher m = VARIABLE.matcher(s);
    if (!m.find()) {
      return TextNode.valueOf(s);
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    int last = 0;
    int count = 0;
    do {
      String value = variable(m.group(1), target);
      if (value.indexOf(':') >= 0 && m.group(1).startsWith("host") && s.startsWith("://", m.start() - 3)) {
        value = "[" + value + "]";
      }
      out.append(s, last, m.start()).append(value);
      last = m.end();
      count++;
    } while (m.find());
    out.append(s.substring(last));
    String result = out.toString();
    boolean wholeValue = count == 1 && VARIABLE.matcher(s).matches();
    if (wholeValue) {
      JsonNode typed = typed(result);
      if (typed != null) {
        return typed;
      }
    }
    return TextNode.valueOf(result);
  }

  /** A number or boolean when the text reads as one (Go's ParseInt base 0, then ParseBool). */
  private static JsonNode typed(String text) {
    if (INTEGER.matcher(text).matches()) {
      try {
        boolean hex = text.matches("[+-]?0[xX].*");
        String digits = hex ? text.replaceFirst("0[xX]", "") : text;
        return LongNode.valueOf(Long.parseLong(digits, hex ? 16 : 10));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return switch (text) {
      case "t", "T", "TRUE", "true", "True" -> BooleanNode.TRUE;
      case "f", "F", "FALSE", "false", "False" -> BooleanNode.FALSE;
      default -> null;
    };
  }

  private String variable(String name, Target target) throws ResolveException {
    int underscore = name.indexOf('_');
    String kind = underscore < 0 ? name : name.substring(0, underscore);
    String param = underscore < 0 ? "" : name.substring(underscore + 1);
    switch (kind) {
      case "host" -> {
        if (target.host() == null) {
          throw new ResolveException("cannot resolve %%" + name + "%%: " + target.noHostReason());
        }
        return target.host();
      }
      case "port" -> {
        List<Port> ports = target.ports();
        if (ports.isEmpty()) {
          throw new ResolveException("no port found for %%" + name + "%%");
        }
        if (param.isEmpty()) {
          return Integer.toString(ports.get(ports.size() - 1).port());
        }
        if (param.chars().allMatch(Character::isDigit)) {
          int index;
          try {
            index = Integer.parseInt(param);
          } catch (NumberFormatException e) {
            index = Integer.MAX_VALUE;
          }
          if (index >= ports.size()) {
            throw new ResolveException("index given for %%" + name + "%% is too big: there are "
                + ports.size() + " port(s)");
          }
          return Integer.toString(ports.get(index).port());
        }
        for (Port p : ports) {
          if (p.name().equals(param)) {
            return Integer.toString(p.port());
          }
        }
        throw new ResolveException("port " + param + " not found for %%" + name + "%%, ports are "
            + ports.stream().map(p -> p.name().isEmpty() ? Integer.toString(p.port()) : p.name() + "=" + p.port())
                .toList());
      }
      case "env" -> {
        if (param.isEmpty()) {
          throw new ResolveException("invalid %%" + name + "%% tag: no variable name");
        }
        if (!allowedEnvVars.contains(param)) {
          throw new ResolveException("%%" + name + "%% is not allowed: add " + param + " to ad_allowed_env_vars");
        }
        String value = env.apply(param);
        if (value == null) {
          throw new ResolveException("failed to retrieve environment variable " + param + " for %%" + name + "%%");
        }
        return value;
      }
      case "hostname", "pid", "kube", "extra" ->
          throw new ResolveException("%%" + name + "%% is not supported for Kubernetes services and endpoints");
      default -> throw new ResolveException("invalid %%" + name + "%% tag");
    }
  }

  private static ObjectNode withTags(ObjectNode instance, List<String> tags) throws ResolveException {
    if (tags.isEmpty()) {
      return instance;
    }
    Set<String> merged = new TreeSet<>();
    JsonNode existing = instance.get("tags");
    if (existing != null && !existing.isNull()) {
      if (!existing.isArray()) {
        throw new ResolveException("instance tags must be a list of strings, got " + existing);
      }
      for (JsonNode t : existing) {
        if (t.isTextual()) {
          merged.add(t.textValue());
        }
      }
    }
    merged.addAll(tags);
    ObjectNode out = instance.deepCopy();
    ArrayNode list = out.putArray("tags");
    merged.forEach(list::add);
    return out;
  }
}
