package io.clusterchecks.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A config ready to dispatch: patched by {@link ConfigPatcher} (docs/reference/wire-format.md section 3), with its {@link Digests
 * digest} (docs/reference/wire-format.md section 4), {@link CheckIds check IDs} (docs/reference/wire-format.md section 4) and {@link CollectionIntervals intervals}.
 *
 * <p>The values are exactly those of calling the patcher and then those three on the patched
 * config, byte for byte. Why not call them: each parses every instance again (three parses of YAML
 * the patcher has just written), which made preparation most of the cost of a config. Here each
 * instance is read once ({@link InstanceFacts}), and not at all when the patched YAML was emitted
 * from a map whose parse is certain ({@link RoundTrip}).
 *
 * @param config the patched config
 * @param intervalSeconds one per instance, in instance order, like {@code checkIds}
 */
public record PreparedConfig(Config config, String digest, List<String> checkIds, List<Integer> intervalSeconds) {

  /**
   * Patches {@code config} as an endpoints check when it has a node name, else as a cluster check,
   * and derives the rest.
   *
   * @throws IllegalArgumentException when the patcher refuses an instance
   */
  public static PreparedConfig of(Config config, List<String> extraTags) {
    ConfigPatcher.Patched patched = ConfigPatcher.patch(config, extraTags);
    Config out = patched.config();
    int n = out.instances().size();
    List<byte[]> normalised = new ArrayList<>(n);
    List<String> names = new ArrayList<>(n);
    List<Integer> intervals = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      InstanceFacts f = InstanceFacts.of(out.instances().get(i), patched.instanceMaps().get(i),
          patched.readsBack().get(i));
      normalised.add(f.normalised());
      names.add(f.name());
      intervals.add(f.intervalSeconds());
    }
    long fastDigest = Digests.fastDigest(out);
    // The digest hashes what the fast digest hashes but with each instance normalised; when every
    // instance is its own normalised text (the patcher wrote it sorted, tags sorted), they are one hash.
    boolean asWritten = true;
    for (int i = 0; i < n && asWritten; i++) {
      asWritten = normalised.get(i) == out.instances().get(i).rawBytes();
    }
    String digest = asWritten ? Long.toHexString(fastDigest) : Digests.digest(out, normalised);
    return new PreparedConfig(out, digest, CheckIds.checkIds(out, fastDigest, names), List.copyOf(intervals));
  }
}
