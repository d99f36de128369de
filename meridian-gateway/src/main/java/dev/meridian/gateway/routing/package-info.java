/**
 * Matching a request to a rule by Gateway API precedence ({@link
 * dev.meridian.gateway.routing.Router}, {@link dev.meridian.gateway.routing.RouteMatch}) and what a
 * rule does: filters, redirects, rate limits ({@link dev.meridian.gateway.routing.RateLimiter}) and
 * the retry budget ({@link dev.meridian.gateway.routing.SlidingRetryBudget}). Everything here runs
 * on event loops: no locks, no I/O.
 */
package dev.meridian.gateway.routing;
