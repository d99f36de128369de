package dev.meridian.controllers.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} over a queue of keys, like client-go's work queue: a key queued many
 * times is reconciled once; a key is never reconciled by two workers at once (a change arriving
 * during a pass queues it again); failures retry with exponential backoff (100 ms to 30 s); a
 * requested resync is scheduled. Workers come from a shared pool, so controllers do not each own
 * threads.
 */
public final class ControllerRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerRunner.class);
  private static final long BASE_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String name;
  private final Reconciler reconciler;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final int concurrency;

  private final Object lock = new Object();
  private final LinkedHashSet<String> queue = new LinkedHashSet<>();
  private final Set<String> active = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> delayed = new HashMap<>();
  private int running;
  private boolean closed;

  public ControllerRunner(
      String name,
      Reconciler reconciler,
      ExecutorService workers,
      ScheduledExecutorService timers,
      int concurrency) {
    this.name = name;
    this.reconciler = reconciler;
    this.workers = workers;
    this.timers = timers;
    this.concurrency = concurrency;
  }

  /** Queues {@code key} for a pass as soon as a worker is free. */
  public void enqueue(String key) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      ScheduledFuture<?> d = delayed.remove(key);
      if (d != null) {
        d.cancel(false);
      }
      if (active.contains(key)) {
        dirty.add(key);
        return;
      }
      queue.add(key);
      dispatch();
    }
  }

  /** Queues {@code key} after {@code delay}, unless something queues it sooner. */
  public void enqueueAfter(String key, Duration delay) {
    synchronized (lock) {
      if (closed || queue.contains(key)) {
        return;
      }
      ScheduledFuture<?> old = delayed.get(key);
      if (old != null && old.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
        return;
      }
      enqueueAfterLocked(key, delay);
    }
  }

  /** Whether nothing is queued or running (for tests and orderly shutdown). */
  public boolean idle() {
    synchronized (lock) {
      return queue.isEmpty() && active.isEmpty();
    }
  }

  private void dispatch() {
    while (running < concurrency && !queue.isEmpty()) {
      String key = queue.iterator().next();
      queue.remove(key);
      active.add(key);
      running++;
      workers.execute(() -> process(key));
    }
  }

  private void process(String key) {
    Duration requeue = null;
    boolean failed = false;
    try {
      requeue = reconciler.reconcile(key);
    } catch (Exception e) {
      failed = true;
      LOG.warn("{}: reconciling {} failed, will retry: {}", name, key, e.toString());
    } catch (Error e) {
      failed = true;
      LOG.error("{}: reconciling {} failed", name, key, e);
    }
    synchronized (lock) {
      active.remove(key);
      running--;
      if (closed) {
        return;
      }
      if (failed) {
        int n = failures.merge(key, 1, Integer::sum);
        long backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(n - 1, 20));
        requeue = Duration.ofMillis(backoff);
      } else {
        failures.remove(key);
      }
      if (dirty.remove(key)) {
        queue.add(key);
      } else if (requeue != null) {
        // a sooner pass asked for during this one (enqueueAfter) stands: the resync a pass
        // returns must not push it back
        ScheduledFuture<?> sooner = delayed.get(key);
        if (sooner == null || sooner.getDelay(TimeUnit.MILLISECONDS) > requeue.toMillis()) {
          enqueueAfterLocked(key, requeue);
        }
      }
      dispatch();
    }
  }

  private void enqueueAfterLocked(String key, Duration delay) {
    ScheduledFuture<?> old = delayed.remove(key);
    if (old != null) {
      old.cancel(false);
    }
    delayed.put(
        key,
        timers.schedule(
            () -> {
              synchronized (lock) {
                delayed.remove(key);
              }
              enqueue(key);
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      queue.clear();
      delayed.values().forEach(f -> f.cancel(false));
      delayed.clear();
    }
  }
}
