package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RouteDecision.Limits;

/**
 * Where attempts get their connection to one endpoint on one event loop: {@link UpstreamPool}
 * (HTTP/1.1, one request per connection at a time) or {@link Http2Pool} (one HTTP/2 connection, one
 * stream per request).
 */
interface ConnectionSource {

  /** An attempt waiting for a connection. */
  interface Waiter {
    void onAcquired(UpstreamConnection connection);

    /**
     * @param overflow true when the circuit breaker refused (no connect was tried)
     */
    void onAcquireFailed(Throwable cause, boolean overflow);

    /** True once the attempt gave up (timeout, client gone): the connection goes back. */
    boolean cancelled();
  }

  /** The circuit breaker's refusal. */
  final class CircuitOpenException extends Exception {
    CircuitOpenException(String message) {
      super(message, null, false, false);
    }
  }

  Endpoint endpoint();

  /** A connection for an attempt, now or later; always answers the waiter on this loop. */
  void acquire(Waiter waiter, Limits limits);

  /** Takes back a connection whose exchange completed cleanly. */
  void release(UpstreamConnection connection);
}
