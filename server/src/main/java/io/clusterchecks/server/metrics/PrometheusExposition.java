package io.clusterchecks.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The {@code /metrics} answer: the registry in the Prometheus text format (0.0.4), shaped like the
 * Datadog Cluster Agent's telemetry so that queries written for it work unchanged.
 *
 * <ul>
 *   <li>Dispatcher series ({@code cluster_checks_*}, {@code endpoint_checks_*}) only while this
 *       replica leads, as the reference exposes them only on the leader; a follower shows the API,
 *       leadership, JVM and process series.
 *   <li>The reference's counters under their own names, without the {@code _total} suffix the
 *       Prometheus client adds ({@code api_requests}, not only {@code api_requests_total}): the
 *       reference's client writes counters as named. Both names are exposed, with the same values,
 *       so dashboards written for either convention work.
 * </ul>
 */
public final class PrometheusExposition {
  /** The content type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Counters the reference names without a suffix. */
  static final Set<String> REFERENCE_COUNTERS = Set.of(
      "api_requests",
      "forwarded_requests",
      "cluster_checks_rebalancing_decisions",
      "cluster_checks_successful_rebalancing_moves",
      "cluster_checks_failed_stats_collection");

  private static final List<String> LEADER_ONLY_PREFIXES = List.of("cluster_checks_", "endpoint_checks_");

  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier leading;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /**
   * @param leading whether this replica dispatches now; the dispatcher series are left out while
   *     it does not
   */
  public PrometheusExposition(PrometheusMeterRegistry registry, BooleanSupplier leading) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.leading = Objects.requireNonNull(leading, "leading");
  }

  /** Whether a series family (by its Prometheus name, any suffix) belongs to the dispatcher. */
  static boolean isDispatcherSeries(String name) {
    return LEADER_ONLY_PREFIXES.stream().anyMatch(name::startsWith);
  }

  public String scrape() {
    Predicate<String> included = leading.getAsBoolean() ? name -> true : name -> !isDispatcherSeries(name);
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.getPrometheusRegistry().scrape(included), EscapingScheme.ALLOW_UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    StringBuilder text = new StringBuilder(out.toString(StandardCharsets.UTF_8));
    writeReferenceCounters(text, included);
    return text.toString();
  }

  /** {@code # TYPE name counter} and one line per series, labels sorted, as the reference writes them. */
  private void writeReferenceCounters(StringBuilder text, Predicate<String> included) {
    Map<String, List<Counter>> byName = new TreeMap<>();
    for (Meter m : registry.getMeters()) {
      String name = m.getId().getName();
      if (m instanceof Counter c && REFERENCE_COUNTERS.contains(name) && included.test(name)) {
        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(c);
      }
    }
    byName.forEach((name, counters) -> {
      String help = counters.get(0).getId().getDescription();
      if (help != null) {
        text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
      }
      text.append("# TYPE ").append(name).append(" counter\n");
      counters.stream()
          .sorted(Comparator.comparing(c -> c.getId().getTags().toString()))
          .forEach(c -> {
            text.append(name);
            List<Tag> tags = c.getId().getTags(); // sorted by key
            if (!tags.isEmpty()) {
              text.append('{');
              for (int i = 0; i < tags.size(); i++) {
                if (i > 0) {
                  text.append(',');
                }
                text.append(tags.get(i).getKey()).append("=\"").append(escapeLabel(tags.get(i).getValue())).append('"');
              }
              text.append('}');
            }
            text.append(' ').append(formatValue(c.count())).append('\n');
          });
    });
  }

  static String escapeLabel(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }
}
