package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import dev.meridian.store.Lease;
import dev.meridian.store.Precondition;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A write waiting for the commit thread; {@link #result()} completes once it is durable. */
sealed interface WriteRequest<T> {
  CompletableFuture<T> result();

  record Put(
      String key,
      byte[] value,
      Precondition precondition,
      long lease,
      CompletableFuture<KeyValue> result)
      implements WriteRequest<KeyValue> {
    Put(String key, byte[] value, Precondition precondition, long lease) {
      this(key, value, precondition, lease, new CompletableFuture<>());
    }
  }

  record Delete(String key, Precondition precondition, CompletableFuture<Optional<KeyValue>> result)
      implements WriteRequest<Optional<KeyValue>> {
    Delete(String key, Precondition precondition) {
      this(key, precondition, new CompletableFuture<>());
    }
  }

  record GrantLease(Duration ttl, CompletableFuture<Lease> result) implements WriteRequest<Lease> {
    GrantLease(Duration ttl) {
      this(ttl, new CompletableFuture<>());
    }
  }

  /**
   * @param onlyIfExpired set by the expiry clock, so that a keep-alive arriving between the clock's
   *     check and this request's turn still saves the lease
   */
  record RevokeLease(long id, boolean onlyIfExpired, CompletableFuture<Void> result)
      implements WriteRequest<Void> {
    RevokeLease(long id, boolean onlyIfExpired) {
      this(id, onlyIfExpired, new CompletableFuture<>());
    }
  }

  /** Ends the commit thread after everything queued before it. */
  record Stop(CompletableFuture<Void> result) implements WriteRequest<Void> {
    Stop() {
      this(new CompletableFuture<>());
    }
  }
}
