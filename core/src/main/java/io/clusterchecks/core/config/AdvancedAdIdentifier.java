package io.clusterchecks.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The reference's {@code advanced_ad_identifiers} element. Its Go struct has no JSON tags, so the
 * keys on the wire are the Go field names.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdvancedAdIdentifier(
    @JsonProperty("KubeService") KubeRef kubeService,
    @JsonProperty("KubeEndpoints") KubeRef kubeEndpoints) {

  /** A namespaced Kubernetes object reference. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record KubeRef(@JsonProperty("Name") String name, @JsonProperty("Namespace") String namespace) {}
}
