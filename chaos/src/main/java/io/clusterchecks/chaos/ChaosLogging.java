package io.clusterchecks.chaos;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos process logs warnings only: a hundred workers log every check they start, and
 * ZooKeeper's servers log every session; the run's own output is its event log and summary.
 */
final class ChaosLogging {
  private ChaosLogging() {}

  static void quiet() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
    // The ensemble's servers log every stop and restart the schedule makes, as warnings and errors,
    // and workers warn at every request a fault fails: the invariants say what matters.
    for (String noisy : new String[] {"org.apache.zookeeper", "org.apache.curator", "io.clusterchecks.worker"}) {
      if (LoggerFactory.getLogger(noisy) instanceof Logger l) {
        l.setLevel(Level.OFF);
      }
    }
  }
}
