package io.clusterchecks.server.settings;

import io.clusterchecks.core.dispatch.DispatcherSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rules between keys, checked once after every key has its own valid value: each refusal
 * names the keys involved and where their values came from. Where the dispatcher holds the rule
 * (the unscheduled-check threshold, the balancing bands), it is asked, so the rule is written once.
 */
final class CrossKeyRules {
  private CrossKeyRules() {}

  static void apply(SettingValues.Builder v, Map<String, String> origins, List<String> warnings) {
    raiseUnscheduledThreshold(v, warnings);
    if (v.get(Keys.CLUSTER_CHECKS_SUPPORT_HYBRID_IGNORE_AD_TAGS)) {
      warnings.add(Keys.CLUSTER_CHECKS_SUPPORT_HYBRID_IGNORE_AD_TAGS.key() + " is deprecated: put"
          + " ignore_autodiscovery_tags inside the ad.datadoghq.com/<service|endpoints>.checks annotation instead");
    }
    requireBothTlsFiles(v, origins);
    requireBandsThatFit(v);
    requireZooKeeperEnsemble(v, origins);
  }

  private static void raiseUnscheduledThreshold(SettingValues.Builder v, List<String> warnings) {
    Duration expiration = v.get(Keys.CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT);
    Duration threshold = v.get(Keys.CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD);
    Duration effective = DispatcherSettings.unscheduledThresholdFor(threshold, expiration);
    if (!effective.equals(threshold)) {
      warnings.add(Keys.CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD.key() + " (" + threshold.toSeconds()
          + "s) is lower than " + Keys.CLUSTER_CHECKS_NODE_EXPIRATION_TIMEOUT.key() + " (" + expiration.toSeconds()
          + "s); using " + effective.toSeconds() + "s");
      v.put(Keys.CLUSTER_CHECKS_UNSCHEDULED_CHECK_THRESHOLD, effective);
    }
  }

  private static void requireBothTlsFiles(SettingValues.Builder v, Map<String, String> origins) {
    String cert = v.get(Keys.CLUSTER_AGENT_TLS_CERT_FILE);
    String key = v.get(Keys.CLUSTER_AGENT_TLS_KEY_FILE);
    if (v.get(Keys.CLUSTER_AGENT_TLS_ENABLED) && cert.isEmpty() != key.isEmpty()) {
      String missing = (cert.isEmpty() ? Keys.CLUSTER_AGENT_TLS_CERT_FILE : Keys.CLUSTER_AGENT_TLS_KEY_FILE).key();
      String given = (cert.isEmpty() ? Keys.CLUSTER_AGENT_TLS_KEY_FILE : Keys.CLUSTER_AGENT_TLS_CERT_FILE).key();
      throw new SettingsException(given + " is set (from " + origins.getOrDefault(given, "default")
          + ") but " + missing + " is not: set both, or neither to use a self-signed certificate");
    }
  }

  /** The dispatcher's band rules ({@link DispatcherSettings.Balancing.BandRule}), in the keys' terms. */
  private static void requireBandsThatFit(SettingValues.Builder v) {
    int target = v.get(Keys.CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE);
    int trigger = v.get(Keys.CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE);
    int fillBelow = v.get(Keys.CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE);
    DispatcherSettings.Balancing.BandRule broken = DispatcherSettings.Balancing.BandRule.brokenBy(
        DerivedSettings.above(target), DerivedSettings.above(trigger), DerivedSettings.below(fillBelow));
    if (broken == null) {
      return;
    }
    Setting<Integer> band = broken == DispatcherSettings.Balancing.BandRule.TRIGGER
        ? Keys.CLUSTER_CHECKS_REBALANCE_TRIGGER_PERCENTAGE : Keys.CLUSTER_CHECKS_REBALANCE_FILL_BELOW_PERCENTAGE;
    throw new SettingsException(band.key() + " (" + v.get(band) + ") must be at least "
        + Keys.CLUSTER_CHECKS_REBALANCE_TARGET_PERCENTAGE.key() + " (" + target + "): " + broken.why());
  }

  private static void requireZooKeeperEnsemble(SettingValues.Builder v, Map<String, String> origins) {
    if (v.get(Keys.LEADER_ELECTION)
        && v.get(Keys.LEADER_ELECTION_BACKEND).equals(AgentSettings.LeaderElection.ZOOKEEPER)
        && v.get(Keys.LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING).isEmpty()) {
      String backend = Keys.LEADER_ELECTION_BACKEND.key();
      throw new SettingsException(backend + " is zookeeper (from " + origins.getOrDefault(backend, "default")
          + ") but " + Keys.LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING.key()
          + " is not set: give the ensemble as host:port,host:port");
    }
  }
}
