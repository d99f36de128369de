package dev.meridian.gateway;

/**
 * Everything the gateway routes by at one moment: compiled from the hub's {@code GlobalRoute}s and
 * {@code Cluster}s, immutable, and swapped atomically by the proxy when the configuration changes
 * (a request in flight finishes on the table it started with).
 *
 * <p>{@link #decide} runs on an event loop for every request: no I/O, no blocking, no allocation
 * beyond the decision itself.
 */
public interface RoutingTable {

  /** What to do with a request, decided from its head alone (the body is never read for this). */
  RouteDecision decide(RequestHead head);

  /** The table that routes nothing: every request gets 404. */
  RoutingTable EMPTY = head -> RouteDecision.NOT_FOUND;
}
