package dev.meridian.store.embedded;

import dev.meridian.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} events, for watches that start in the past. Every write has its own
 * revision, so the events held are exactly the revisions from {@link #firstRevision()} on and an
 * event is found by arithmetic instead of a search.
 */
final class EventHistory {
  private final WatchEvent[] ring;
  private int head;
  private int size;
  private long firstRevision;

  EventHistory(int capacity, long nextRevision) {
    this.ring = new WatchEvent[capacity];
    this.firstRevision = nextRevision;
  }

  /** The oldest revision that can still be replayed (the next one if none is held). */
  long firstRevision() {
    return firstRevision;
  }

  void append(WatchEvent event) {
    if (ring.length == 0) {
      firstRevision = event.revision() + 1;
      return;
    }
    if (size == ring.length) {
      ring[head] = null;
      head = (head + 1) % ring.length;
      size--;
      firstRevision++;
    }
    ring[(head + size) % ring.length] = event;
    size++;
  }

  /** Held events from {@code fromRevision} on whose key starts with {@code prefix}. */
  List<WatchEvent> since(long fromRevision, String prefix) {
    List<WatchEvent> events = new ArrayList<>();
    for (long i = Math.max(0, fromRevision - firstRevision); i < size; i++) {
      WatchEvent event = ring[(int) ((head + i) % ring.length)];
      if (event.kv().key().startsWith(prefix)) {
        events.add(event);
      }
    }
    return events;
  }
}
