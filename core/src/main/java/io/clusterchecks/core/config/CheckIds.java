package io.clusterchecks.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Check (instance) IDs as the Datadog agent builds them (docs/reference/wire-format.md section 4,
 * {@code check/id.BuildID}). Runners report their stats keyed by these IDs and the dispatcher
 * maps them back to configs, so they must be byte-exact with the Go agent.
 *
 * <p>The hash is FNV-1 64 ({@link Fnv1}) over the 8-byte big-endian {@link Digests#fastDigest},
 * then the raw instance bytes, then the raw {@code init_config} bytes; it is printed as lowercase
 * hex without padding. The format is {@code <check>:<instanceName>:<hex>} when the instance has a
 * name, else {@code <check>:<hex>}.
 *
 * <p>The instance name follows the agent's {@code GetNameForInstance}: the instance is decoded
 * (yaml.v2 rules) into the agent's {@code CommonInstanceConfig} struct and {@code name} is used,
 * falling back to {@code namespace}. Consequences reproduced here: a scalar name is taken
 * verbatim from the YAML text ({@code name: 1.50} gives {@code "1.50"}); and if the instance does
 * not decode into that struct at all (not a map, or a reserved field with the wrong type, e.g.
 * {@code tags: a-string} or {@code min_collection_interval: "30"}) there is no name.
 *
 * <p>Thread-safe and stateless.
 */
public final class CheckIds {
  private static final byte[] EMPTY = new byte[0];

  private CheckIds() {}

  /** {@code BuildID(checkName, fastDigest, instance, initConfig)}; null data counts as empty. */
  public static String buildId(String checkName, long fastDigest, byte[] instance, byte[] initConfig) {
    byte[] inst = instance == null ? EMPTY : instance;
    return buildId(checkName, fastDigest, inst, initConfig, instanceName(inst));
  }

  private static String buildId(String checkName, long fastDigest, byte[] instance, byte[] initConfig,
                                String name) {
    long h = Fnv1.updateLongBigEndian(Fnv1.OFFSET_BASIS, fastDigest);
    h = Fnv1.update(h, instance);
    if (initConfig != null) {
      h = Fnv1.update(h, initConfig);
    }
    String hex = Long.toHexString(h);
    return name.isEmpty() ? checkName + ":" + hex : checkName + ":" + name + ":" + hex;
  }

  /** One ID per instance of {@code config}, in instance order. */
  public static List<String> checkIds(Config config) {
    List<String> names = new ArrayList<>(config.instances().size());
    for (ConfigData instance : config.instances()) {
      names.add(instanceName(instance.rawBytes()));
    }
    return checkIds(config, names);
  }

  /**
   * {@link #checkIds(Config)} given each instance's {@link #instanceName(GoYaml.Node) name}, for
   * callers that already parsed the instances.
   */
  static List<String> checkIds(Config config, List<String> instanceNames) {
    return checkIds(config, Digests.fastDigest(config), instanceNames);
  }

  /** {@link #checkIds(Config, List)} given the config's {@link Digests#fastDigest}. */
  static List<String> checkIds(Config config, long fastDigest, List<String> instanceNames) {
    byte[] init = config.initConfig() == null ? null : config.initConfig().rawBytes();
    List<String> ids = new ArrayList<>(config.instances().size());
    for (int i = 0; i < config.instances().size(); i++) {
      ids.add(buildId(config.checkName(), fastDigest, config.instances().get(i).rawBytes(), init,
          instanceNames.get(i)));
    }
    return List.copyOf(ids);
  }

  /** The check name part of an ID: everything before the first ':'. */
  public static String checkNameOf(String checkId) {
    int colon = checkId.indexOf(':');
    return colon < 0 ? checkId : checkId.substring(0, colon);
  }

  /** {@code Data.GetNameForInstance()}: {@code name}, else {@code namespace}, else "". */
  public static String instanceName(byte[] instance) {
    try {
      return instanceName(GoYaml.parse(instance));
    } catch (GoYaml.YamlException e) {
      return "";
    }
  }

  /** {@link #instanceName(byte[])} of an instance already parsed by {@link GoYaml#parse}. */
  static String instanceName(GoYaml.Node root) {
    if (!(root instanceof GoYaml.MapNode map)) {
      return ""; // a null document has no name; any other non-map is a decode error
    }
    try {
      CommonFields f = new CommonFields();
      f.decode(map);
      if (f.typeError) {
        return "";
      }
      return !f.name.isEmpty() ? f.name : f.namespace;
    } catch (GoYaml.YamlException e) {
      return "";
    }
  }

  /** The keys {@link #instanceName(GoYaml.Node)} reads; it skips every other (string) key. */
  static final java.util.Set<String> NAME_FIELDS = java.util.Set.of("name", "namespace", "service",
      "min_collection_interval", "empty_default_hostname", "no_index", "tags");

  /** The parts of the agent's {@code CommonInstanceConfig} that decide whether a name exists. */
  private static final class CommonFields {
    String name = "";
    String namespace = "";
    boolean typeError;

    void decode(GoYaml.MapNode map) throws GoYaml.YamlException {
      List<GoYaml.Node> kv = map.keysAndValues();
      for (int i = 0; i < kv.size(); i += 2) {
        GoYaml.Node k = kv.get(i);
        GoYaml.Node v = kv.get(i + 1);
        if (GoYaml.isMerge(k)) {
          merge(v);
          continue;
        }
        if (!(k instanceof GoYaml.Scalar ks)) {
          typeError = true; // a collection cannot decode into the string field name
          continue;
        }
        String key = asString(ks);
        if (key == null) {
          continue;
        }
        switch (key) {
          case "name" -> name = stringField(v, name);
          case "namespace" -> namespace = stringField(v, namespace);
          case "service" -> stringField(v, "");
          case "min_collection_interval" -> intField(v);
          case "empty_default_hostname", "no_index" -> boolField(v);
          case "tags" -> tagsField(v);
          default -> { }
        }
      }
    }

    private void merge(GoYaml.Node v) throws GoYaml.YamlException {
      if (v instanceof GoYaml.MapNode m) {
        decode(m);
      } else if (v instanceof GoYaml.Seq q) {
        for (int i = q.items().size() - 1; i >= 0; i--) {
          if (!(q.items().get(i) instanceof GoYaml.MapNode m)) {
            throw new GoYaml.YamlException("map merge requires map or sequence of maps as the value");
          }
          decode(m);
        }
      } else {
        throw new GoYaml.YamlException("map merge requires map or sequence of maps as the value");
      }
    }

    /** A scalar decoded into a Go string: its text, "" for null; null if it cannot decode. */
    private static String asString(GoYaml.Scalar s) throws GoYaml.YamlException {
      if (GoYaml.BINARY.equals(s.tag())) {
        return GoYaml.decodeBinary(s.value());
      }
      return GoYaml.scalarValue(s) == null ? "" : s.value();
    }

    private String stringField(GoYaml.Node v, String current) throws GoYaml.YamlException {
      if (v instanceof GoYaml.Scalar s) {
        return asString(s);
      }
      typeError = true;
      return current;
    }

    private void intField(GoYaml.Node v) throws GoYaml.YamlException {
      if (!(v instanceof GoYaml.Scalar s)) {
        typeError = true;
        return;
      }
      if (s.tag() == null && !s.plainImplicit()) {
        typeError = true; // a quoted string never decodes into an int
        return;
      }
      Object r = GoYaml.scalarValue(s);
      boolean ok = r == null || r instanceof Long
          || (r instanceof Double d && d <= 0x1p63 && d >= -0x1p63);
      typeError |= !ok;
    }

    private void boolField(GoYaml.Node v) throws GoYaml.YamlException {
      if (!(v instanceof GoYaml.Scalar s)) {
        typeError = true;
        return;
      }
      Object r = (s.tag() == null && !s.plainImplicit()) ? s.value() : GoYaml.scalarValue(s);
      typeError |= !(r == null || r instanceof Boolean);
    }

    private void tagsField(GoYaml.Node v) throws GoYaml.YamlException {
      if (v instanceof GoYaml.Seq q) {
        for (GoYaml.Node item : q.items()) {
          if (!(item instanceof GoYaml.Scalar s)) {
            typeError = true;
          } else {
            asString(s);
          }
        }
      } else if (!(v instanceof GoYaml.Scalar s) || GoYaml.scalarValue(s) != null
          || (s.tag() == null && !s.plainImplicit())) {
        typeError = true;
      }
    }
  }
}
