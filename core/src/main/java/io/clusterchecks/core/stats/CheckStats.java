package io.clusterchecks.core.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One check instance's statistics as a cluster check runner reports them on
 * {@code GET /api/v1/clcrunner/stats} (docs/reference/protocol.md section 6), keyed there by check ID. Field names are the Go
 * struct's (no JSON tags). Older runners send only the first few; absent fields read as zero.
 *
 * @param averageExecutionTimeMs mean run time of the check, in milliseconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckStats(
    @JsonProperty("AverageExecutionTime") long averageExecutionTimeMs,
    @JsonProperty("MetricSamples") long metricSamples,
    @JsonProperty("HistogramBuckets") long histogramBuckets,
    @JsonProperty("Events") long events,
    @JsonProperty("ServiceChecks") long serviceChecks,
    @JsonProperty("LastExecFailed") boolean lastExecFailed,
    @JsonProperty("LastError") String lastError,
    @JsonProperty("TotalRuns") long totalRuns,
    @JsonProperty("TotalErrors") long totalErrors,
    @JsonProperty("TotalMetricSamples") long totalMetricSamples,
    @JsonProperty("TotalEvents") long totalEvents,
    @JsonProperty("TotalServiceChecks") long totalServiceChecks,
    @JsonProperty("LastSuccessDate") long lastSuccessDate,
    @JsonProperty("LastExecutionDate") long lastExecutionDate) {

  public CheckStats {
    lastError = lastError == null ? "" : lastError;
  }

  /** Stats carrying only a run time, for simulations and tests. */
  public static CheckStats ofExecutionTime(long averageExecutionTimeMs) {
    return new CheckStats(averageExecutionTimeMs, 0, 0, 0, 0, false, "", 0, 0, 0, 0, 0, 0, 0);
  }
}
