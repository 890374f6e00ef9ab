package io.clusterchecks.core.dispatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the config sources said, prepared: every cluster check by digest (in arrival order), the
 * check-ID index, and the endpoints checks per Kubernetes node. It is not leader state: it
 * survives a step-down, so a replica that leads again has every config at hand without the
 * sources replaying (and without preparing anything again). Dispatch thread only.
 */
final class ConfigInventory {
  private final DigestMap<DispatchedConfig> configs = DigestMap.set();
  private final CheckIdIndex byCheckId = new CheckIdIndex();
  private final Map<String, DigestMap<DispatchedConfig>> endpoints = new HashMap<>();
  /** Configs per check name, so the names are known without a pass over every config. */
  private final Map<String, Integer> perCheckName = new HashMap<>();
  /** The distinct check names, sorted; rebuilt only when a name appears or goes. */
  private Set<String> checkNames = Set.of();
  private boolean namesChanged;
  private int endpointsCount;

  /** Adds a cluster check; false when its digest is already known (it stays where it is). */
  boolean add(DispatchedConfig dc) {
    if (!configs.putIfAbsent(dc, dc)) {
      return false;
    }
    for (int i = 0; i < dc.checkIdCount(); i++) {
      byCheckId.put(dc.checkId(i), dc);
    }
    if (perCheckName.merge(dc.checkName(), 1, Integer::sum) == 1) {
      namesChanged = true;
    }
    return true;
  }

  /** Removes a cluster check; returns it, or null when it was not known. */
  DispatchedConfig remove(DispatchedConfig removed) {
    DispatchedConfig dc = configs.remove(removed.digestBits());
    if (dc != null) {
      for (int i = 0; i < dc.checkIdCount(); i++) {
        byCheckId.remove(dc.checkId(i), dc);
      }
      if (perCheckName.merge(dc.checkName(), -1, Integer::sum) == 0) {
        perCheckName.remove(dc.checkName());
        namesChanged = true;
      }
    }
    return dc;
  }

  DispatchedConfig get(String digest) {
    return configs.get(digest);
  }

  boolean contains(String digest) {
    return configs.containsKey(digest);
  }

  boolean contains(DispatchedConfig dc) {
    return configs.containsKey(dc.digestBits());
  }

  /** In arrival order. */
  Collection<DispatchedConfig> all() {
    return configs.values();
  }

  int size() {
    return configs.size();
  }

  String digestOfCheckId(String checkId) {
    DispatchedConfig dc = byCheckId.get(checkId);
    return dc == null ? null : dc.digest();
  }

  /** Distinct check names, sorted and immutable. */
  Set<String> checkNames() {
    if (namesChanged) {
      checkNames = java.util.Collections.unmodifiableSet(new TreeSet<>(perCheckName.keySet()));
      namesChanged = false;
    }
    return checkNames;
  }

  /** Adds an endpoints check under its Kubernetes node; false when it was already there. */
  boolean addEndpoints(DispatchedConfig dc) {
    boolean added = endpoints.computeIfAbsent(dc.config().nodeName(), k -> DigestMap.set()).putIfAbsent(dc, dc);
    if (added) {
      endpointsCount++;
    }
    return added;
  }

  /** Removes an endpoints check; false when it was not there. */
  boolean removeEndpoints(DispatchedConfig dc) {
    String k8sNode = dc.config().nodeName();
    DigestMap<DispatchedConfig> forNode = endpoints.get(k8sNode);
    if (forNode == null || forNode.remove(dc.digestBits()) == null) {
      return false;
    }
    if (forNode.isEmpty()) {
      endpoints.remove(k8sNode);
    }
    endpointsCount--;
    return true;
  }

  /** The endpoints checks of a Kubernetes node in arrival order, or null when it has none. */
  Collection<DispatchedConfig> endpointsOf(String k8sNode) {
    DigestMap<DispatchedConfig> forNode = endpoints.get(k8sNode);
    return forNode == null ? null : forNode.values();
  }

  int endpointsCount() {
    return endpointsCount;
  }
}
