package io.clusterchecks.server.kube;

import java.util.List;
import java.util.Objects;

/**
 * One check template read from Autodiscovery annotations, before template variables are resolved.
 * Each part is the JSON text the reference holds in its template at this stage; the resolver reads
 * it with yaml.v2 (JSON is YAML), so these texts decide what a worker receives.
 *
 * @param checkName the check's name; "" for a logs-only template
 * @param initConfig {@code init_config}: verbatim from a v2 annotation ({@code {}} when absent,
 *     {@code null} when written so), Go's JSON of the element from v1 ones; null for a logs-only
 *     template
 * @param instances each instance as Go's JSON (empty for a logs-only template)
 * @param logs the logs section: verbatim from a v2 annotation, Go's JSON of the {@code logs}
 *     annotation; null when there is none
 * @param ignoreAutodiscoveryTags do not add the Service's tags to the instances
 * @param checkTagCardinality copied to the config
 */
public record AdTemplate(
    String checkName,
    String initConfig,
    List<String> instances,
    String logs,
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
