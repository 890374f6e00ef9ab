package io.clusterchecks.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** OTel consistent-hashing as described (docs/reference/peer-dispatchers.md sections 1, 2). */
class BoundedLoadRingTest {
  private static List<String> members(int n) {
    return IntStream.range(0, n).mapToObj(i -> "collector-" + i).toList();
  }

  @Test
  void partitionsPerMemberAreBounded() {
    BoundedLoadRing ring = new BoundedLoadRing(members(10));
    assertThat(ring.bound()).isEqualTo(117); // ⌈⌊1061 / 10⌋ × 1.1⌉
    int sum = 0;
    for (int m = 0; m < 10; m++) {
      assertThat(ring.partitionsOf(m)).isLessThanOrEqualTo(117);
      sum += ring.partitionsOf(m);
    }
    assertThat(sum).isEqualTo(1061);
  }

  @Test
  void ownerDoesNotDependOnMemberOrder() {
    List<String> ms = new ArrayList<>(members(50));
    BoundedLoadRing a = new BoundedLoadRing(ms);
    List<String> shuffled = new ArrayList<>(ms);
    Collections.reverse(shuffled);
    BoundedLoadRing b = new BoundedLoadRing(shuffled);
    for (int i = 0; i < 1000; i++) {
      String key = "target-" + i;
      assertThat(shuffled.get(b.locate(key))).isEqualTo(ms.get(a.locate(key)));
    }
  }

  @Test
  void moreMembersThanPartitionsLeavesMembersIdle() {
    BoundedLoadRing ring = new BoundedLoadRing(members(2000));
    assertThat(ring.bound()).isEqualTo(1);
    long holding = IntStream.range(0, 2000).filter(m -> ring.partitionsOf(m) > 0).count();
    assertThat(holding).isEqualTo(1061);
  }
}
