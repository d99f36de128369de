package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import dev.meridian.store.Lease;
import dev.meridian.store.ListResult;
import dev.meridian.store.Precondition;
import dev.meridian.store.Store;
import dev.meridian.store.StoreException;
import dev.meridian.store.Watch;
import dev.meridian.store.WatchListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The default {@link Store}: one process, state in memory, durability from a write-ahead log with
 * group commit and periodic snapshots in a directory of its own.
 *
 * <p>A write returns once its log record is fsynced; readers see only such writes and never wait
 * for an fsync. See the module README for the file format and the recovery rules.
 */
public final class EmbeddedStore implements Store {

  /**
   * @param historyEvents events kept in memory for watches that start in the past
   * @param historyBytes at most this many bytes of written values (and keys) in that history: a
   *     burst of large writes shortens it rather than filling the heap
   * @param snapshotThresholdBytes log size after which a snapshot replaces the log
   * @param fsync whether writes wait for the disk; off only for speed in tests, since a crash may
   *     then lose acknowledged writes
   * @param watchQueueCapacity live events a watch may have pending before it is dropped
   */
  public record Options(
      int historyEvents,
      long historyBytes,
      long snapshotThresholdBytes,
      boolean fsync,
      int watchQueueCapacity) {

    public Options {
      if (historyEvents < 0 || historyBytes < 0) {
        throw new IllegalArgumentException("historyEvents and historyBytes must not be negative");
      }
      if (snapshotThresholdBytes < 1 || watchQueueCapacity < 1) {
        throw new IllegalArgumentException(
            "snapshotThresholdBytes and watchQueueCapacity must be positive");
      }
    }

    public static Options defaults() {
      return new Options(100_000, 64L << 20, 64L << 20, true, 10_000);
    }

    public Options withHistoryEvents(int events) {
      return new Options(events, historyBytes, snapshotThresholdBytes, fsync, watchQueueCapacity);
    }

    public Options withHistoryBytes(long bytes) {
      return new Options(historyEvents, bytes, snapshotThresholdBytes, fsync, watchQueueCapacity);
    }

    public Options withSnapshotThresholdBytes(long bytes) {
      return new Options(historyEvents, historyBytes, bytes, fsync, watchQueueCapacity);
    }

    public Options withFsync(boolean on) {
      return new Options(
          historyEvents, historyBytes, snapshotThresholdBytes, on, watchQueueCapacity);
    }

    public Options withWatchQueueCapacity(int events) {
      return new Options(historyEvents, historyBytes, snapshotThresholdBytes, fsync, events);
    }
  }

  /** How often expired leases are looked for; bounds how late past its TTL a lease expires. */
  private static final long LEASE_TICK_MILLIS = 50;

  private final DataDirectory dir;
  private final WriteAheadLog log;
  private final Keyspace keyspace;
  private final LeaseTable leases;
  private final WatchHub hub;
  private final ExecutorService delivery;
  private final Snapshotter snapshotter;
  private final GroupCommitter committer;
  private final ScheduledExecutorService leaseClock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedStore(DataDirectory dir, Recovery.Recovered state, Options options) {
    this.dir = dir;
    this.log = state.log();
    this.keyspace = state.keyspace();
    this.leases = state.leases();
    this.delivery = Executors.newCachedThreadPool(StoreThreads.named("meridian-store-watch"));
    this.hub =
        new WatchHub(
            keyspace.revision(),
            options.historyEvents(),
            options.historyBytes(),
            options.watchQueueCapacity(),
            delivery);
    this.snapshotter =
        new Snapshotter(dir, log, keyspace, leases, options.snapshotThresholdBytes());
    this.committer = new GroupCommitter(keyspace, leases, log, hub, snapshotter);
    this.leaseClock =
        Executors.newSingleThreadScheduledExecutor(StoreThreads.named("meridian-store-leases"));
    leaseClock.scheduleWithFixedDelay(
        this::expireLeases, LEASE_TICK_MILLIS, LEASE_TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  public static EmbeddedStore open(Path dir) {
    return open(dir, Options.defaults());
  }

  /**
   * Opens the store in {@code dir}, creating it if needed, and recovers its state.
   *
   * @throws StoreException if the directory is in use by another store or its data is damaged
   *     beyond a torn last write
   */
  public static EmbeddedStore open(Path dir, Options options) {
    DataDirectory data;
    try {
      data = DataDirectory.open(dir, options.fsync());
    } catch (IOException e) {
      throw new StoreException("cannot open store directory " + dir, e);
    }
    try {
      return new EmbeddedStore(data, Recovery.run(data), options);
    } catch (IOException | RuntimeException e) {
      closeQuietly(data, e);
      throw e instanceof StoreException se
          ? se
          : new StoreException("cannot recover the store in " + dir, e);
    }
  }

  @Override
  public long currentRevision() {
    ensureOpen();
    return keyspace.revision();
  }

  @Override
  public long compactRevision() {
    ensureOpen();
    return hub.compactRevision();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    return keyspace.get(key);
  }

  @Override
  public ListResult list(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    ensureOpen();
    return keyspace.list(prefix);
  }

  @Override
  public KeyValue put(String key, byte[] value, Precondition precondition, long lease) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(precondition, "precondition");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    // the caller may reuse its array; the store's copy must never change
    return committer.execute(new WriteRequest.Put(key, value.clone(), precondition, lease));
  }

  @Override
  public Optional<KeyValue> delete(String key, Precondition precondition) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(precondition, "precondition");
    return committer.execute(new WriteRequest.Delete(key, precondition));
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision must not be negative: " + fromRevision);
    }
    ensureOpen();
    return hub.subscribe(prefix, fromRevision, listener);
  }

  @Override
  public Lease grantLease(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("lease TTL must be at least 1 ms: " + ttl);
    }
    return committer.execute(new WriteRequest.GrantLease(Duration.ofMillis(ttl.toMillis())));
  }

  @Override
  public void keepAlive(long leaseId) {
    ensureOpen();
    leases.keepAlive(leaseId, System.nanoTime());
  }

  @Override
  public void revokeLease(long leaseId) {
    committer.execute(new WriteRequest.RevokeLease(leaseId, false));
  }

  private void expireLeases() {
    try {
      for (long id : leases.claimExpired(System.nanoTime())) {
        committer.submit(new WriteRequest.RevokeLease(id, true));
      }
    } catch (StoreException e) {
      // closing or failed: the leases are restored with a full TTL on the next open anyway
    }
  }

  /** Answers queued writes, stops the threads and releases the directory. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leaseClock.shutdownNow();
    committer.stop();
    snapshotter.close();
    hub.closeAll(new StoreException("store is closed"));
    delivery.shutdown();
    StoreException failure = null;
    try {
      log.close();
    } catch (IOException e) {
      failure = new StoreException("cannot close the write-ahead log", e);
    }
    closeQuietly(dir, failure);
    if (failure != null) {
      throw failure;
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new StoreException("store is closed");
    }
  }

  private static void closeQuietly(DataDirectory dir, Exception primary) {
    try {
      dir.close();
    } catch (IOException e) {
      if (primary != null) {
        primary.addSuppressed(e);
      }
    }
  }
}
