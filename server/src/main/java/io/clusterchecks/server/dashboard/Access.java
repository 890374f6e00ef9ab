package io.clusterchecks.server.dashboard;

/** What a dashboard user may do: look, or also act (rebalance, isolate). */
public enum Access {
  /** Every view; no action. */
  READ_ONLY,
  /** Views and actions: the cluster token. */
  FULL;

  boolean mayAct() {
    return this == FULL;
  }
}
