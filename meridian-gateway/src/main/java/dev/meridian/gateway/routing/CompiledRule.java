package dev.meridian.gateway.routing;

import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RouteDecision.Forward;
import dev.meridian.gateway.RouteDecision.RequestEdits;

/**
 * What one rule does with a request it matched: check the route's rate limits, then answer a
 * redirect, or forward. The {@link Forward} is built once at compile time unless a {@code
 * ReplacePrefixMatch} rewrite makes the path depend on the request.
 */
public final class CompiledRule {

  private final RouteDecision.RouteRef ref;
  private final RateLimiter limiter;
  private final Redirect redirect;
  private final RouteDecision fixed;
  private final PathRewrite rewrite;

  /** A rule answered by a redirect. */
  public static CompiledRule redirect(
      RouteDecision.RouteRef ref, RateLimiter limiter, Redirect redirect) {
    return new CompiledRule(ref, limiter, redirect, null, null);
  }

  /**
   * A rule whose decision is always the same ({@code Forward} without a path rewrite depending on
   * the match, or a fixed answer).
   */
  public static CompiledRule fixed(
      RouteDecision.RouteRef ref, RateLimiter limiter, RouteDecision decision) {
    return new CompiledRule(ref, limiter, null, decision, null);
  }

  /** A forwarding rule whose path is rewritten from the request's by {@code rewrite}. */
  public static CompiledRule rewriting(
      RouteDecision.RouteRef ref, RateLimiter limiter, Forward template, PathRewrite rewrite) {
    return new CompiledRule(ref, limiter, null, template, rewrite);
  }

  private CompiledRule(
      RouteDecision.RouteRef ref,
      RateLimiter limiter,
      Redirect redirect,
      RouteDecision fixed,
      PathRewrite rewrite) {
    this.ref = ref;
    this.limiter = limiter;
    this.redirect = redirect;
    this.fixed = fixed;
    this.rewrite = rewrite;
  }

  public RouteDecision.RouteRef ref() {
    return ref;
  }

  RouteDecision decide(RequestHead head, int matchedLength) {
    if (limiter != null) {
      RouteDecision.Respond limited = limiter.check(head.client());
      if (limited != null) {
        return limited;
      }
    }
    if (redirect != null) {
      return redirect.respond(head, matchedLength);
    }
    if (rewrite == null) {
      return fixed;
    }
    Forward f = (Forward) fixed;
    RequestEdits edits =
        new RequestEdits(
            f.request().headers(),
            f.request().hostname(),
            rewrite.apply(head.path(), matchedLength));
    return new Forward(
        f.route(),
        edits,
        f.response(),
        f.backends(),
        f.mirror(),
        f.timeouts(),
        f.retry(),
        f.limits());
  }
}
