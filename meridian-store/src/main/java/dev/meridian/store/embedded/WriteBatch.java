package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import dev.meridian.store.Lease;
import dev.meridian.store.LeaseNotFoundException;
import dev.meridian.store.Precondition;
import dev.meridian.store.PreconditionFailedException;
import dev.meridian.store.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The writes of one group commit, evaluated in order against the committed keys plus the earlier
 * writes of the same batch, which are not visible to readers until the batch is durable.
 *
 * <p>Evaluation assigns revisions, checks preconditions and leases, and produces the log frames and
 * the watch events; callers learn their outcome only in {@link #complete()}, after the fsync, so
 * even a failed precondition is never reported against a write that a crash could undo.
 */
final class WriteBatch {
  private final Keyspace keyspace;
  private final LeaseTable leases;
  private final long nowNanos;

  /** Keys written by this batch; a null value marks a deletion. */
  private final Map<String, KeyValue> pending = new HashMap<>();

  private final List<byte[]> frames = new ArrayList<>();
  private final List<WatchEvent> events = new ArrayList<>();
  private final List<Runnable> outcomes = new ArrayList<>();
  private final List<WriteRequest<?>> requests = new ArrayList<>();
  private long revision;

  WriteBatch(Keyspace keyspace, LeaseTable leases, long nowNanos) {
    this.keyspace = keyspace;
    this.leases = leases;
    this.nowNanos = nowNanos;
    this.revision = keyspace.revision();
  }

  void add(WriteRequest<?> request) {
    requests.add(request);
    try {
      if (request instanceof WriteRequest.Put put) {
        put(put);
      } else if (request instanceof WriteRequest.Delete delete) {
        delete(delete);
      } else if (request instanceof WriteRequest.GrantLease grant) {
        grant(grant);
      } else if (request instanceof WriteRequest.RevokeLease revoke) {
        revoke(revoke);
      } else {
        throw new IllegalStateException("not a write: " + request);
      }
    } catch (IllegalArgumentException e) {
      // an oversized record, caught by encoding before any state changed
      refuse(request, e);
    }
  }

  List<byte[]> frames() {
    return frames;
  }

  List<WatchEvent> events() {
    return events;
  }

  /** Reports every outcome; call once the frames are durable and the events applied. */
  void complete() {
    outcomes.forEach(Runnable::run);
  }

  /** Fails every request of the batch, used when the batch could not be made durable. */
  void fail(RuntimeException failure) {
    requests.forEach(request -> request.result().completeExceptionally(failure));
  }

  private KeyValue current(String key) {
    return pending.containsKey(key) ? pending.get(key) : keyspace.committed(key);
  }

  private void put(WriteRequest.Put put) {
    KeyValue current = current(put.key());
    if (!holds(put.precondition(), current)) {
      refuse(put, new PreconditionFailedException(put.key(), current));
      return;
    }
    if (put.lease() != 0 && leases.get(put.lease()) == null) {
      refuse(put, new LeaseNotFoundException(put.lease()));
      return;
    }
    long rev = revision + 1;
    long created = current == null ? rev : current.createRevision();
    long version = current == null ? 1 : current.version() + 1;
    KeyValue kv = new KeyValue(put.key(), put.value(), created, rev, version, put.lease());
    frames.add(Frames.encode(new LogRecord.Put(kv)));
    revision = rev;
    pending.put(kv.key(), kv);
    events.add(new WatchEvent(WatchEvent.Type.PUT, kv, current));
    if (current != null) {
      leases.detach(current.lease(), kv.key());
    }
    leases.attach(kv.lease(), kv.key());
    outcomes.add(() -> put.result().complete(kv));
  }

  private void delete(WriteRequest.Delete delete) {
    KeyValue current = current(delete.key());
    if (!holds(delete.precondition(), current)) {
      refuse(delete, new PreconditionFailedException(delete.key(), current));
      return;
    }
    if (current != null) {
      deleteKey(current);
    }
    outcomes.add(() -> delete.result().complete(Optional.ofNullable(current)));
  }

  private void deleteKey(KeyValue current) {
    long rev = revision + 1;
    frames.add(Frames.encode(new LogRecord.Delete(rev, current.key())));
    revision = rev;
    pending.put(current.key(), null);
    KeyValue tombstone = new KeyValue(current.key(), null, 0, rev, 0, 0);
    events.add(new WatchEvent(WatchEvent.Type.DELETE, tombstone, current));
    leases.detach(current.lease(), current.key());
  }

  private void grant(WriteRequest.GrantLease grant) {
    LeaseTable.Entry entry = leases.grant(grant.ttl(), nowNanos);
    frames.add(Frames.encode(new LogRecord.LeaseGrant(entry.id, entry.ttl.toMillis())));
    outcomes.add(() -> grant.result().complete(new Lease(entry.id, entry.ttl)));
  }

  private void revoke(WriteRequest.RevokeLease revoke) {
    LeaseTable.Entry entry = leases.get(revoke.id());
    if (entry != null && revoke.onlyIfExpired() && !entry.expired(nowNanos)) {
      entry.cancelExpiry();
    } else if (entry != null) {
      // deletions first: if a crash cuts this batch short, the lease survives with its remaining
      // keys and expires again after the restart, instead of leaving keys on a revoked lease
      for (String key : new TreeSet<>(entry.keys)) {
        deleteKey(current(key));
      }
      frames.add(Frames.encode(new LogRecord.LeaseRevoke(entry.id)));
      leases.remove(entry.id);
    }
    outcomes.add(() -> revoke.result().complete(null));
  }

  private void refuse(WriteRequest<?> request, RuntimeException reason) {
    outcomes.add(() -> request.result().completeExceptionally(reason));
  }

  private static boolean holds(Precondition precondition, KeyValue current) {
    if (precondition instanceof Precondition.None) {
      return true;
    } else if (precondition instanceof Precondition.Absent) {
      return current == null;
    } else if (precondition instanceof Precondition.Present) {
      return current != null;
    } else if (precondition instanceof Precondition.ModRevision expected) {
      return current != null && current.modRevision() == expected.revision();
    }
    throw new IllegalArgumentException("unknown precondition " + precondition);
  }
}
