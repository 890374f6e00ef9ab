package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IpLiteralsTest {

  @Test
  void theReferencesExamples() {
    // docs/reference/scenarios.md item 51
    assertThat(IpLiterals.isIpLiteral("127.0.0.1")).isTrue();
    assertThat(IpLiterals.isIpLiteral("127.0.0.1.1")).isFalse();
    assertThat(IpLiterals.isIpLiteral("2001:db8::68")).isTrue();
    assertThat(IpLiterals.isIpLiteral("::1:")).isFalse();
    assertThat(IpLiterals.isIpLiteral("localhost")).isFalse();
  }

  @Test
  void validLiterals() {
    for (String ip : List.of("0.0.0.0", "255.255.255.255", "10.0.0.1", "::", "::1",
        "1:2:3:4:5:6:7:8", "fe80::1", "FE80::ABCD", "::ffff:10.1.2.3", "64:ff9b::192.0.2.33",
        "1::", "1:2:3:4:5:6:7::", "2001:db8:0:0:0:0:2:1")) {
      assertThat(IpLiterals.isIpLiteral(ip)).as(ip).isTrue();
    }
  }

  @Test
  void invalidLiterals() {
    for (String ip : List.of("", " ", "1.2.3", "1.2.3.4.", ".1.2.3.4", "256.0.0.1", "01.2.3.4",
        "1.2.3.04", "1..2.3", "1.2.3.-4", "1.2.3.4 ", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        ":::", "1::2::3", "::1::", ":1::", "12345::", "g::1", "fe80::1%eth0", "[::1]",
        "1.2.3.4::", "::1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "\u0661.2.3.4",
        "::\uff11", "example.com", "0x7f.0.0.1")) {
      assertThat(IpLiterals.isIpLiteral(ip)).as(ip).isFalse();
    }
  }

  @Property
  void everyDottedQuadIsValid(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
      @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d) {
    assertThat(IpLiterals.isIpLiteral(a + "." + b + "." + c + "." + d)).isTrue();
  }

  @Property
  void everyJdkFormattedIpv6AddressIsValid(@ForAll @Size(16) byte[] bytes) throws Exception {
    InetAddress address = Inet6Address.getByAddress(null, bytes, null);
    String text = address.getHostAddress();   // full form, or dotted quad for v4-mapped
    assertThat(IpLiterals.isIpLiteral(text)).as(text).isTrue();
  }

  @Property
  void compressingAZeroRunKeepsItValid(@ForAll @Size(8) List<@IntRange(max = 0xffff) Integer> groups,
      @ForAll @IntRange(max = 7) int from, @ForAll @IntRange(min = 1, max = 8) int length) {
    int to = Math.min(8, from + length);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < from; i++) {
      b.append(i > 0 ? ":" : "").append(Integer.toHexString(groups.get(i)));
    }
    b.append("::");
    for (int i = to; i < 8; i++) {
      b.append(i > to ? ":" : "").append(Integer.toHexString(groups.get(i)));
    }
    assertThat(IpLiterals.isIpLiteral(b.toString())).as(b.toString()).isTrue();
  }
}
