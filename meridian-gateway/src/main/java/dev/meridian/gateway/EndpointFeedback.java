package dev.meridian.gateway;

/**
 * What the proxy tells the balancing side after each attempt: feeds the latency EWMA (least-latency
 * balancing) and passive outlier ejection. Long-lived: one instance outlives every {@link
 * RoutingTable} swap, so state is kept per {@link Endpoint#id()}.
 *
 * <p>Called on event loops; must not block.
 */
public interface EndpointFeedback {

  /** The endpoint answered (any status below 500, or a 5xx the route does not count as failure). */
  void success(Endpoint endpoint, long latencyNanos);

  /** The attempt failed: no connection, a reset, a timeout, or a 5xx answer. */
  void failure(Endpoint endpoint, Failure failure);

  /** How an attempt failed. */
  enum Failure {
    CONNECT,
    RESET,
    TIMEOUT,
    STATUS_5XX
  }

  /** Feedback that is dropped (tests, static tables). */
  EndpointFeedback NONE =
      new EndpointFeedback() {
        @Override
        public void success(Endpoint endpoint, long latencyNanos) {}

        @Override
        public void failure(Endpoint endpoint, Failure failure) {}
      };
}
