package io.clusterchecks.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The tags the dispatcher adds to every dispatched instance (docs/reference/dispatcher.md section 12; docs/reference/scenarios.md item 21).
 *
 * <p>Computed once per leadership term from configuration: the configured extra tags first, then,
 * when the cluster name is known, {@code <clusterTagName>:<clusterName>} (unless the tag name is
 * empty or the cluster-name tag key is disabled) and always {@code kube_cluster_name:<name>}.
 * Order is kept as computed so the patched YAML is deterministic.
 */
public final class ExtraTags {
  /** The tag key that is always added when the cluster name is known. */
  public static final String KUBE_CLUSTER_NAME = "kube_cluster_name";

  private ExtraTags() {}

  /**
   * @param configuredExtraTags {@code cluster_checks.extra_tags} (may be null)
   * @param clusterName the cluster name, "" or null when unknown
   * @param clusterTagName {@code cluster_checks.cluster_tag_name} (default {@code cluster_name})
   * @param disableClusterNameTagKey {@code disable_cluster_name_tag_key}
   */
  public static List<String> compute(List<String> configuredExtraTags, String clusterName,
                                     String clusterTagName, boolean disableClusterNameTagKey) {
    List<String> tags = new ArrayList<>();
    if (configuredExtraTags != null) {
      tags.addAll(configuredExtraTags);
    }
    if (clusterName != null && !clusterName.isEmpty()) {
      if (!disableClusterNameTagKey && clusterTagName != null && !clusterTagName.isEmpty()) {
        tags.add(clusterTagName + ":" + clusterName);
      }
      tags.add(KUBE_CLUSTER_NAME + ":" + clusterName);
    }
    return List.copyOf(tags);
  }
}
