package io.clusterchecks.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.core.config.Config;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact indexes of the dispatcher ({@link DigestMap}, {@link CheckIdIndex}) behave as the
 * {@code LinkedHashMap} and {@code HashMap} they replace: random adds, replaces, removes and
 * lookups, compared with the JDK map after every step, over few digests (so probe chains collide,
 * wrap around the table and close up on removal) and over many.
 */
class DigestMapTest {
  private static final Config CONFIG = Config.builder("c").build();

  private static DispatchedConfig config(long digest, String checkId) {
    return new DispatchedConfig(CONFIG, Long.toHexString(digest), List.of(checkId), List.of(15));
  }

  @Test
  void digestMapBehavesAsALinkedHashMapInInsertionOrder() {
    for (int seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      int distinct = seed % 2 == 0 ? 40 : 5_000;
      DigestMap<Integer> ours = DigestMap.map();
      DigestMap<DispatchedConfig> set = DigestMap.set();
      Map<String, Integer> theirs = new LinkedHashMap<>();
      Map<String, DispatchedConfig> theirSet = new LinkedHashMap<>();
      for (int step = 0; step < 20_000; step++) {
        // Negative values and values past 2^63 print as 16 hex digits; small ones as few.
        long digest = r.nextInt(distinct) * (seed % 3 == 0 ? 0x9e3779b97f4a7c15L : 1L);
        DispatchedConfig dc = config(digest, "c:" + step);
        String hex = Long.toHexString(digest);
        switch (r.nextInt(4)) {
          case 0 -> {
            assertThat(ours.putIfAbsent(dc, step)).isEqualTo(!theirs.containsKey(hex));
            theirs.putIfAbsent(hex, step);
            assertThat(set.putIfAbsent(dc, dc)).isEqualTo(theirSet.putIfAbsent(hex, dc) == null);
          }
          case 1 -> {
            assertThat(ours.put(dc, step)).isEqualTo(theirs.put(hex, step));
            assertThat(set.put(dc, dc)).isSameAs(theirSet.put(hex, dc));
          }
          case 2 -> {
            assertThat(ours.remove(digest)).isEqualTo(theirs.remove(hex));
            assertThat(set.remove(hex)).isSameAs(theirSet.remove(hex));
          }
          default -> {
            assertThat(ours.get(digest)).isEqualTo(theirs.get(hex));
            assertThat(ours.containsKey(hex)).isEqualTo(theirs.containsKey(hex));
            assertThat(set.get(hex)).isSameAs(theirSet.get(hex));
          }
        }
        assertThat(ours.size()).isEqualTo(theirs.size());
        if (step % 997 == 0 || theirs.size() < 3) {
          assertThat(new ArrayList<>(ours.values())).isEqualTo(new ArrayList<>(theirs.values()));
          assertThat(new ArrayList<>(set.values())).containsExactlyElementsOf(theirSet.values());
        }
      }
      assertThat(new ArrayList<>(ours.values())).isEqualTo(new ArrayList<>(theirs.values()));
    }
  }

  @Test
  void takingTheOldestAgainAndAgainKeepsTheOrderOfTheRest() {
    DigestMap<DispatchedConfig> set = DigestMap.set();
    for (long d = 1; d <= 1_000; d++) {
      set.putIfAbsent(config(d, "c:" + d), null);
    }
    for (long d = 1; d <= 990; d++) {
      DispatchedConfig oldest = set.values().iterator().next();
      assertThat(oldest.digest()).isEqualTo(Long.toHexString(d));
      assertThat(set.remove(oldest.digest())).isSameAs(oldest);
    }
    set.putIfAbsent(config(5, "c:again"), null);
    assertThat(set.values()).extracting(DispatchedConfig::digest)
        .containsExactly("3df", "3e0", "3e1", "3e2", "3e3", "3e4", "3e5", "3e6", "3e7", "3e8", "5");
  }

  @Test
  void textThatIsNotExactlyADigestNamesNoConfig() {
    DigestMap<DispatchedConfig> set = DigestMap.set();
    DispatchedConfig dc = config(0xabcL, "c:x");
    set.putIfAbsent(dc, dc);
    assertThat(set.get("abc")).isSameAs(dc);
    // The same value written otherwise is not the digest: Go prints it lowercase, unpadded.
    assertThat(set.get("ABC")).isNull();
    assertThat(set.get("0abc")).isNull();
    assertThat(set.get("+abc")).isNull();
    assertThat(set.get("c:x")).isNull();
    assertThat(set.get("")).isNull();
    assertThat(set.remove("0abc")).isNull();
    assertThat(set.size()).isEqualTo(1);
  }

  @Test
  void changingTheMapDuringAnIterationFailsFast() {
    DigestMap<DispatchedConfig> set = DigestMap.set();
    for (long d = 1; d <= 3; d++) {
      set.putIfAbsent(config(d, "c:" + d), null);
    }
    assertThatThrownBy(() -> {
      for (DispatchedConfig dc : set.values()) {
        set.remove(dc.digest());
      }
    }).isInstanceOf(ConcurrentModificationException.class);
  }

  @Test
  void checkIdIndexBehavesAsAHashMapWhoseRemovalNeedsTheSameConfig() {
    for (int seed = 0; seed < 10; seed++) {
      Random r = new Random(seed);
      int distinct = seed % 2 == 0 ? 30 : 3_000;
      CheckIdIndex ours = new CheckIdIndex();
      Map<String, DispatchedConfig> theirs = new java.util.HashMap<>();
      for (int step = 0; step < 20_000; step++) {
        String id = "http_check:svc-" + r.nextInt(distinct) + ":abc";
        DispatchedConfig dc = config(r.nextInt(4), id);
        switch (r.nextInt(3)) {
          case 0 -> {
            ours.put(id, dc);
            theirs.put(id, dc);
          }
          case 1 -> {
            ours.remove(id, dc);
            DispatchedConfig held = theirs.get(id);
            if (held != null && held.digest().equals(dc.digest())) {
              theirs.remove(id);
            }
          }
          default -> assertThat(ours.get(id)).isSameAs(theirs.get(id));
        }
      }
      for (String id : theirs.keySet()) {
        assertThat(ours.get(id)).isSameAs(theirs.get(id));
      }
    }
  }
}
