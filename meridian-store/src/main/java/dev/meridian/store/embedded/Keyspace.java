package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import dev.meridian.store.ListResult;
import dev.meridian.store.WatchEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The committed keys: only writes already durable in the log are applied here, so a reader never
 * sees a write that a crash could still take back, and readers never wait for an fsync — the write
 * lock is held only while a durable batch is applied in memory.
 *
 * <p>The commit thread is the only writer; it reads without the lock.
 */
final class Keyspace {
  private final TreeMap<String, KeyValue> entries = new TreeMap<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile long revision;

  long revision() {
    return revision;
  }

  Optional<KeyValue> get(String key) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(entries.get(key));
    } finally {
      lock.readLock().unlock();
    }
  }

  ListResult list(String prefix) {
    lock.readLock().lock();
    try {
      List<KeyValue> items = new ArrayList<>();
      for (KeyValue kv : entries.tailMap(prefix, true).values()) {
        if (!kv.key().startsWith(prefix)) {
          break;
        }
        items.add(kv);
      }
      return new ListResult(Collections.unmodifiableList(items), revision);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The committed value of {@code key}, or null; commit thread and recovery only. */
  KeyValue committed(String key) {
    return entries.get(key);
  }

  /** Every entry in key order; commit thread and recovery only. */
  List<KeyValue> copyAll() {
    return new ArrayList<>(entries.values());
  }

  /** Makes a durable batch visible. */
  void apply(List<WatchEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    lock.writeLock().lock();
    try {
      for (WatchEvent event : events) {
        if (event.type() == WatchEvent.Type.PUT) {
          entries.put(event.kv().key(), event.kv());
        } else {
          entries.remove(event.kv().key());
        }
      }
      revision = events.get(events.size() - 1).revision();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Loads a snapshot into the empty keyspace during recovery. */
  void load(long snapshotRevision, List<KeyValue> snapshotEntries) {
    for (KeyValue kv : snapshotEntries) {
      entries.put(kv.key(), kv);
    }
    revision = snapshotRevision;
  }

  /** Re-applies a logged put or delete during recovery. */
  void replay(LogRecord record) {
    if (record instanceof LogRecord.Put put) {
      expectNext(put.kv().modRevision());
      entries.put(put.kv().key(), put.kv());
      revision = put.kv().modRevision();
    } else if (record instanceof LogRecord.Delete delete) {
      expectNext(delete.revision());
      entries.remove(delete.key());
      revision = delete.revision();
    }
  }

  private void expectNext(long logged) {
    if (logged != revision + 1) {
      throw new CorruptLogException(
          "log record at revision " + logged + " does not follow revision " + revision);
    }
  }
}
