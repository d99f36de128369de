package dev.meridian.store.embedded;

import dev.meridian.store.CompactedException;
import dev.meridian.store.StoreException;
import dev.meridian.store.Watch;
import dev.meridian.store.WatchEvent;
import dev.meridian.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Fans committed events out to watches and keeps the history they replay from.
 *
 * <p>Publishing and subscribing take the same lock, so a new watch gets every event either from the
 * history or live, never both and never neither. Publishing only enqueues: listeners run on the
 * delivery executor, never on the commit thread.
 */
final class WatchHub {
  private final EventHistory history;
  private final Executor executor;
  private final int queueCapacity;

  /** The most a listener may ask to fall behind ({@link WatchListener#maxBacklog}). */
  static final int MAX_BACKLOG = 1_000_000;

  private final List<WatchSubscription> subscriptions = new ArrayList<>();
  private long lastRevision;
  private StoreException closed;

  WatchHub(
      long revision, int historyEvents, long historyBytes, int queueCapacity, Executor executor) {
    this.history = new EventHistory(historyEvents, historyBytes, revision + 1);
    this.lastRevision = revision;
    this.queueCapacity = queueCapacity;
    this.executor = executor;
  }

  synchronized long compactRevision() {
    return history.firstRevision();
  }

  synchronized void publish(List<WatchEvent> events) {
    for (WatchEvent event : events) {
      history.append(event);
      lastRevision = event.revision();
      subscriptions.removeIf(subscription -> !subscription.offer(event));
    }
  }

  synchronized Watch subscribe(String prefix, long fromRevision, WatchListener listener) {
    if (closed != null) {
      throw new StoreException(closed.getMessage(), closed);
    }
    long first = history.firstRevision();
    if (fromRevision != 0 && fromRevision < first) {
      throw new CompactedException(fromRevision, first);
    }
    long minRevision = fromRevision == 0 ? lastRevision + 1 : fromRevision;
    WatchSubscription subscription =
        new WatchSubscription(
            prefix,
            minRevision,
            history.since(minRevision, prefix),
            listener,
            executor,
            listener.maxBacklog() > 0
                ? Math.min(listener.maxBacklog(), MAX_BACKLOG)
                : queueCapacity,
            this::remove);
    subscriptions.add(subscription);
    return subscription;
  }

  private synchronized void remove(WatchSubscription subscription) {
    subscriptions.remove(subscription);
  }

  /** Ends every watch with {@code reason}. */
  synchronized void closeAll(StoreException reason) {
    closed = reason;
    for (WatchSubscription subscription : subscriptions) {
      subscription.fail(reason);
    }
    subscriptions.clear();
  }
}
