package io.clusterchecks.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectionIntervalsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "url: http://a | 15",
      "min_collection_interval: 60 | 60",
      "min_collection_interval: 30.0 | 30",
      "min_collection_interval: x60 | 15",
      "min_collection_interval: 0 | 15",
      "min_collection_interval: -5 | 15",
      "[not, a, map] | 15",
      "{broken: [ | 15",
  })
  void intervalOrTheDefault(String yaml, int expected) {
    assertThat(CollectionIntervals.seconds(ConfigData.ofText(yaml))).isEqualTo(expected);
  }
}
