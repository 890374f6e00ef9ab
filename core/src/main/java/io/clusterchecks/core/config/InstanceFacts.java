package io.clusterchecks.core.config;

import java.util.List;
import java.util.Map;

/**
 * What dispatch reads from one patched instance's YAML: the bytes its digest hashes
 * ({@link Digests#normaliseInstance}, null when skipped), its name in the check ID
 * ({@link CheckIds#instanceName(byte[])}) and its collection interval
 * ({@link CollectionIntervals#seconds(ConfigData)}).
 *
 * <p>Why: each of those functions parses the instance on its own. Here the three come from one
 * node tree, and the same derivations, so the results are the same by construction.
 */
record InstanceFacts(byte[] normalised, String name, int intervalSeconds) {
  private static final InstanceFacts UNREADABLE =
      new InstanceFacts(null, "", CollectionIntervals.DEFAULT_SECONDS);

  /**
   * The facts of {@code instance}, taking the tree from {@code emittedFrom} (the map the instance
   * was emitted from, or null) when {@link RoundTrip} is certain of it, else parsing the bytes.
   * {@code readsBack}: the patcher already knows {@link RoundTrip#isIdentity} holds for
   * {@code emittedFrom} (it decoded or checked it just before), so it is not walked again.
   */
  static InstanceFacts of(ConfigData instance, Map<Object, Object> emittedFrom, boolean readsBack) {
    boolean certain = emittedFrom != null && instance.length() < GoYaml.codePointLimit()
        && (readsBack || RoundTrip.isIdentity(emittedFrom));
    GoYaml.Node root;
    if (certain) {
      // the name reads a few top-level fields only: their part of the tree is enough
      root = RoundTrip.nodeOfEntries(emittedFrom, CheckIds.NAME_FIELDS);
    } else {
      try {
        root = GoYaml.parse(instance.rawBytes());
      } catch (GoYaml.YamlException e) {
        return UNREADABLE;
      }
    }
    String name = CheckIds.instanceName(root);
    Object decoded;
    try {
      // when certain, the tree was built from emittedFrom and decodes to a map equal to it
      decoded = certain ? emittedFrom : root == null ? null : GoYaml.toGeneric(root);
    } catch (GoYaml.YamlException e) {
      return new InstanceFacts(null, name, CollectionIntervals.DEFAULT_SECONDS);
    }
    // The digest hashes the map marshalled with sorted keys and its tags sorted: when the instance
    // was just marshalled (sorted) from this very map and its tags are already sorted strings, that
    // is the instance's own bytes, and a second emit would only repeat them.
    byte[] normalised = certain && Digests.tagsAlreadySorted(emittedFrom)
        ? instance.rawBytes() : Digests.normalise(decoded);
    return new InstanceFacts(normalised, name, CollectionIntervals.seconds(decoded));
  }
}
