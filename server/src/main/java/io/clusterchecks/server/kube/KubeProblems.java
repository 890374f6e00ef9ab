package io.clusterchecks.server.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current problems of annotated Kubernetes objects, by entity ({@code kube_service://ns/name}
 * for Service checks, {@code kube_endpoint_uid://ns/name/} for endpoint checks), shared by the
 * Kubernetes sources and shown in the state answer ({@code config_errors}).
 *
 * <p>Each problem is logged once, when it appears, with the object's namespace/name; a fixed or
 * deleted object's problems are cleared (logged at info). A resync that finds the same problems
 * again logs nothing. Thread-safe.
 */
public final class KubeProblems {
  private static final Logger LOG = LoggerFactory.getLogger(KubeProblems.class);

  private final Map<String, List<String>> byEntity = new TreeMap<>();

  /**
   * Records the problems found for one object now, replacing the previous ones.
   *
   * @param source {@code kube_services} or {@code kube_endpoints}, for the log
   * @param object {@code namespace/name}, for the log
   */
  public synchronized void set(String source, String entity, String object, List<String> problems) {
    List<String> previous = byEntity.getOrDefault(entity, List.of());
    if (problems.isEmpty()) {
      if (byEntity.remove(entity) != null) {
        LOG.info("{}: {}: no more annotation problems", source, object);
      }
      return;
    }
    for (String p : problems) {
      if (!previous.contains(p)) {
        LOG.warn("{}: {}: {}; not scheduled", source, object, p);
      }
    }
    byEntity.put(entity, List.copyOf(problems));
  }

  /** Forgets an object (deleted, or no longer annotated). */
  public synchronized void clear(String source, String entity, String object) {
    if (byEntity.remove(entity) != null) {
      LOG.info("{}: {}: problems cleared (object deleted or no longer annotated)", source, object);
    }
  }

  /** A copy: entity to its problems, sorted by entity. */
  public synchronized Map<String, List<String>> snapshot() {
    Map<String, List<String>> copy = new TreeMap<>();
    byEntity.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
    return copy;
  }
}
