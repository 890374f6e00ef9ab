package io.clusterchecks.server.confd;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.config.TemplateVariables;
import io.clusterchecks.core.config.YamlV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one conf.d file into a {@link Config}, byte for byte as the Datadog agent's file provider
 * does (docs/reference/wire-format.md, "From a conf.d file to the bytes a worker receives"),
 * keeping only cluster checks.
 *
 * <p>The file is read with yaml.v2's rules ({@link YamlV2}); its top level is then read the way
 * yaml.v2 fills the provider's typed file format: a field of the wrong type ({@code instances: x},
 * {@code cluster_check: "true"}, an instance that is not a map) makes the whole file
 * {@link Invalid}, as in the reference. Each part a worker receives is yaml.v2's marshalled text
 * (keys sorted at every depth), never the file's text:
 *
 * <ul>
 *   <li>each instance on its own ({@code ~} as an instance is an empty map, {@code {}\n});
 *   <li>{@code init_config}: absent, empty or {@code ~} gives no bytes (JSON {@code null}),
 *       anything else its marshalled text ({@code {}} gives {@code {}\n});
 *   <li>{@code logs} wrapped under a {@code logs:} key, the shape the worker's logs component reads;
 *   <li>{@code jmx_metrics} as {@code metric_config};
 * </ul>
 *
 * <p>then every part goes through the {@code %%env_X%%} walk ({@link TemplateVariables}). The config
 * has {@code cluster_check=true}, provider {@code file} and source {@code file:<absolute path>}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfdFileParser {
  /** Provider name of configs from conf.d, as in the reference. */
  public static final String PROVIDER = "file";
  /** The reference's words for a file that yields nothing to run. */
  static final String NO_INSTANCES = "Configuration file contains no valid instances";
  static final String DOCKER_IMAGES = "the 'docker_images' section is deprecated, please use 'ad_identifiers' instead";

  /** What a file holds. */
  public sealed interface Result {}

  /**
   * A cluster check config.
   *
   * @param digest {@link Digests#digest} of {@code config}, worked out from the values the parser
   *     decoded rather than by reading the instances again
   * @param templateError why the {@code %%env_X%%} walk left parts as written, or null
   */
  public record Loaded(Config config, String digest, String templateError) implements Result {}

  /** A valid file that is not a cluster check config (no top-level {@code cluster_check: true}). */
  public record Ignored(String reason) implements Result {}

  /** An empty file (nothing but whitespace or comments): possibly a save in progress. */
  public record Empty() implements Result {}

  /**
   * A file that cannot be used: bad YAML or a bad shape.
   *
   * @param line 1-based line of a YAML syntax error, or -1
   * @param column 1-based column of a YAML syntax error, or -1
   */
  public record Invalid(String message, int line, int column) implements Result {
    static Invalid of(String message) {
      return new Invalid(message, -1, -1);
    }
  }

  /** A top-level field whose value yaml.v2 cannot put into the file format's typed field. */
  private static final class WrongType extends Exception {
    private static final long serialVersionUID = 1L;

    WrongType(String message) {
      super(message, null, false, false);
    }
  }

  private ConfdFileParser() {}

  /** {@link #parse(Path, String, byte[], TemplateVariables.Variables)} with no environment variable set. */
  public static Result parse(Path file, String checkName, byte[] content) {
    return parse(file, checkName, content, TemplateVariables.envOnly(name -> null));
  }

  /**
   * Parses one file's bytes.
   *
   * @param file the file's absolute path, used for {@code source}
   * @param checkName the check name from the conf.d layout
   * @param variables what {@code %%env_X%%} resolves to
   */
  public static Result parse(Path file, String checkName, byte[] content, TemplateVariables.Variables variables) {
    Object doc;
    try {
      doc = YamlV2.decode(content);
    } catch (YamlV2.SyntaxError e) {
      String at = e.line() > 0 ? "line " + e.line() + ", column " + e.column() + ": " : "";
      return new Invalid("invalid YAML at " + at + e.getMessage(), e.line(), e.column());
    }
    if (doc == null) {
      return new Empty();
    }
    if (!(doc instanceof Map<?, ?> top)) {
      return Invalid.of("top level is not a mapping of keys");
    }
    try {
      return parse(file, checkName, top, variables);
    } catch (WrongType e) {
      return Invalid.of(e.getMessage());
    }
  }

  private static Result parse(Path file, String checkName, Map<?, ?> top, TemplateVariables.Variables variables)
      throws WrongType {
    boolean clusterCheck = bool(top, "cluster_check");
    List<Object> instances = instances(top.get("instances"));
    List<String> adIdentifiers = strings(top, "ad_identifiers");
    List<String> dockerImages = strings(top, "docker_images");
    boolean ignoreAdTags = bool(top, "ignore_autodiscovery_tags");
    String cardinality = string(top, "check_tag_cardinality");
    Object advanced = top.get("advanced_ad_identifiers");
    if (advanced != null && !(advanced instanceof List<?>)) {
      throw new WrongType("advanced_ad_identifiers is not a list");
    }
    Object init = top.get("init_config");
    Object metrics = top.get("jmx_metrics");
    Object logs = top.get("logs");
    if (!clusterCheck) {
      return new Ignored("no top-level cluster_check: true");
    }
    if (metrics == null && logs == null && instances.isEmpty()) {
      return Invalid.of(NO_INSTANCES);
    }
    if (!dockerImages.isEmpty() && adIdentifiers.isEmpty()) {
      return Invalid.of(DOCKER_IMAGES);
    }
    if (advanced instanceof List<?> a && !a.isEmpty()) {
      return new Ignored("advanced_ad_identifiers: a template for Kubernetes services or endpoints,"
          + " not a cluster check of its own");
    }

    List<Object> values = new ArrayList<>(instances.size() + 2);
    values.add(init);
    List<ConfigData> instanceData = new ArrayList<>(instances.size());
    List<Map<Object, Object>> instanceMaps = new ArrayList<>(instances.size());
    for (Object instance : instances) {
      @SuppressWarnings("unchecked") // instances() let through maps and nulls only
      Map<Object, Object> map = instance == null ? new LinkedHashMap<>() : (Map<Object, Object>) instance;
      values.add(map);
      instanceMaps.add(map);
      instanceData.add(ConfigData.of(YamlV2.marshal(map)));
    }
    Map<Object, Object> logsSection = null;
    if (logs != null) {
      logsSection = new LinkedHashMap<>();
      logsSection.put("logs", logs);
    }
    values.add(logsSection);
    Config config = Config.builder(checkName)
        .instances(instanceData)
        .initConfig(init == null ? null : ConfigData.of(YamlV2.marshal(init)))
        .metricConfig(metrics == null ? null : ConfigData.of(YamlV2.marshal(metrics)))
        .logs(logsSection == null ? null : ConfigData.of(YamlV2.marshal(logsSection)))
        .adIdentifiers(adIdentifiers)
        .ignoreAutodiscoveryTags(ignoreAdTags)
        .checkTagCardinality(cardinality)
        .clusterCheck(true)
        .provider(PROVIDER)
        .source(PROVIDER + ":" + file)
        .build();
    TemplateVariables.Resolved resolved = TemplateVariables.resolve(config, values, variables);
    List<ConfigData> written = resolved.config().instances();
    for (int i = 0; i < written.size(); i++) {
      if (!written.get(i).equals(instanceData.get(i))) {
        instanceMaps.set(i, null); // the walk substituted a variable: the map is no longer its text
      }
    }
    return new Loaded(resolved.config(), Digests.digestOfMarshalled(resolved.config(), instanceMaps),
        resolved.error());
  }

  /** {@code []integration.RawMap}: a list of maps (a {@code ~} element is an empty map). */
  private static List<Object> instances(Object raw) throws WrongType {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw new WrongType("instances is not a list");
    }
    for (int i = 0; i < list.size(); i++) {
      Object instance = list.get(i);
      if (instance != null && !(instance instanceof Map<?, ?>)) {
        throw new WrongType("instance #" + (i + 1) + " is not a mapping of keys");
      }
    }
    return new ArrayList<>(list);
  }

  /** A Go {@code bool} field: absent or {@code ~} is false; only a YAML boolean fits. */
  private static boolean bool(Map<?, ?> top, String key) throws WrongType {
    Object v = top.get(key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new WrongType(key + " is not a boolean (true or false): " + YamlV2.sprint(v));
  }

  /** A Go {@code string} field: any scalar gives its text, a collection does not fit. */
  private static String string(Map<?, ?> top, String key) throws WrongType {
    Object v = top.get(key);
    if (v == null) {
      return "";
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      throw new WrongType(key + " is not a string");
    }
    return YamlV2.sprint(v);
  }

  /** A Go {@code []string} field: a list of scalars ({@code ~} elements give ""). */
  private static List<String> strings(Map<?, ?> top, String key) throws WrongType {
    Object v = top.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new WrongType(key + " is not a list");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (item instanceof Map<?, ?> || item instanceof List<?>) {
        throw new WrongType(key + " holds something other than strings");
      }
      out.add(item == null ? "" : YamlV2.sprint(item));
    }
    return out;
  }
}
