package io.clusterchecks.server.kube;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A listener that keeps the set a dispatcher would hold and flags every call that a correct
 * source never makes: scheduling a config already held, unscheduling one not held.
 */
final class RecordingListener implements ConfigListener {
  private final Set<Config> held = new LinkedHashSet<>();
  private final List<String> violations = new ArrayList<>();
  private int scheduledCount;
  private int unscheduledCount;

  @Override
  public synchronized void schedule(List<Config> configs) {
    for (Config c : configs) {
      scheduledCount++;
      if (!held.add(c)) {
        violations.add("scheduled twice: " + c.checkName() + " " + c.serviceId());
      }
    }
  }

  @Override
  public synchronized void unschedule(List<Config> configs) {
    for (Config c : configs) {
      unscheduledCount++;
      if (!held.remove(c)) {
        violations.add("unscheduled but not held: " + c.checkName() + " " + c.serviceId());
      }
    }
  }

  synchronized List<Config> held() {
    return List.copyOf(held);
  }

  /** {@code check_name service_id node_name} of each held config. */
  synchronized List<String> summary() {
    return held.stream().map(c -> (c.checkName() + " " + c.serviceId() + " " + c.nodeName()).trim()).toList();
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized int scheduledCount() {
    return scheduledCount;
  }

  synchronized int unscheduledCount() {
    return unscheduledCount;
  }
}
