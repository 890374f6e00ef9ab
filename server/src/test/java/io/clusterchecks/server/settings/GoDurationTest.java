package io.clusterchecks.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
      "10m, 600000",
      "90s, 90000",
      "1h30m, 5400000",
      "1h30m15s, 5415000",
      "1.5h, 5400000",
      "2h0m0s, 7200000",
      "250ms, 250",
      "0, 0",
      "0s, 0",
      "+5s, 5000",
      "-5s, -5000",
      "1m30s500ms, 90500",
      "' 10m ', 600000",
  })
  void parsesGoDurations(String text, long millis) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void parsesSubMillisecondUnits() {
    assertThat(GoDuration.parse("1500us")).isEqualTo(Duration.ofNanos(1_500_000));
    assertThat(GoDuration.parse("1500µs")).isEqualTo(Duration.ofNanos(1_500_000));
    assertThat(GoDuration.parse("42ns")).isEqualTo(Duration.ofNanos(42));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "10", "abc", "10x", "m", "1h 30m", "1.2.3s", "10M", "s10", "--5s"})
  void rejectsMalformed(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsLikeGo() {
    assertThat(GoDuration.format(Duration.ofMinutes(10))).isEqualTo("10m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(5415))).isEqualTo("1h30m15s");
    assertThat(GoDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
  }

  @Property
  void formatThenParseRoundTrips(@ForAll @LongRange(min = 0, max = 10_000_000_000_000L) long nanos) {
    Duration d = Duration.ofNanos(nanos);
    assertThat(GoDuration.parse(GoDuration.format(d))).isEqualTo(d);
  }
}
