package io.clusterchecks.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a config found by autodiscovery into the copy sent to workers (docs/reference/wire-format.md section 3).
 *
 * <p>Why: workers must schedule the config as a plain check ({@code cluster_check=false}), must
 * not treat it as a template ({@code ad_identifiers} cleared), must not attach their own host
 * ({@code empty_default_hostname: true}) and must tag the cluster (extra tags merged into
 * {@code tags}). The digest of the <em>patched</em> config is the one dispatched, so dispatcher
 * and workers agree on it.
 *
 * <p>Each instance goes through yaml.v2's read-modify-marshal, as in the reference: read into a
 * generic map, {@code empty_default_hostname: true} set, marshalled (keys sorted at every depth,
 * so the new keys land in sorted place); then, when there are extra tags, read back, tags merged,
 * marshalled again. A {@code tags} list has its elements printed as Go's {@code fmt.Sprint}
 * prints them and merged with the extra tags, duplicates dropped; a {@code tags} of another type
 * is replaced by the extra tags. The reference writes the merged set in Go map order (random);
 * here it is sorted (Go's byte order), so the same set always gives the same bytes and check IDs.
 * With no extra tags, {@code tags} is left exactly as written.
 *
 * <p>The input config is never modified (configs are immutable; new instance data is built).
 */
public final class ConfigPatcher {
  /** Endpoints configs from this provider are already resolved, so their AD identifiers go. */
  public static final String CLOUD_FOUNDRY_BBS = "cloudfoundry-bbs";

  private ConfigPatcher() {}

  /**
   * Patches a cluster check: {@code cluster_check=false}, {@code ad_identifiers=null}, and in
   * every instance {@code empty_default_hostname: true} plus the extra tags.
   *
   * @throws IllegalArgumentException if an instance is not a YAML map; the caller logs and skips
   */
  public static Config patchClusterCheck(Config config, List<String> extraTags) {
    return clusterCheck(config, extraTags).config();
  }

  /**
   * Patches an endpoints check: {@code cluster_check=false}, extra tags merged, no
   * {@code empty_default_hostname} (the check targets a pod on the worker's node). AD identifiers
   * are kept except for the {@value #CLOUD_FOUNDRY_BBS} provider. With no extra tags the instance
   * bytes are passed through untouched, as the reference does.
   *
   * @throws IllegalArgumentException if an instance that needs tags is not a YAML map
   */
  public static Config patchEndpointsCheck(Config config, List<String> extraTags) {
    return endpointsCheck(config, extraTags).config();
  }

  /**
   * A patched config and, per instance, the map its YAML was emitted from, or null where the
   * instance bytes were passed through. The maps let {@link PreparedConfig} derive the digest,
   * check ID and interval without parsing the emitted YAML again; nothing may modify them.
   * {@code readsBack}, per instance: true when {@link RoundTrip#isIdentity} is already known to
   * hold for the map (false: not known), so that it is not walked again.
   */
  record Patched(Config config, List<Map<Object, Object>> instanceMaps, List<Boolean> readsBack) {}

  /** {@link #patchEndpointsCheck} for endpoints checks, else {@link #patchClusterCheck}. */
  static Patched patch(Config config, List<String> extraTags) {
    return config.isEndpointsCheck() ? endpointsCheck(config, extraTags) : clusterCheck(config, extraTags);
  }

  private static Patched clusterCheck(Config config, List<String> extraTags) {
    List<ConfigData> instances = new ArrayList<>(config.instances().size());
    List<Map<Object, Object>> maps = new ArrayList<>(config.instances().size());
    List<Boolean> readsBack = new ArrayList<>(config.instances().size());
    for (int i = 0; i < config.instances().size(); i++) {
      SimpleBlockYaml.Decoded decoded = decodeInstance(config, i);
      Map<Object, Object> map = instanceMap(config, i, decoded);
      map.put("empty_default_hostname", Boolean.TRUE); // a boolean: reads back as itself
      boolean certain = decoded.readsBack();
      if (extraTags != null && !extraTags.isEmpty()) {
        if (!certain) {
          // what the reference reads back; when the read-back check proves it is the map itself,
          // that proof is kept for the facts
          Map<Object, Object> back = reread(config, i, map);
          certain = back == map;
          map = back;
        }
        mergeTags(map, extraTags);
        certain &= RoundTrip.isIdentity(map.get("tags"));
      }
      instances.add(ConfigData.wrap(YamlV2.marshal(map)));
      maps.add(map);
      readsBack.add(certain);
    }
    Config patched = config.toBuilder()
        .initConfig(ConfigData.shared(config.initConfig()))
        .clusterCheck(false)
        .adIdentifiers(null)
        .instances(instances)
        .build();
    return new Patched(patched, maps, readsBack);
  }

  private static Patched endpointsCheck(Config config, List<String> extraTags) {
    Config.Builder b = config.toBuilder().initConfig(ConfigData.shared(config.initConfig())).clusterCheck(false);
    if (CLOUD_FOUNDRY_BBS.equals(config.provider())) {
      b.adIdentifiers(null);
    }
    List<Map<Object, Object>> maps = new ArrayList<>(config.instances().size());
    List<Boolean> readsBack = new ArrayList<>(config.instances().size());
    if (extraTags != null && !extraTags.isEmpty()) {
      List<ConfigData> instances = new ArrayList<>(config.instances().size());
      for (int i = 0; i < config.instances().size(); i++) {
        SimpleBlockYaml.Decoded decoded = decodeInstance(config, i);
        Map<Object, Object> map = instanceMap(config, i, decoded);
        mergeTags(map, extraTags);
        instances.add(ConfigData.wrap(YamlV2.marshal(map)));
        maps.add(map);
        readsBack.add(decoded.readsBack() && RoundTrip.isIdentity(map.get("tags")));
      }
      b.instances(instances);
    } else {
      config.instances().forEach(passedThrough -> {
        maps.add(null);
        readsBack.add(false);
      });
    }
    return new Patched(b.build(), maps, readsBack);
  }

  private static SimpleBlockYaml.Decoded decodeInstance(Config config, int index) {
    try {
      return GoYaml.decodeNoting(config.instances().get(index).rawBytes());
    } catch (GoYaml.YamlException e) {
      throw new IllegalArgumentException("check " + config.checkName() + ": instance #" + index
          + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** The instance's decoded value as a map to patch (an empty one for an empty document). */
  @SuppressWarnings("unchecked")
  private static Map<Object, Object> instanceMap(Config config, int index, SimpleBlockYaml.Decoded read) {
    Object decoded = read.value();
    if (decoded == null) {
      return new LinkedHashMap<>(); // empty or null document: an empty instance
    }
    if (!(decoded instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("check " + config.checkName() + ": instance #" + index
          + " is not a YAML map");
    }
    return (Map<Object, Object>) decoded;
  }

  /** The map the reference reads back from the text the first step wrote. */
  @SuppressWarnings("unchecked")
  private static Map<Object, Object> reread(Config config, int index, Map<Object, Object> written) {
    Object back;
    try {
      back = YamlV2.reread(written);
    } catch (YamlV2.SyntaxError e) {
      throw new IllegalArgumentException("check " + config.checkName() + ": instance #" + index
          + " does not read back after patching: " + e.getMessage(), e);
    }
    return back == written ? written : (Map<Object, Object>) back;
  }

  private static void mergeTags(Map<Object, Object> instance, List<String> extraTags) {
    if (extraTags == null || extraTags.isEmpty()) {
      return;
    }
    List<String> merged;
    if (instance.get("tags") instanceof List<?> existing) {
      merged = new ArrayList<>(existing.size() + extraTags.size());
      for (Object t : existing) {
        merged.add(GoYaml.sprint(t));
      }
    } else {
      merged = new ArrayList<>(extraTags.size());
    }
    merged.addAll(extraTags);
    // sorted, then equal neighbours dropped: the set a TreeSet would hold, without its entries
    // (strings compare equal only when they are equal)
    merged.sort(Digests::compareUtf8);
    int kept = 0;
    for (int i = 0; i < merged.size(); i++) {
      if (kept == 0 || !merged.get(i).equals(merged.get(kept - 1))) {
        merged.set(kept++, merged.get(i));
      }
    }
    instance.put("tags", kept == merged.size() ? merged : new ArrayList<>(merged.subList(0, kept)));
  }
}
