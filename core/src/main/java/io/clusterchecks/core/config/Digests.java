package io.clusterchecks.core.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config digests of the Datadog agent (docs/reference/wire-format.md section 4).
 *
 * <p>Why two digests: {@link #digest(Config)} identifies a config across the wire (the dispatcher
 * keys configs by it and workers report it), so it normalises each instance (YAML re-marshalled
 * with sorted keys and sorted tags) to be insensitive to key and tag order. {@link #fastDigest}
 * skips the YAML work and only seeds check IDs ({@link CheckIds}); it hashes the raw bytes.
 *
 * <p>Both feed one murmur3-64 stream (Go {@code twmb/murmur3.New64}, seed 0) with, in order: the
 * check name; each instance; the raw {@code init_config}; each AD identifier; {@code node_name};
 * the raw {@code logs}; {@code service_id}; {@code "true"}/{@code "false"} for
 * {@code ignore_autodiscovery_tags}. Absent (null) data contributes nothing, like a nil Go slice.
 * {@code cluster_check} is deliberately left out so the dispatcher and workers agree.
 *
 * <p>Instance normalisation in {@link #digest}, as the agent does it: the instance is decoded as
 * yaml.v2 would into a generic map (an instance that is not valid YAML or not a map is skipped);
 * if it has a {@code tags} key, the value must be a list (otherwise the instance is skipped, as in
 * the agent) whose elements are stringified with Go's {@code fmt.Sprint} and sorted bytewise; the
 * map is then marshalled by {@link GoYamlEmitter} (yaml.v2 v2.4.0 rules).
 *
 * <p>How exact this is: byte-exact for the YAML that check configs contain in practice (block or
 * flow maps and lists, plain/quoted strings, ints, floats, booleans, nulls, anchors and merge
 * keys). Known divergences from Go's yaml.v2, all in corner cases: (1) parsing is done by
 * SnakeYAML, whose error detection differs from libyaml's on malformed input, so an instance one
 * side rejects (and skips) the other might accept; (2) {@code fmt.Sprint} of a map-valued tag
 * orders the map keys with yaml.v2's key order instead of Go's {@code fmtsort}; (3) floats whose
 * shortest round-trip decimal lies only on the wide side of a power-of-two boundary may print with
 * one more digit; (4) {@code !!binary} values decoding to invalid UTF-8 become U+FFFD rather than
 * being re-emitted as {@code !!binary}; (5) NaN map keys collapse into one key. Divergence only
 * changes the digest's appearance: workers diff by the digest computed from the config they
 * receive with their own (Go) code, so a mismatch would make a worker see "changed" configs, while
 * check IDs (the byte-exact part) use {@link #fastDigest}, which has no YAML step.
 *
 * <p>Thread-safe and stateless.
 */
public final class Digests {
  private Digests() {}

  /** {@code Config.Digest()}: lowercase hex of {@link #intDigest}, no zero padding. */
  public static String digest(Config config) {
    return Long.toHexString(intDigest(config));
  }

  /** {@code Config.IntDigest()}: the normalised murmur3-64 digest as an unsigned 64-bit value. */
  public static long intDigest(Config config) {
    List<byte[]> normalised = new ArrayList<>(config.instances().size());
    for (ConfigData instance : config.instances()) {
      normalised.add(normaliseInstance(instance.rawBytes()));
    }
    return intDigest(config, normalised);
  }

  /**
   * {@link #digest(Config)} of a config whose instances were each marshalled by
   * {@link YamlV2#marshal} from a map: {@code marshalledFrom} holds that map per instance (null
   * where the instance's bytes came from elsewhere). Why: a file source has just decoded and
   * marshalled every instance, and decoding the text again for the digest cost as much as that.
   * An instance whose map is certain to read back as itself ({@link RoundTrip}) is normalised
   * from the map (its own bytes when its tags are already sorted strings); any other is parsed,
   * as {@link #digest(Config)} does, so the result is the same by construction.
   */
  public static String digestOfMarshalled(Config config, List<? extends Map<Object, Object>> marshalledFrom) {
    List<ConfigData> instances = config.instances();
    if (marshalledFrom.size() != instances.size()) {
      throw new IllegalArgumentException("one map per instance expected: " + instances.size());
    }
    List<byte[]> normalised = new ArrayList<>(instances.size());
    for (int i = 0; i < instances.size(); i++) {
      Map<Object, Object> map = marshalledFrom.get(i);
      byte[] raw = instances.get(i).rawBytes();
      if (map == null || raw.length >= GoYaml.codePointLimit() || !RoundTrip.isIdentity(map)) {
        normalised.add(normaliseInstance(raw));
      } else {
        normalised.add(tagsAlreadySorted(map) ? raw : normalise(map));
      }
    }
    return digest(config, normalised);
  }

  /**
   * Whether {@link #normalise} leaves a map's {@code tags} as they are: absent, or strings already
   * in order, so the map's sorted marshalled text is its normalised text.
   */
  static boolean tagsAlreadySorted(Map<Object, Object> map) {
    if (!map.containsKey("tags")) {
      return true;
    }
    if (!(map.get("tags") instanceof List<?> tags)) {
      return false;
    }
    String previous = null;
    for (Object t : tags) {
      if (!(t instanceof String s) || (previous != null && compareUtf8(previous, s) > 0)) {
        return false;
      }
      previous = s;
    }
    return true;
  }

  /**
   * {@link #digest(Config)} given each instance's {@link #normalise normalised} bytes (null for a
   * skipped instance), for callers that already decoded the instances.
   */
  static String digest(Config config, List<byte[]> normalisedInstances) {
    return Long.toHexString(intDigest(config, normalisedInstances));
  }

  private static long intDigest(Config config, List<byte[]> normalisedInstances) {
    Murmur3.Hasher h = Murmur3.newHasher();
    h.update(config.checkName());
    for (byte[] normalised : normalisedInstances) {
      if (normalised != null) {
        h.update(normalised);
      }
    }
    return finishCommon(h, config);
  }

  /** {@code Config.FastDigest()}: like {@link #intDigest} but over the raw instance bytes. */
  public static long fastDigest(Config config) {
    Murmur3.Hasher h = Murmur3.newHasher();
    h.update(config.checkName());
    for (ConfigData instance : config.instances()) {
      h.update(instance.rawBytes());
    }
    return finishCommon(h, config);
  }

  private static long finishCommon(Murmur3.Hasher h, Config config) {
    update(h, config.initConfig());
    for (String id : config.adIdentifiersOrEmpty()) {
      h.update(id);
    }
    h.update(config.nodeName());
    update(h, config.logs());
    h.update(config.serviceId());
    h.update(config.ignoreAutodiscoveryTags() ? "true" : "false");
    return h.finish();
  }

  private static void update(Murmur3.Hasher h, ConfigData data) {
    if (data != null) {
      h.update(data.rawBytes());
    }
  }

  /** The bytes the agent hashes for one instance, or null when it skips the instance. */
  static byte[] normaliseInstance(byte[] instance) {
    try {
      return normalise(GoYaml.decode(instance));
    } catch (GoYaml.YamlException e) {
      return null;
    }
  }

  /**
   * {@link #normaliseInstance} of an instance already decoded by {@link GoYaml#decode}. A
   * {@code tags} list is replaced in a copy of the map, so {@code decoded} is left as it is.
   */
  static byte[] normalise(Object decoded) {
    if (decoded == null) {
      return "{}\n".getBytes(StandardCharsets.UTF_8);
    }
    if (!(decoded instanceof Map<?, ?>)) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<Object, Object> map = (Map<Object, Object>) decoded;
    if (map.containsKey("tags")) {
      if (!(map.get("tags") instanceof List<?> raw)) {
        return null;
      }
      List<String> tags = new ArrayList<>(raw.size());
      for (Object t : raw) {
        tags.add(GoYaml.sprint(t));
      }
      tags.sort(Digests::compareUtf8);
      map = new LinkedHashMap<>(map);
      map.put("tags", tags);
    }
    return GoYamlEmitter.marshal(map, true);
  }

  /** Go's {@code sort.Strings}: bytewise UTF-8 order, i.e. code point order. */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
