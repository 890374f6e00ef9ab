package io.clusterchecks.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterchecks.core.stats.CheckStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunnerAnswersTest {
  private static Map<String, CheckStats> stats(String json) throws IOException {
    return RunnerAnswers.stats(json.getBytes(StandardCharsets.UTF_8));
  }

  private static int workers(String json) throws IOException {
    return RunnerAnswers.workers(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheReferenceExampleAndOlderRunnersShortEntries() throws IOException {
    Map<String, CheckStats> s = stats("""
        { "http_check:My Nginx Service:b0041608e66d20ba":
            { "AverageExecutionTime": 241, "MetricSamples": 3, "HistogramBuckets": 0, "Events": 0,
              "ServiceChecks": 1, "LastExecFailed": false, "LastError": "", "TotalRuns": 10,
              "TotalErrors": 0, "TotalMetricSamples": 30, "TotalEvents": 0, "TotalServiceChecks": 10,
              "LastSuccessDate": 1718000000, "LastExecutionDate": 1718000000123, "IsClusterCheck": true,
              "SomethingNewer": {"x": [1]} },
          "redisdb:old": { "AverageExecutionTime": 7, "MetricSamples": 2 } }
        """);
    CheckStats http = s.get("http_check:My Nginx Service:b0041608e66d20ba");
    assertThat(http.averageExecutionTimeMs()).isEqualTo(241);
    assertThat(http.totalMetricSamples()).isEqualTo(30);
    assertThat(http.lastExecutionDate()).isEqualTo(1718000000123L);
    assertThat(s.get("redisdb:old")).isEqualTo(new CheckStats(7, 2, 0, 0, 0, false, "", 0, 0, 0, 0, 0, 0, 0));
    assertThat(stats("{}")).isEmpty();
  }

  @Test
  void dropsTheEmptyCheckIdAndNullEntries() throws IOException {
    assertThat(stats("{\"\": {\"AverageExecutionTime\": 1}, \"a:1\": null, \"b:2\": {\"AverageExecutionTime\": 2}}"))
        .containsOnlyKeys("b:2");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "null", "[]", "\"x\"", "42", "{", "{\"a:1\": {\"AverageExecutionTime\": 1}} trailing",
      "{\"a:1\": {\"AverageExecutionTime\": \"241\"}}",
      "{\"a:1\": {\"AverageExecutionTime\": 241.5}}",
      "{\"a:1\": {\"AverageExecutionTime\": 99999999999999999999}}",
      "{\"a:1\": {\"AverageExecutionTime\": \"\"}}",
      "{\"a:1\": {\"LastExecFailed\": 1}}",
      "{\"a:1\": {\"LastExecFailed\": \"true\"}}",
      "{\"a:1\": {\"LastError\": 5}}",
      "{\"a:1\": 5}",
      "{\"a:1\": [1]}",
      "{\"a:1\": {\"AverageExecutionTime\": -1}}",
      "{\"a:1\": {\"AverageExecutionTime\": 1}, \"b:2\": {\"TotalRuns\": true}}"})
  void rejectsAnythingGoWouldNotDecodeOrThatMakesNoSense(String body) {
    assertThatThrownBy(() -> stats(body)).isInstanceOf(IOException.class);
  }

  @Test
  void workersCountIsAStrictPositiveInteger() throws IOException {
    assertThat(workers("{\"Count\":4,\"Instances\":{\"worker_1\":{\"Utilization\":0.1}}}")).isEqualTo(4);
    assertThat(workers("{\"Count\":1}")).isEqualTo(1);
    for (String bad : new String[] {"{}", "{\"Count\":0}", "{\"Count\":-3}", "{\"Count\":\"4\"}", "{\"Count\":2.5}",
        "{\"Count\":100000}", "[4]", "null", "garbage", "{\"Count\":4} {}"}) {
      assertThatThrownBy(() -> workers(bad)).as(bad).isInstanceOf(IOException.class);
    }
  }

  @Test
  void logTextIsShortAndPrintable() {
    assertThat(RunnerAnswers.printable("a\nb\u0000c")).isEqualTo("a?b?c");
    assertThat(RunnerAnswers.printable("x".repeat(500))).hasSizeLessThan(90);
    assertThat(RunnerAnswers.firstLine("one\ntwo")).isEqualTo("one");
  }
}
