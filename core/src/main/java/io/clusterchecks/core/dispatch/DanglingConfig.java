package io.clusterchecks.core.dispatch;

/**
 * A config no worker runs, because none reported when it arrived or its worker expired.
 *
 * @param since epoch millis when it became dangling; kept across failed re-dispatch attempts
 * @param unscheduled whether it has been reported as an unscheduled check (docs/reference/dispatcher.md section 6)
 */
record DanglingConfig(DispatchedConfig config, long since, boolean unscheduled) {
  DanglingConfig flagged() {
    return new DanglingConfig(config, since, true);
  }
}
