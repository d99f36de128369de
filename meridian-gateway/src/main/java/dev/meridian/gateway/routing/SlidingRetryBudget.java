package dev.meridian.gateway.routing;

import dev.meridian.gateway.RetryBudget;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A route's {@code retryBudget}: a retry is allowed while the retries of the last 10 seconds stay
 * below {@code percent}% of the requests of the same window, or while fewer than {@code
 * minPerSecond} retries were made in the current second (so that a quiet route can still retry).
 * Ten one-second slots of atomic counters; a slot is reset by whoever first sees it stale.
 */
public final class SlidingRetryBudget implements RetryBudget {

  static final int SLOTS = 10;
  private static final long SLOT_NANOS = 1_000_000_000L;

  private final int percent;
  private final int minPerSecond;
  private final LongSupplier clock;
  private final AtomicLongArray epochs = new AtomicLongArray(SLOTS);
  private final AtomicLongArray requests = new AtomicLongArray(SLOTS);
  private final AtomicLongArray retries = new AtomicLongArray(SLOTS);

  public SlidingRetryBudget(int percent, int minPerSecond, LongSupplier clock) {
    this.percent = percent;
    this.minPerSecond = minPerSecond;
    this.clock = clock;
    for (int i = 0; i < SLOTS; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  @Override
  public void onRequest() {
    requests.incrementAndGet(slot(Math.floorDiv(clock.getAsLong(), SLOT_NANOS)));
  }

  @Override
  public boolean tryRetry() {
    long second = Math.floorDiv(clock.getAsLong(), SLOT_NANOS);
    int current = slot(second);
    long req = 0;
    long ret = 0;
    for (int i = 0; i < SLOTS; i++) {
      long e = epochs.get(i);
      if (e != Long.MIN_VALUE && e <= second && second - e < SLOTS) {
        req += requests.get(i);
        ret += retries.get(i);
      }
    }
    if (ret * 100 < (long) percent * req || retries.get(current) < minPerSecond) {
      retries.incrementAndGet(current);
      return true;
    }
    return false;
  }

  private int slot(long second) {
    int i = (int) Math.floorMod(second, (long) SLOTS);
    long e = epochs.get(i);
    if (e != second && epochs.compareAndSet(i, e, second)) {
      requests.set(i, 0);
      retries.set(i, 0);
    }
    return i;
  }
}
