package dev.meridian.store.embedded;

import dev.meridian.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single commit thread: it takes every write queued since its last fsync, evaluates them as one
 * batch, appends them with one write and one fsync, applies them and only then answers the callers.
 *
 * <p>One thread makes compare-and-swap trivially atomic and revisions gap-free, and it is the group
 * commit: while one fsync runs the next batch queues up, so the fsync cost is shared by all the
 * writers that arrived meanwhile. An I/O failure is final: after a failed fsync the kernel may have
 * dropped the dirty pages, so retrying could acknowledge lost data; the store refuses further
 * writes and must be reopened, which recovers from what is really on disk.
 */
final class GroupCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  /** Caps a batch so that a burst does not delay its first writers behind a huge write. */
  private static final int MAX_BATCH = 4096;

  private final Keyspace keyspace;
  private final LeaseTable leases;
  private final WriteAheadLog log;
  private final WatchHub hub;
  private final Snapshotter snapshotter;
  private final BlockingQueue<WriteRequest<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  /** Why new writes are refused (closed or failed); guarded by {@code queue}. */
  private StoreException refusal;

  GroupCommitter(
      Keyspace keyspace,
      LeaseTable leases,
      WriteAheadLog log,
      WatchHub hub,
      Snapshotter snapshotter) {
    this.keyspace = keyspace;
    this.leases = leases;
    this.log = log;
    this.hub = hub;
    this.snapshotter = snapshotter;
    this.thread = StoreThreads.named("meridian-store-commit").newThread(this::run);
    thread.start();
  }

  /** Queues {@code request} and waits until it is durable and visible. */
  <T> T execute(WriteRequest<T> request) {
    submit(request);
    try {
      return request.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new StoreException("write failed", e.getCause());
    }
  }

  /** Queues {@code request} without waiting for it. */
  void submit(WriteRequest<?> request) {
    synchronized (queue) {
      if (refusal != null) {
        throw new StoreException(refusal.getMessage(), refusal);
      }
      queue.add(request);
    }
  }

  /** Commits everything queued so far, then stops the thread. */
  void stop() {
    synchronized (queue) {
      if (refusal == null) {
        refusal = new StoreException("store is closed");
        queue.add(new WriteRequest.Stop());
      }
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        // the queued writes must still be answered; finish waiting, then restore the flag
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<WriteRequest<?>> requests = new ArrayList<>();
    while (true) {
      requests.clear();
      try {
        requests.add(queue.take());
      } catch (InterruptedException e) {
        continue; // nobody interrupts this thread on purpose; stopping goes through the queue
      }
      queue.drainTo(requests, MAX_BATCH - 1);
      WriteBatch batch = new WriteBatch(keyspace, leases, System.nanoTime());
      boolean stop = false;
      for (WriteRequest<?> request : requests) {
        if (request instanceof WriteRequest.Stop) {
          stop = true; // nothing follows a Stop: it is queued last, under the lock
        } else {
          batch.add(request);
        }
      }
      try {
        commit(batch);
      } catch (Exception | Error e) {
        failPermanently(batch, e);
        return;
      }
      if (stop) {
        return;
      }
    }
  }

  private void commit(WriteBatch batch) throws Exception {
    if (!batch.frames().isEmpty()) {
      log.append(batch.frames());
    }
    keyspace.apply(batch.events());
    hub.publish(batch.events());
    batch.complete();
    snapshotter.afterCommit();
  }

  private void failPermanently(WriteBatch batch, Throwable cause) {
    LOG.error("Write-ahead log failed; refusing writes until the store is reopened", cause);
    StoreException failure =
        new StoreException("write-ahead log failed; reopen the store to recover", cause);
    List<WriteRequest<?>> unanswered = new ArrayList<>();
    synchronized (queue) {
      refusal = failure;
      queue.drainTo(unanswered);
    }
    batch.fail(failure);
    unanswered.forEach(request -> request.result().completeExceptionally(failure));
    hub.closeAll(failure);
  }
}
