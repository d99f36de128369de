package dev.meridian.gateway;

import java.util.Optional;
import java.util.Set;

/**
 * Chooses the endpoint for one attempt of a forwarded request: applies the route's backend weights,
 * the load-balancing policy, locality tiers, residency pinning and session persistence, and skips
 * endpoints that are unhealthy, ejected, or already tried by this request.
 *
 * <p>Called on an event loop; must not block.
 */
public interface BackendSelector {

  /**
   * The endpoint for the next attempt.
   *
   * @param head the request
   * @param tried endpoints this request already failed on (empty for the first attempt); a retry
   *     prefers another cluster than those
   * @return the endpoint, or empty when no eligible endpoint is left (the proxy answers 503)
   */
  Optional<Endpoint> pick(RequestHead head, Set<Endpoint> tried);

  /**
   * A {@code Set-Cookie} header value to add to the response so that the client sticks to {@code
   * chosen}, or null when the route has no cookie session persistence or the client already carries
   * the right cookie.
   */
  String stickyCookie(RequestHead head, Endpoint chosen);
}
