package dev.meridian.gateway.spi;

import dev.meridian.gateway.Endpoint;

/**
 * A load-balancing policy: chooses one endpoint among candidates that are already eligible
 * (healthy, not ejected, not tried, in the right locality tier and residency). One instance serves
 * one backend of one rule and may keep state (a round-robin position) across calls.
 *
 * <p>Called on event loops for every attempt: must not block, should not allocate, and must be safe
 * for concurrent calls from several threads.
 */
public interface LoadBalancer {

  /**
   * The index, in {@code [0, candidates.size())}, of the endpoint to use. Never called with no
   * candidates; candidates of weight 0 are never passed.
   */
  int choose(Candidates candidates);

  /**
   * The eligible endpoints of one attempt with what the gateway measured about each. A view over
   * per-thread scratch space: valid only during {@link #choose}, never to be kept.
   */
  interface Candidates {

    int size();

    Endpoint endpoint(int i);

    /** The endpoint's weight, at least 1. */
    int weight(int i);

    /** The sum of every candidate's weight. */
    long totalWeight();

    /** The EWMA of the endpoint's latency in nanoseconds, or 0 when nothing was measured yet. */
    double latencyEwmaNanos(int i);

    /** Attempts sent to the endpoint that have not reported back yet. */
    int inFlight(int i);

    /** Failures in a row (reset by a success). */
    int consecutiveFailures(int i);
  }
}
