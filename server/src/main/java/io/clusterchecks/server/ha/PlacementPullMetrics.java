package io.clusterchecks.server.ha;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A follower's placement pulls, by answer, and the bytes of their bodies (headers left out): what
 * keeping the warm copy costs on the wire. Not dispatcher series, so every replica shows them.
 */
final class PlacementPullMetrics {
  static final String PULLS = "placement_pulls";
  static final String BYTES = "placement_pull_bytes";

  /** How a pull was answered. */
  enum Answer {
    /** The whole placement. */
    WHOLE,
    /** The changes since the copy held. */
    DELTA,
    /** 304: nothing moved since the copy held. */
    UNCHANGED,
    /** No usable answer: the previous copy stays. */
    FAILED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Answer, Counter> pulls = new EnumMap<>(Answer.class);
  private final Map<Answer, Counter> bytes = new EnumMap<>(Answer.class);

  PlacementPullMetrics(MeterRegistry registry) {
    for (Answer a : Answer.values()) {
      pulls.put(a, Counter.builder(PULLS).description("Placement pulls of this follower, by answer")
          .tag("answer", a.label()).register(registry));
      bytes.put(a, Counter.builder(BYTES)
          .description("Bytes of the placement answers' bodies this follower received, by answer")
          .tag("answer", a.label()).register(registry));
    }
  }

  void pulled(Answer answer, long bodyBytes) {
    pulls.get(answer).increment();
    if (bodyBytes > 0) {
      bytes.get(answer).increment(bodyBytes);
    }
  }

  long pulls(Answer answer) {
    return (long) pulls.get(answer).count();
  }

  long bytes(Answer answer) {
    return (long) bytes.get(answer).count();
  }
}
