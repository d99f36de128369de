package dev.meridian.gateway;

/**
 * Caps retries to a share of the traffic, so that retries cannot multiply the load on a fleet that
 * is already failing (as in Envoy and Linkerd): at most {@code percent}% of requests in the last
 * window may be retries, plus {@code minPerSecond} retries per second at any traffic.
 */
public interface RetryBudget {

  /** Counts a first attempt (feeds the window). */
  void onRequest();

  /** Takes a token for one retry; false when the budget is spent (the failure is then returned). */
  boolean tryRetry();

  /** A budget that never refuses (tests). */
  RetryBudget UNLIMITED =
      new RetryBudget() {
        @Override
        public void onRequest() {}

        @Override
        public boolean tryRetry() {
          return true;
        }
      };
}
