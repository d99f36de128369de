package dev.meridian.store.embedded;

import dev.meridian.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} events, for watches that start in the past, as long as their values
 * (and keys) take at most {@code maxBytes}: the oldest go first. Every write has its own revision,
 * so the events held are exactly the revisions from {@link #firstRevision()} on and an event is
 * found by arithmetic instead of a search.
 */
final class EventHistory {
  private final WatchEvent[] ring;
  private final long maxBytes;
  private int head;
  private int size;
  private long bytes;
  private long firstRevision;

  EventHistory(int capacity, long maxBytes, long nextRevision) {
    this.ring = new WatchEvent[capacity];
    this.maxBytes = maxBytes;
    this.firstRevision = nextRevision;
  }

  /** What an event holds on to: its value and key (the previous value is an earlier event's). */
  private static long weight(WatchEvent e) {
    return (e.kv().value() == null ? 0 : e.kv().value().length) + 2L * e.kv().key().length() + 64;
  }

  private void dropOldest() {
    bytes -= weight(ring[head]);
    ring[head] = null;
    head = (head + 1) % ring.length;
    size--;
    firstRevision++;
  }

  /** Bytes held (for tests). */
  long bytes() {
    return bytes;
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
      dropOldest();
    }
    ring[(head + size) % ring.length] = event;
    size++;
    bytes += weight(event);
    while (bytes > maxBytes && size > 0) {
      dropOldest();
    }
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
