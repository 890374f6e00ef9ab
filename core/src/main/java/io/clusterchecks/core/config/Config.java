package io.clusterchecks.core.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A check config in the shape of the reference's {@code integration.Config} (docs/reference/wire-format.md section 6),
 * with its exact JSON field names. Unknown fields are tolerated so newer workers and sources can
 * add fields without breaking us.
 *
 * <p>Immutable. Use {@link #toBuilder()} to derive a modified copy.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "check_name", "instances", "init_config", "metric_config", "logs", "ad_identifiers",
  "advanced_ad_identifiers", "provider", "service_id", "cluster_check", "node_name", "source",
  "ignore_autodiscovery_tags", "check_tag_cardinality", "metrics_excluded", "logs_excluded"
})
public record Config(
    @JsonProperty("check_name") String checkName,
    @JsonProperty("instances") List<ConfigData> instances,
    @JsonProperty("init_config") ConfigData initConfig,
    @JsonProperty("metric_config") ConfigData metricConfig,
    @JsonProperty("logs") ConfigData logs,
    @JsonProperty("ad_identifiers") List<String> adIdentifiers,
    @JsonProperty("advanced_ad_identifiers") List<AdvancedAdIdentifier> advancedAdIdentifiers,
    @JsonProperty("provider") String provider,
    @JsonProperty("service_id") String serviceId,
    @JsonProperty("cluster_check") boolean clusterCheck,
    @JsonProperty("node_name") String nodeName,
    @JsonProperty("source") String source,
    @JsonProperty("ignore_autodiscovery_tags") boolean ignoreAutodiscoveryTags,
    @JsonProperty("check_tag_cardinality") String checkTagCardinality,
    @JsonProperty("metrics_excluded") boolean metricsExcluded,
    @JsonProperty("logs_excluded") boolean logsExcluded) {

  /** Normalises nulls the way Go's zero values read: strings become "", instances a list. */
  public Config {
    checkName = Objects.requireNonNullElse(checkName, "");
    instances = instances == null ? List.of() : List.copyOf(instances);
    adIdentifiers = adIdentifiers == null || adIdentifiers.isEmpty() ? null : List.copyOf(adIdentifiers);
    advancedAdIdentifiers =
        advancedAdIdentifiers == null || advancedAdIdentifiers.isEmpty() ? null : List.copyOf(advancedAdIdentifiers);
    provider = Objects.requireNonNullElse(provider, "");
    serviceId = Objects.requireNonNullElse(serviceId, "");
    nodeName = Objects.requireNonNullElse(nodeName, "");
    source = Objects.requireNonNullElse(source, "");
    checkTagCardinality = Objects.requireNonNullElse(checkTagCardinality, "");
  }

  /** Endpoints checks carry the Kubernetes node name of the pod they target (docs/reference/dispatcher.md section 14). */
  @JsonIgnore
  public boolean isEndpointsCheck() {
    return !nodeName.isEmpty();
  }

  /** {@code ad_identifiers} as a list, empty rather than null. */
  public List<String> adIdentifiersOrEmpty() {
    return adIdentifiers == null ? List.of() : adIdentifiers;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder(String checkName) {
    return new Builder(checkName);
  }

  /** Mutable builder for {@link Config}; tests and sources use it instead of the 16-argument constructor. */
  public static final class Builder {
    private String checkName;
    private List<ConfigData> instances = List.of();
    private ConfigData initConfig;
    private ConfigData metricConfig;
    private ConfigData logs;
    private List<String> adIdentifiers;
    private List<AdvancedAdIdentifier> advancedAdIdentifiers;
    private String provider = "";
    private String serviceId = "";
    private boolean clusterCheck;
    private String nodeName = "";
    private String source = "";
    private boolean ignoreAutodiscoveryTags;
    private String checkTagCardinality = "";
    private boolean metricsExcluded;
    private boolean logsExcluded;

    private Builder(String checkName) {
      this.checkName = checkName;
    }

    private Builder(Config c) {
      checkName = c.checkName;
      instances = c.instances;
      initConfig = c.initConfig;
      metricConfig = c.metricConfig;
      logs = c.logs;
      adIdentifiers = c.adIdentifiers;
      advancedAdIdentifiers = c.advancedAdIdentifiers;
      provider = c.provider;
      serviceId = c.serviceId;
      clusterCheck = c.clusterCheck;
      nodeName = c.nodeName;
      source = c.source;
      ignoreAutodiscoveryTags = c.ignoreAutodiscoveryTags;
      checkTagCardinality = c.checkTagCardinality;
      metricsExcluded = c.metricsExcluded;
      logsExcluded = c.logsExcluded;
    }

    public Builder checkName(String v) { checkName = v; return this; }
    public Builder instances(List<ConfigData> v) { instances = v; return this; }
    public Builder instanceYaml(String... yaml) {
      instances = Arrays.stream(yaml).map(ConfigData::ofText).toList();
      return this;
    }
    public Builder initConfig(ConfigData v) { initConfig = v; return this; }
    public Builder initConfigYaml(String v) { initConfig = v == null ? null : ConfigData.ofText(v); return this; }
    public Builder metricConfig(ConfigData v) { metricConfig = v; return this; }
    public Builder logs(ConfigData v) { logs = v; return this; }
    public Builder logsYaml(String v) { logs = v == null ? null : ConfigData.ofText(v); return this; }
    public Builder adIdentifiers(List<String> v) { adIdentifiers = v; return this; }
    public Builder advancedAdIdentifiers(List<AdvancedAdIdentifier> v) { advancedAdIdentifiers = v; return this; }
    public Builder provider(String v) { provider = v; return this; }
    public Builder serviceId(String v) { serviceId = v; return this; }
    public Builder clusterCheck(boolean v) { clusterCheck = v; return this; }
    public Builder nodeName(String v) { nodeName = v; return this; }
    public Builder source(String v) { source = v; return this; }
    public Builder ignoreAutodiscoveryTags(boolean v) { ignoreAutodiscoveryTags = v; return this; }
    public Builder checkTagCardinality(String v) { checkTagCardinality = v; return this; }
    public Builder metricsExcluded(boolean v) { metricsExcluded = v; return this; }
    public Builder logsExcluded(boolean v) { logsExcluded = v; return this; }

    public Config build() {
      return new Config(checkName, instances, initConfig, metricConfig, logs, adIdentifiers,
          advancedAdIdentifiers, provider, serviceId, clusterCheck, nodeName, source,
          ignoreAutodiscoveryTags, checkTagCardinality, metricsExcluded, logsExcluded);
    }
  }
}
