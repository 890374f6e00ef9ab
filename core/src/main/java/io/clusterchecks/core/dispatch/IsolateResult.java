package io.clusterchecks.core.dispatch;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The reference's isolate answer (docs/reference/protocol.md section 3): the check, where it runs, and whether it is alone now. */
public record IsolateResult(
    @JsonProperty("check_id") String checkId,
    @JsonProperty("check_node") String checkNode,
    @JsonProperty("is_isolated") boolean isolated,
    @JsonProperty("reason") String reason) {}
