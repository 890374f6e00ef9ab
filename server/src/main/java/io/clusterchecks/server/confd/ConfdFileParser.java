package io.clusterchecks.server.confd;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigData;
import io.clusterchecks.server.settings.YamlDocuments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one conf.d file into a {@link Config}, the way the Datadog Agent's file provider reads
 * check configs, keeping only cluster checks.
 *
 * <p>A file is a cluster check config when its top level is a mapping with {@code cluster_check:
 * true} (a YAML boolean). It must then have a non-empty {@code instances} list of mappings (else it
 * is {@link Invalid}), and yields one
 * config with all its instances:
 *
 * <ul>
 *   <li>each instance re-serialised on its own as a YAML document with keys sorted at every level
 *       (Datadog's yaml.v2 also sorts map keys), so bytes depend only on the content: comments,
 *       key order and formatting do not change the config. String values are always
 *       double-quoted: plain scalars such as {@code 12:30}, {@code 2024-01-01} or {@code =} would
 *       read back as other types (or fail) in YAML 1.1 parsers like the Python checks' PyYAML;
 *   <li>{@code init_config} serialised the same way; a missing, empty ({@code init_config:}) or
 *       {@code {}} section becomes the two bytes {@code {}} (what checks read it as, and the bytes
 *       the reference sends for non-file configs) rather than the reference's {@code null};
 *   <li>{@code logs} serialised the same way, or null when absent;
 *   <li>{@code ad_identifiers}, {@code ignore_autodiscovery_tags} and {@code check_tag_cardinality}
 *       copied when present;
 *   <li>{@code cluster_check=true}, provider {@code file}, source {@code file:<absolute path>}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfdFileParser {
  /** Provider name of configs from conf.d, as in the reference. */
  public static final String PROVIDER = "file";

  private static final ObjectMapper WRITER = YAMLMapper.builder(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build())
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  private static final ConfigData EMPTY_INIT_CONFIG = ConfigData.ofText("{}");

  /** What a file holds. */
  public sealed interface Result {}

  /** A cluster check config. */
  public record Loaded(Config config) implements Result {}

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
  public record Invalid(String message, int line, int column) implements Result {}

  private ConfdFileParser() {}

  /**
   * Parses one file's bytes.
   *
   * @param file the file's absolute path, used for {@code source}
   * @param checkName the check name from the conf.d layout
   */
  public static Result parse(Path file, String checkName, byte[] content) {
    Object doc;
    try {
      doc = YamlDocuments.read(content);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      int line = loc == null ? -1 : loc.getLineNr();
      int column = loc == null ? -1 : loc.getColumnNr();
      return new Invalid("invalid YAML at " + YamlDocuments.describe(e), line, column);
    } catch (IOException e) {
      return new Invalid("cannot parse: " + e.getMessage(), -1, -1);
    }
    if (doc == null) {
      return new Empty();
    }
    if (!(doc instanceof Map<?, ?> top)) {
      return new Invalid("top level is not a mapping of keys", -1, -1);
    }
    if (!Boolean.TRUE.equals(top.get("cluster_check"))) {
      return new Ignored("no top-level cluster_check: true");
    }
    Object instancesRaw = top.get("instances");
    if (!(instancesRaw instanceof List<?> instanceList) || instanceList.isEmpty()) {
      return new Invalid(instancesRaw == null || instancesRaw instanceof List
          ? "cluster_check: true but no instances" : "instances is not a list", -1, -1);
    }
    try {
      List<ConfigData> instances = new ArrayList<>(instanceList.size());
      for (int i = 0; i < instanceList.size(); i++) {
        Object instance = instanceList.get(i);
        if (!(instance instanceof Map)) {
          return new Invalid("instance #" + (i + 1) + " is not a mapping of keys", -1, -1);
        }
        instances.add(toYaml(instance));
      }
      Object init = top.get("init_config");
      Object logs = top.get("logs");
      Object adIds = top.get("ad_identifiers");
      List<String> adIdentifiers = null;
      if (adIds instanceof List<?> ids) {
        adIdentifiers = ids.stream().map(String::valueOf).toList();
      } else if (adIds != null) {
        return new Invalid("ad_identifiers is not a list", -1, -1);
      }
      Object ignoreAdTags = top.get("ignore_autodiscovery_tags");
      Object cardinality = top.get("check_tag_cardinality");
      Config config = Config.builder(checkName)
          .instances(instances)
          .initConfig(init == null || (init instanceof Map<?, ?> m && m.isEmpty()) ? EMPTY_INIT_CONFIG : toYaml(init))
          .logs(logs == null ? null : toYaml(logs))
          .adIdentifiers(adIdentifiers)
          .ignoreAutodiscoveryTags(Boolean.TRUE.equals(ignoreAdTags))
          .checkTagCardinality(cardinality == null ? "" : cardinality.toString())
          .clusterCheck(true)
          .provider(PROVIDER)
          .source(PROVIDER + ":" + file)
          .build();
      return new Loaded(config);
    } catch (JsonProcessingException e) {
      return new Invalid("cannot re-serialise: " + YamlDocuments.describe(e), -1, -1);
    }
  }

  /** One value as its own YAML document, keys sorted: the deterministic bytes of a config section. */
  static ConfigData toYaml(Object value) throws JsonProcessingException {
    return ConfigData.of(WRITER.writeValueAsBytes(value));
  }
}
