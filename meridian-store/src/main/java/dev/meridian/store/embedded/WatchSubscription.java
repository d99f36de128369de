package dev.meridian.store.embedded;

import dev.meridian.store.StoreException;
import dev.meridian.store.Watch;
import dev.meridian.store.WatchEvent;
import dev.meridian.store.WatchListener;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: replays its history events, then live ones, to its listener one at a time on the
 * shared delivery executor.
 *
 * <p>The live queue is bounded: a listener that falls more than {@code capacity} events behind is
 * ended with {@link WatchListener#onError} rather than slowing the writers or growing without bound
 * — its owner re-lists and watches again, as with a compacted watch. The replay is not counted
 * against the bound because its size is already bounded by the history.
 */
final class WatchSubscription implements Watch {
  private static final Logger LOG = LoggerFactory.getLogger(WatchSubscription.class);

  /** Events delivered per executor task before yielding the thread to other watches. */
  private static final int DELIVERY_BATCH = 256;

  private final String prefix;
  private final long minRevision;
  private final WatchListener listener;
  private final Executor executor;
  private final int capacity;
  private final Consumer<WatchSubscription> onEnd;

  // guarded by this
  private List<WatchEvent> replay;
  private int replayed;
  private final ArrayDeque<WatchEvent> live = new ArrayDeque<>();
  private StoreException error;
  private boolean scheduled;
  private boolean ended;

  WatchSubscription(
      String prefix,
      long minRevision,
      List<WatchEvent> replay,
      WatchListener listener,
      Executor executor,
      int capacity,
      Consumer<WatchSubscription> onEnd) {
    this.prefix = prefix;
    this.minRevision = minRevision;
    this.replay = replay;
    this.listener = listener;
    this.executor = executor;
    this.capacity = capacity;
    this.onEnd = onEnd;
    synchronized (this) {
      if (!replay.isEmpty()) {
        schedule();
      }
    }
  }

  /** Queues a live event; false once this watch has ended and should be dropped. */
  synchronized boolean offer(WatchEvent event) {
    if (ended || error != null) {
      return false;
    }
    if (event.revision() < minRevision || !event.kv().key().startsWith(prefix)) {
      return true;
    }
    if (live.size() >= capacity) {
      LOG.warn("Dropping a watch on '{}': its listener is {} events behind", prefix, capacity);
      fail(new StoreException("watch fell more than " + capacity + " events behind"));
      return false;
    }
    live.add(event);
    schedule();
    return true;
  }

  /** Ends the watch: pending events are dropped and the listener gets {@code reason}. */
  synchronized void fail(StoreException reason) {
    if (ended || error != null) {
      return;
    }
    error = reason;
    dropPending();
    schedule();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      dropPending();
    }
    onEnd.accept(this);
  }

  private void dropPending() {
    replay = List.of();
    replayed = 0;
    live.clear();
  }

  private void schedule() {
    if (scheduled) {
      return;
    }
    scheduled = true;
    try {
      executor.execute(this::deliver);
    } catch (RejectedExecutionException e) {
      // the store is closing and its delivery threads are gone
      scheduled = false;
    }
  }

  private void deliver() {
    for (int delivered = 0; ; delivered++) {
      WatchEvent event = null;
      StoreException failure = null;
      synchronized (this) {
        if (ended) {
          scheduled = false;
          return;
        }
        if (error != null) {
          failure = error;
          ended = true;
        } else if (delivered == DELIVERY_BATCH) {
          // yield the thread so one busy watch cannot starve the others
          scheduled = false;
          schedule();
          return;
        } else if (replayed < replay.size()) {
          event = replay.get(replayed++);
        } else {
          event = live.poll();
          if (event == null) {
            scheduled = false;
            return;
          }
        }
      }
      if (failure != null) {
        notifyError(failure);
        return;
      }
      try {
        listener.onEvent(event);
      } catch (RuntimeException | Error e) {
        // an escaping throwable would leave the watch marked as scheduled and stuck for good
        LOG.warn("Ending a watch on '{}': its listener threw", prefix, e);
        fail(new StoreException("watch listener failed", e));
      }
    }
  }

  private void notifyError(StoreException failure) {
    onEnd.accept(this);
    try {
      listener.onError(failure);
    } catch (RuntimeException e) {
      LOG.warn("A watch listener on '{}' threw from onError", prefix, e);
    }
  }
}
