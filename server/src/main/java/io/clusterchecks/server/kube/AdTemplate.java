package io.clusterchecks.server.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One check template read from Autodiscovery annotations, before template variables are resolved.
 *
 * @param checkName the check's name; "" for a logs-only template
 * @param initConfig the {@code init_config} JSON text: verbatim from a v2 annotation, compact with
 *     sorted keys from v1 ones, {@code {}} when absent; null for a logs-only template
 * @param instances the instances, each a JSON object (empty for a logs-only template)
 * @param logs the logs section (a JSON array), or null
 * @param ignoreAutodiscoveryTags do not add the Service's tags to the instances
 * @param checkTagCardinality copied to the config
 */
public record AdTemplate(
    String checkName,
    String initConfig,
    List<ObjectNode> instances,
    JsonNode logs,
    boolean ignoreAutodiscoveryTags,
    String checkTagCardinality) {

  public AdTemplate {
    checkName = Objects.requireNonNullElse(checkName, "");
    instances = instances == null ? List.of() : List.copyOf(instances);
    checkTagCardinality = Objects.requireNonNullElse(checkTagCardinality, "");
  }

  /** A template that only carries a logs section (from the {@code .logs} annotation). */
  public boolean isLogsOnly() {
    return initConfig == null && instances.isEmpty();
  }
}
