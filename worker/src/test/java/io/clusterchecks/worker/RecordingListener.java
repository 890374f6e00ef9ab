package io.clusterchecks.worker;

import io.clusterchecks.core.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every listener call, in order. */
final class RecordingListener implements WorkerListener {
  record Event(boolean scheduled, List<String> checkNames) {}

  final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void onScheduled(List<Config> configs) {
    events.add(new Event(true, names(configs)));
  }

  @Override
  public void onUnscheduled(List<Config> configs) {
    events.add(new Event(false, names(configs)));
  }

  /** How many times a check name was scheduled, over all events. */
  long timesScheduled(String checkName) {
    return events.stream().filter(Event::scheduled).flatMap(e -> e.checkNames().stream())
        .filter(checkName::equals).count();
  }

  long timesUnscheduled(String checkName) {
    return events.stream().filter(e -> !e.scheduled()).flatMap(e -> e.checkNames().stream())
        .filter(checkName::equals).count();
  }

  List<Event> snapshot() {
    return new ArrayList<>(events);
  }

  private static List<String> names(List<Config> configs) {
    return configs.stream().map(Config::checkName).toList();
  }
}
