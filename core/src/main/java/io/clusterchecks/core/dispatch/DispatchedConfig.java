package io.clusterchecks.core.dispatch;

import io.clusterchecks.core.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A config as the dispatcher holds it: already patched for workers (docs/reference/wire-format.md section 3), with the digest that
 * identifies it on both sides and the check IDs that runners report stats under (docs/reference/wire-format.md section 4).
 * Computed once, off the dispatch thread, by {@link ConfigPreparer}.
 *
 * <p>A million of these are held at once, so the layout is compact (32 bytes besides the config
 * and the check IDs): the digest is kept as the 64-bit value it prints (its hex text is made when
 * asked for, and the dispatcher's indexes key on the value, {@link DigestMap}); a one-instance
 * config keeps its check ID and interval as such, not as one-element lists.
 */
public final class DispatchedConfig {
  private final Config config;
  private final long digestBits;
  /** The one check ID, or the {@link Instances} for any other instance count. */
  private final Object ids;
  /** The one interval, when {@link #ids} is a String. */
  private final int interval;

  /** Check IDs and intervals of a config without exactly one instance. */
  private record Instances(String[] ids, int[] intervals) {}

  /**
   * @param config the patched config, exactly as workers receive it
   * @param digest the digest of the patched config: lowercase hex of a 64-bit value, no padding
   * @param checkIds one check ID per instance
   * @param intervalSeconds each instance's collection interval, aligned with {@code checkIds}
   * @throws IllegalArgumentException when {@code digest} is not in that form, or the sizes differ
   */
  public DispatchedConfig(Config config, String digest, List<String> checkIds, List<Integer> intervalSeconds) {
    this.config = Objects.requireNonNull(config, "config");
    if (!DigestBits.isDigest(digest)) {
      throw new IllegalArgumentException("not a digest: " + digest);
    }
    this.digestBits = DigestBits.parse(digest);
    if (intervalSeconds.size() != checkIds.size()) {
      throw new IllegalArgumentException("one interval per check ID");
    }
    if (checkIds.size() == 1) {
      ids = Objects.requireNonNull(checkIds.get(0));
      interval = intervalSeconds.get(0);
    } else {
      String[] all = checkIds.toArray(new String[0]);
      for (String id : all) {
        Objects.requireNonNull(id);
      }
      ids = new Instances(all, intervalSeconds.stream().mapToInt(Integer::intValue).toArray());
      interval = 0;
    }
  }

  /** The patched config, exactly as workers receive it. */
  public Config config() {
    return config;
  }

  /** The digest of the patched config (a new String each call: hold on to it, or key by {@link #digestBits()}). */
  public String digest() {
    return Long.toHexString(digestBits);
  }

  /** The digest's 64-bit value: {@link #digest()} is its unsigned hex. */
  long digestBits() {
    return digestBits;
  }

  /** One check ID per instance. */
  public List<String> checkIds() {
    return ids instanceof String one ? List.of(one) : List.of(((Instances) ids).ids());
  }

  int checkIdCount() {
    return ids instanceof String ? 1 : ((Instances) ids).ids().length;
  }

  String checkId(int index) {
    if (ids instanceof String one) {
      Objects.checkIndex(index, 1);
      return one;
    }
    return ((Instances) ids).ids()[index];
  }

  /** Each instance's collection interval, aligned with {@link #checkIds()}. */
  public List<Integer> intervalSeconds() {
    return ids instanceof String ? List.of(interval) : Arrays.stream(((Instances) ids).intervals()).boxed().toList();
  }

  public String checkName() {
    return config.checkName();
  }

  public boolean isEndpointsCheck() {
    return config.isEndpointsCheck();
  }

  /** {@code name:digest}, the way logs name a config. */
  public String label() {
    return config.checkName() + ":" + digest();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DispatchedConfig other && digestBits == other.digestBits && interval == other.interval
        && config.equals(other.config) && checkIds().equals(other.checkIds())
        && intervalSeconds().equals(other.intervalSeconds());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(digestBits);
  }

  @Override
  public String toString() {
    return "DispatchedConfig[config=" + config + ", digest=" + digest() + ", checkIds=" + checkIds()
        + ", intervalSeconds=" + intervalSeconds() + "]";
  }
}
