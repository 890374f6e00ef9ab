package io.clusterchecks.core.dispatch;

import java.util.List;
import java.util.Objects;

/**
 * The nodes and waiting configs of {@link Dispatcher#state()} as the dispatcher published them,
 * shared rather than copied: a periodic reader (the dashboard) keeps the previous one and
 * compares node snapshots by identity, so it touches only the configs of nodes that changed. A
 * node's {@link NodeConfigs} is replaced exactly when its configs change, and {@link #waiting()}
 * is the same list object while the waiting configs stay the same.
 *
 * @param version the dispatcher's {@link Dispatcher#stateVersion()} these lists are of
 * @param nodes reporting and provisional nodes, in name order; unmodifiable
 * @param waiting the configs that wait for a node (dangling), oldest first; unmodifiable
 */
public record ShownNodes(long version, List<NodeConfigs> nodes, List<DispatchedConfig> waiting) {
  /** Nothing shown: not leading. */
  public static final ShownNodes NONE = new ShownNodes(-1, List.of(), List.of());

  public ShownNodes {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(waiting, "waiting");
  }
}
