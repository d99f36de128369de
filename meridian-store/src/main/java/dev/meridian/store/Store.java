package dev.meridian.store;

import java.time.Duration;
import java.util.Optional;

/**
 * Meridian's data store, with etcd's semantics so that an etcd backend is a thin adapter.
 *
 * <p>Every write increases one global {@linkplain #currentRevision() revision}. A key's value
 * carries the revision that created it and the one that last modified it; writes may be guarded by
 * a {@link Precondition} on that modification revision (compare-and-swap). A write returns only
 * once it is durable: after a crash every acknowledged write is there and nothing half-written is
 * visible. Keys are strings, values opaque bytes.
 */
public interface Store extends AutoCloseable {

  /** The revision of the last write (0 for an empty store). */
  long currentRevision();

  /**
   * The oldest revision from which {@link #watch} can still replay events; {@link
   * #currentRevision()} + 1 when no past events are kept (for example just after a restart).
   */
  long compactRevision();

  Optional<KeyValue> get(String key);

  /** All keys starting with {@code prefix}, in key order, as of one consistent revision. */
  ListResult list(String prefix);

  /**
   * Stores {@code value} under {@code key} if {@code precondition} holds.
   *
   * @param lease a lease id from {@link #grantLease} (the key is deleted when it expires), or 0
   * @return the stored key-value with its new revisions
   * @throws PreconditionFailedException if the precondition does not hold; nothing is written
   * @throws LeaseNotFoundException if {@code lease} is not 0 and not a live lease
   */
  KeyValue put(String key, byte[] value, Precondition precondition, long lease);

  /**
   * Deletes {@code key} if it exists and {@code precondition} holds.
   *
   * @return the value that was deleted, or empty if the key did not exist
   * @throws PreconditionFailedException if the precondition does not hold; nothing is deleted
   */
  Optional<KeyValue> delete(String key, Precondition precondition);

  /**
   * Streams every change to keys starting with {@code prefix} with a revision of at least {@code
   * fromRevision} (0: only changes after now), first replaying the ones already made. Events are
   * delivered in revision order, one at a time per watch (never concurrently, never on the writer's
   * thread); the listener must not block for long: one that falls too far behind is ended with
   * {@link WatchListener#onError}, after which its owner lists again and starts a new watch.
   *
   * @throws CompactedException if {@code fromRevision} is older than {@link #compactRevision()}
   */
  Watch watch(String prefix, long fromRevision, WatchListener listener);

  /** Grants a lease that expires after {@code ttl} unless kept alive. */
  Lease grantLease(Duration ttl);

  /**
   * Extends a lease by its TTL.
   *
   * @throws LeaseNotFoundException if it expired or was revoked
   */
  void keepAlive(long leaseId);

  /** Revokes a lease now, deleting the keys attached to it. Unknown ids are ignored. */
  void revokeLease(long leaseId);

  @Override
  void close();
}
