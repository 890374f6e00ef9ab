package io.clusterchecks.core.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.config.Config;
import java.util.List;

/**
 * Answer to {@code GET /api/v1/clusterchecks}: the dispatching state as the CLI shows it (§1.3).
 * {@code not_running} is empty on a serving leader. Nodes are sorted by name.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StateResponse(
    @JsonProperty("not_running") String notRunning,
    @JsonProperty("warmup") boolean warmup,
    @JsonProperty("nodes") List<Node> nodes,
    @JsonProperty("dangling") List<Config> dangling) {

  public StateResponse {
    notRunning = notRunning == null ? "" : notRunning;
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    dangling = dangling == null ? List.of() : List.copyOf(dangling);
  }

  /** One registered worker and the configs dispatched to it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Node(
      @JsonProperty("name") String name,
      @JsonProperty("configs") List<Config> configs) {
    public Node {
      configs = configs == null ? List.of() : List.copyOf(configs);
    }
  }
}
