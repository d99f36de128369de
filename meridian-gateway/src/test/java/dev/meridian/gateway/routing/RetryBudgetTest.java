package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final AtomicLong clock = new AtomicLong(5_000_000_000_000L);

  private static int retriesAllowed(SlidingRetryBudget b, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (b.tryRetry()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void retriesAreCappedToAShareOfTheRequestsOfTheWindow() {
    // Given: 20%, no minimum; 100 requests over the last seconds
    SlidingRetryBudget b = new SlidingRetryBudget(20, 0, clock::get);
    for (int s = 0; s < 5; s++) {
      for (int i = 0; i < 20; i++) {
        b.onRequest();
      }
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
    }

    // When / Then
    assertThat(retriesAllowed(b, 50)).isEqualTo(20);
  }

  @Test
  void aQuietRouteMayStillRetryMinPerSecond() {
    // Given
    SlidingRetryBudget b = new SlidingRetryBudget(20, 3, clock::get);

    // When
    int now = retriesAllowed(b, 10);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    int nextSecond = retriesAllowed(b, 10);

    // Then
    assertThat(now).isEqualTo(3);
    assertThat(nextSecond).isEqualTo(3);
  }

  @Test
  void requestsOlderThanTheWindowNoLongerCount() {
    // Given
    SlidingRetryBudget b = new SlidingRetryBudget(50, 0, clock::get);
    for (int i = 0; i < 100; i++) {
      b.onRequest();
    }

    // When
    clock.addAndGet(Duration.ofSeconds(11).toNanos());

    // Then
    assertThat(b.tryRetry()).isFalse();
  }
}
