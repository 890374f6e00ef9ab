package io.clusterchecks.server.kube;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Kubernetes source has scheduled, per Service ({@code namespace/name}), and the diff that
 * brings the listener to a new set: configs gone are unscheduled, new ones scheduled, equal ones
 * (by value, so by digest) untouched. A resync or a watch reconnect that rebuilds the same configs
 * makes no call. Listener calls are made one at a time, unschedule before schedule, in the order
 * of the updates. Thread-safe.
 */
final class ConfigTracker {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigTracker.class);
  /** Above this many changes for one Service, the log gives counts instead of each config. */
  private static final int DETAIL_LIMIT = 10;

  private final String source;
  private final ConfigListener listener;
  private final Map<String, Set<Config>> byService = new HashMap<>();

  ConfigTracker(String source, ConfigListener listener) {
    this.source = source;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Brings one Service's configs to {@code now}. */
  synchronized void update(String service, Collection<Config> now) {
    Set<Config> before = byService.getOrDefault(service, Set.of());
    Set<Config> after = new LinkedHashSet<>(now);
    List<Config> gone = before.stream().filter(c -> !after.contains(c)).toList();
    List<Config> added = after.stream().filter(c -> !before.contains(c)).toList();
    if (after.isEmpty()) {
      byService.remove(service);
    } else {
      byService.put(service, after);
    }
    if (gone.isEmpty() && added.isEmpty()) {
      return;
    }
    log("unscheduled", gone, service);
    log("scheduled", added, service);
    if (!gone.isEmpty()) {
      try {
        listener.unschedule(gone);
      } catch (RuntimeException e) {
        LOG.error("{}: the config listener failed to unschedule {} config(s) of {}", source, gone.size(), service, e);
      }
    }
    if (!added.isEmpty()) {
      try {
        listener.schedule(added);
      } catch (RuntimeException e) {
        LOG.error("{}: the config listener failed to schedule {} config(s) of {}", source, added.size(), service, e);
      }
    }
  }

  private void log(String verb, List<Config> configs, String service) {
    if (configs.isEmpty()) {
      return;
    }
    if (configs.size() <= DETAIL_LIMIT) {
      for (Config c : configs) {
        LOG.info("{}: {} {} for {}{}", source, verb, c.checkName().isEmpty() ? "logs config" : c.checkName(),
            service, describeTarget(c));
      }
    } else {
      LOG.info("{}: {} {} config(s) for {} ({})", source, verb, configs.size(), service,
          configs.stream().map(Config::checkName).distinct().sorted().collect(Collectors.joining(", ")));
    }
  }

  private static String describeTarget(Config c) {
    String id = c.serviceId();
    int slash = id.lastIndexOf('/');
    if (!id.startsWith("kube_endpoint_uid://") || slash < 0) {
      return "";
    }
    String ip = id.substring(slash + 1);
    return c.nodeName().isEmpty() ? " on " + ip : " on " + ip + " (node " + c.nodeName() + ")";
  }

  /** Everything scheduled, ordered by Service. */
  synchronized List<Config> configs() {
    List<Config> all = new ArrayList<>();
    byService.keySet().stream().sorted().forEach(k -> all.addAll(byService.get(k)));
    return all;
  }

  synchronized Set<String> services() {
    return Set.copyOf(byService.keySet());
  }
}
