package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameOrderTest {
  /** Characters that tell the orders apart: ASCII, Latin-1, the top of the BMP, and a surrogate pair. */
  private static final String[] PIECES = {"a", "b", ".", "-", "_", "0", "9", "é", "\u00ff", "\u07ff", "\u0800",
      "\ud7ff", "\ue000", "\uffee", "\ud83d\ude00", "\ud83d\ude01", "\ud800\udc00", "\udbff\udfff"};

  private static String randomName(Random random) {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  @Test
  void ordersNamesAsTheirUtf8Bytes() {
    long seed = System.nanoTime();
    System.out.println("NameOrderTest seed " + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 100_000; i++) {
      String a = randomName(random);
      String b = randomName(random);
      int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
      assertThat(Integer.signum(NameOrder.INSTANCE.compare(a, b)))
          .as("seed %d: %s against %s", seed, a, b).isEqualTo(Integer.signum(bytes));
    }
  }

  @Test
  void aPairSortsAfterTheTopOfTheBasicPlaneAsPathsDo() {
    String emoji = "\ud83d\ude00.yaml";
    String privateUse = "\ue000.yaml";
    assertThat(emoji.compareTo(privateUse)).isNegative(); // what String order would get wrong
    assertThat(NameOrder.INSTANCE.compare(emoji, privateUse)).isPositive();
    for (String[] pair : new String[][] {{"a.d", "a.yaml"}, {"conf.yaml", "conf.yaml.default"}, {"B.yaml", "a.yaml"}}) {
      assertThat(Integer.signum(NameOrder.INSTANCE.compare(pair[0], pair[1])))
          .isEqualTo(Integer.signum(Path.of(pair[0]).compareTo(Path.of(pair[1]))));
    }
  }
}
