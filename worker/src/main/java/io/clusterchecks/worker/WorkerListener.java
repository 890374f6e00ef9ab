package io.clusterchecks.worker;

import io.clusterchecks.core.config.Config;
import java.util.List;

/**
 * What a {@link ClusterChecksWorker} tells the check runner after each config fetch: the configs
 * to start and the configs to stop, found by comparing digests with the current set. A config
 * whose digest did not change appears in neither list, so its check is not restarted.
 *
 * <p>Called on the worker's poll thread, never concurrently for one worker, only with non-empty
 * lists, and removals before additions. A slow listener stalls the poll loop (the extra heartbeat
 * keeps the node registered meanwhile); an exception is logged and does not stop the worker.
 */
public interface WorkerListener {
  void onScheduled(List<Config> configs);

  void onUnscheduled(List<Config> configs);

  /** A listener that ignores everything. */
  WorkerListener NONE = new WorkerListener() {
    @Override
    public void onScheduled(List<Config> configs) {}

    @Override
    public void onUnscheduled(List<Config> configs) {}
  };
}
