package io.clusterchecks.server.kube;

import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.config.TemplateVariables;
import io.clusterchecks.core.config.TemplateVariables.PostProcessor;
import io.clusterchecks.core.config.TemplateVariables.Unresolved;
import io.clusterchecks.core.config.YamlV2;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resolves an {@link AdTemplate} against one target (a Service or one endpoint address): what the
 * reference's resolver does before a config reaches the dispatcher (docs/reference/kubernetes-autodiscovery.md sections 4, 5; docs/kubernetes.md, "What a worker receives from an annotation").
 *
 * <p>{@code init_config}, each instance and {@code logs} are each read with yaml.v2 (the template
 * holds JSON, which is YAML), walked for template variables in string values and marshalled again
 * with yaml.v2 ({@link TemplateVariables}), so a worker receives yaml.v2 text with sorted keys. Each
 * instance, unless the template ignores autodiscovery tags, gets the target's tags merged into its
 * {@code tags} between the walk and the marshal ({@link TemplateVariables#addTags}). Any failing
 * variable, or a part that does not read, leaves the whole template out for this target.
 *
 * <p>Variables: {@code %%host%%} and {@code %%host_<network>%%} (the target has one network, so the
 * name does not matter), {@code %%port%%} (the last port), {@code %%port_<name>%%},
 * {@code %%port_<index>%%} (0-based) and {@code %%env_<VAR>%%} (only for variables in the
 * allow-list, compared ignoring case). {@code hostname}, {@code pid}, {@code kube_*} and
 * {@code extra_*} are unsupported here, and any other name, including text between two {@code %%}
 * that is no name at all ({@code 100%% %%}), is an error. A value that is exactly one variable
 * becomes a number or a boolean when the result reads as one ({@code "%%port%%"} gives
 * {@code 8080}). An IPv6 host is put in brackets when the string is a URL with them
 * ({@link GoUrl}).
 *
 * <p>Stateless and thread-safe.
 */
public final class TemplateResolver {
  private static final String PERMILLE = "\u2030";

  private final Set<String> allowedEnvVars;
  private final Function<String, String> env;

  /**
   * @param allowedEnvVars names usable in {@code %%env_<VAR>%%}; empty disables the variable
   * @param env reads an environment variable (the agent passes {@code AgentSettings::env})
   */
  public TemplateResolver(Set<String> allowedEnvVars, Function<String, String> env) {
    this.allowedEnvVars = allowedEnvVars.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
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

  /** A template's parts as a worker receives them (before the dispatcher's patch); null where absent. */
  public record Resolved(ConfigData initConfig, List<ConfigData> instances, ConfigData logs) {
    public Resolved {
      instances = List.copyOf(instances);
    }
  }

  /** Why a template cannot be resolved; the message is shown to the user. */
  public static final class ResolveException extends Exception {
    public ResolveException(String message) {
      super(message, null, false, false);
    }
  }

  public Resolved resolve(AdTemplate template, Target target) throws ResolveException {
    TargetVariables variables = new TargetVariables(target);
    ConfigData init = part("init_config", template.initConfig(), variables, null);
    PostProcessor tags = template.ignoreAutodiscoveryTags() ? null : TemplateVariables.addTags(target.tags());
    List<ConfigData> instances = new ArrayList<>(template.instances().size());
    for (String instance : template.instances()) {
      instances.add(part("instance", instance, variables, tags));
    }
    ConfigData logs = part("logs", template.logs(), variables, null);
    return new Resolved(init, instances, logs);
  }

  private static ConfigData part(String what, String text, TargetVariables variables, PostProcessor post)
      throws ResolveException {
    if (text == null) {
      return null;
    }
    try {
      return ConfigData.of(TemplateVariables.resolve(text.getBytes(StandardCharsets.UTF_8), variables, post));
    } catch (Unresolved e) {
      throw new ResolveException(e.getMessage());
    } catch (YamlV2.SyntaxError e) {
      throw new ResolveException(what + " does not read as YAML: " + e.getMessage());
    }
  }

  /** The variables of one target. */
  private final class TargetVariables implements TemplateVariables.Variables {
    private final Target target;

    TargetVariables(Target target) {
      this.target = target;
    }

    @Override
    public String resolve(String name, String key) throws Unresolved {
      String written = "%%" + name + (key.isEmpty() ? "" : "_" + key) + "%%";
      switch (name) {
        case "host" -> {
          if (target.host() == null) {
            throw new Unresolved("cannot resolve " + written + ": " + target.noHostReason());
          }
          return target.host();
        }
        case "port" -> {
          return port(key, written);
        }
        case "env" -> {
          if (key.isEmpty()) {
            throw new Unresolved("invalid " + written + " tag: no variable name");
          }
          if (!allowedEnvVars.contains(key.toLowerCase(Locale.ROOT))) {
            throw new Unresolved(written + " is not allowed: add " + key + " to ad_allowed_env_vars");
          }
          String value = env.apply(key);
          if (value == null) {
            throw new Unresolved("failed to retrieve environment variable " + key + " for " + written);
          }
          return value;
        }
        case "hostname", "pid", "kube", "extra" ->
            throw new Unresolved(written + " is not supported for Kubernetes services and endpoints");
        default -> throw new Unresolved("invalid " + written + " tag");
      }
    }

    private String port(String key, String written) throws Unresolved {
      List<Port> ports = target.ports();
      if (ports.isEmpty()) {
        throw new Unresolved("no port found for " + written);
      }
      if (key.isEmpty()) {
        return Integer.toString(ports.get(ports.size() - 1).port());
      }
      Integer index = goAtoi(key);
      if (index != null) {
        if (index < 0 || index >= ports.size()) {
          throw new Unresolved("index given for " + written + " is out of range: there are " + ports.size()
              + " port(s)");
        }
        return Integer.toString(ports.get(index).port());
      }
      for (Port p : ports) {
        if (p.name().equals(key)) {
          return Integer.toString(p.port());
        }
      }
      throw new Unresolved("port " + key + " not found for " + written + ", ports are "
          + ports.stream().map(p -> p.name().isEmpty() ? Integer.toString(p.port()) : p.name() + "=" + p.port())
              .toList());
    }

    /**
     * With an IPv6 host, the reference first leaves the host variables in place, then brackets
     * the host when the string, with the brackets, is a URL ({@code http://[fd00::1]:80}), else
     * writes it bare. Where the reference gives up earlier (the string is no URL even with an IPv4
     * host) it sends the string with {@code %%host%%} unresolved; here the host is written bare,
     * as a check can do nothing with the variable's name.
     */
    @Override
    public Object resolveValue(String escaped) throws Unresolved {
      String host = target.host();
      if (host == null || host.indexOf(':') < 0 || !escaped.contains(PERMILLE + "host")) {
        return TemplateVariables.substitute(escaped, this);
      }
      Object hostsKept = TemplateVariables.substitute(escaped, (name, key) ->
          "host".equals(name) ? PERMILLE + "host" + (key.isEmpty() ? "" : "_" + key) + PERMILLE : resolve(name, key));
      if (hostsKept instanceof String kept && GoUrl.parses(withHost(kept, "127.0.0.1"))) {
        Object bracketed = withHost(kept, "[" + host + "]");
        if (GoUrl.parses((String) bracketed)) {
          return bracketed;
        }
      }
      return TemplateVariables.substitute(escaped, this);
    }

    private String withHost(String hostsKept, String host) throws Unresolved {
      Object s = TemplateVariables.substitute(hostsKept, (name, key) -> {
        if (!"host".equals(name)) {
          throw new Unresolved("invalid %%" + name + "%% tag");
        }
        return host;
      });
      return String.valueOf(s);
    }
  }

  /** Go's {@code strconv.Atoi}: optional sign and decimal digits fitting an int, else null. */
  private static Integer goAtoi(String s) {
    if (!s.matches("[+-]?[0-9]+")) {
      return null;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
