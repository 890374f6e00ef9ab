package io.clusterchecks.core.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.config.Config;
import java.util.List;

/**
 * Answer to {@code GET /api/v1/clusterchecks/configs/{id}} and the endpoints-checks routes:
 * the version token to echo back in the next status, and every config the node must run.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfigResponse(
    @JsonProperty("last_change") long lastChange,
    @JsonProperty("configs") List<Config> configs) {
  public ConfigResponse {
    configs = configs == null ? List.of() : List.copyOf(configs);
  }
}
