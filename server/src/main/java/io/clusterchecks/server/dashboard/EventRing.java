package io.clusterchecks.server.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} timeline events, oldest dropped first. Thread-safe. */
final class EventRing {
  private final int capacity;
  private final ArrayDeque<DashboardSnapshot.TimelineEvent> events;

  EventRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
    this.events = new ArrayDeque<>(capacity);
  }

  synchronized void add(long atMillis, String kind, String text) {
    if (events.size() == capacity) {
      events.removeFirst();
    }
    events.addLast(new DashboardSnapshot.TimelineEvent(atMillis, kind, text));
  }

  /** The newest {@code max} events, newest first. */
  synchronized List<DashboardSnapshot.TimelineEvent> newest(int max) {
    List<DashboardSnapshot.TimelineEvent> out = new ArrayList<>(Math.min(max, events.size()));
    var it = events.descendingIterator();
    while (it.hasNext() && out.size() < max) {
      out.add(it.next());
    }
    return out;
  }
}
