package dev.meridian.gateway.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of {@code requestsPerSecond} refill and {@code burst} capacity, kept as the
 * generic cell rate algorithm's single "theoretical arrival time" so that taking a token is one
 * compare-and-set on one {@link AtomicLong}: lock-free, and a bucket that has refilled completely
 * is indistinguishable from a new one (which lets per-client buckets be dropped freely).
 */
public final class TokenBucket {

  private final long intervalNanos;
  private final long toleranceNanos;

  public TokenBucket(double requestsPerSecond, int burst) {
    if (requestsPerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.intervalNanos = Math.max(1, (long) (1e9 / requestsPerSecond));
    this.toleranceNanos = intervalNanos * burst;
  }

  /** A full bucket's state at {@code now}. */
  public AtomicLong newState(long now) {
    return new AtomicLong(now);
  }

  /**
   * Takes a token from {@code state}: 0 when taken, else the nanoseconds until one is available.
   */
  public long take(AtomicLong state, long now) {
    while (true) {
      long tat = state.get();
      long next = (tat - now > 0 ? tat : now) + intervalNanos;
      long wait = next - now - toleranceNanos;
      if (wait > 0) {
        return wait;
      }
      if (state.compareAndSet(tat, next)) {
        return 0;
      }
    }
  }

  /** Whether a state is full at {@code now} (and so may be forgotten). */
  public boolean full(AtomicLong state, long now) {
    return state.get() - now <= 0;
  }
}
