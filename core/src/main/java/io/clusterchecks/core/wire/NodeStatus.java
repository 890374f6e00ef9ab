package io.clusterchecks.core.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/v1/clusterchecks/status/{id}}: the config version the worker last
 * fetched and its node type (omitted when 0, as the reference does).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatus(
    @JsonProperty("last_change") long lastChange,
    @JsonProperty("node_type") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int nodeType) {

  /** The {@code last_change} value of a heartbeat that asks nothing (the worker's extra heartbeat). */
  public static final long HEARTBEAT_ONLY = -1;

  public NodeStatus(long lastChange, NodeType type) {
    this(lastChange, type.code());
  }

  public NodeType type() {
    return NodeType.fromCode(nodeType);
  }
}
