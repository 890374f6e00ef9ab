package io.clusterchecks.core.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Answer to a status POST: whether the worker's config version is current. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusResponse(@JsonProperty("isuptodate") boolean isUpToDate) {}
