package dev.meridian.gateway;

import java.time.Duration;
import java.util.List;

/** What the gateway does with one request: the closed set of outcomes of {@link RoutingTable}. */
public sealed interface RouteDecision {

  /** No route matches the request's host and path: 404. */
  RouteDecision NOT_FOUND = new Respond(404, List.of(), "no route\n");

  /**
   * Answer directly without contacting a backend: a {@code RequestRedirect} filter (3xx with {@code
   * Location}), a local rate limit (429 with {@code Retry-After}), no route (404).
   *
   * @param headers extra response headers, in order
   */
  record Respond(int status, List<Header> headers, String body) implements RouteDecision {}

  /**
   * Send the request to a backend chosen by {@code backends}.
   *
   * @param route the route and rule that matched (for metrics and logs)
   * @param request header edits and rewrites applied to the request before it is sent
   * @param response header edits applied to the backend's response
   * @param backends chooses the endpoint of each attempt
   * @param mirror a copy of the request sent to another backend, its answer dropped; or null
   * @param timeouts how long the whole request and each attempt may take
   * @param retry when another attempt is made
   * @param limits circuit breaking per endpoint for this route
   */
  record Forward(
      RouteRef route,
      RequestEdits request,
      HeaderEdits response,
      BackendSelector backends,
      Mirror mirror,
      Timeouts timeouts,
      RetryPolicy retry,
      Limits limits)
      implements RouteDecision {}

  /**
   * Names the matched route and rule: {@code namespace/name} and the rule's index (or name).
   *
   * @param id {@code namespace/name}, computed once (metrics read it on every request)
   */
  record RouteRef(String namespace, String name, String rule, String id) {
    public RouteRef(String namespace, String name, String rule) {
      this(namespace, name, rule, namespace + "/" + name);
    }
  }

  /** One header name and value. */
  record Header(String name, String value) {}

  /**
   * Gateway API {@code HTTPHeaderFilter}: {@code set} replaces, {@code add} appends, {@code remove}
   * deletes, in that order.
   */
  record HeaderEdits(List<Header> set, List<Header> add, List<String> remove) {
    public static final HeaderEdits NONE = new HeaderEdits(List.of(), List.of(), List.of());

    public boolean isEmpty() {
      return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }
  }

  /**
   * How the request is changed before it leaves: header edits, then a {@code URLRewrite}.
   *
   * @param headers edits of the request headers
   * @param hostname the new {@code Host}, or null to keep it
   * @param path the rewritten path (query kept), or null to keep it; computed by the table since
   *     {@code ReplacePrefixMatch} depends on the matched prefix
   */
  record RequestEdits(HeaderEdits headers, String hostname, String path) {
    public static final RequestEdits NONE = new RequestEdits(HeaderEdits.NONE, null, null);
  }

  /** {@code RequestMirror}: a copy of {@code percent}% of requests goes to {@code backends}. */
  record Mirror(BackendSelector backends, int percent) {}

  /**
   * Gateway API {@code HTTPRouteTimeouts}.
   *
   * @param request the whole request, retries included; null for none
   * @param backendRequest one attempt; null for none
   */
  record Timeouts(Duration request, Duration backendRequest) {
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), null);
  }

  /**
   * When to try another endpoint. A connect failure is always retried (nothing reached the backend)
   * while attempts remain; a status in {@code codes}, a reset or a per-attempt timeout is retried
   * only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) and only if the request
   * body was not streamed yet. Every retry but those of connect failures takes a token from {@code
   * budget}.
   *
   * @param attempts the most attempts in all (1 means no retry)
   * @param codes statuses that count as retryable failures
   */
  record RetryPolicy(int attempts, List<Integer> codes, RetryBudget budget) {}

  /**
   * Circuit breaking for each endpoint of the route: the most open connections and the most
   * requests waiting for a connection; beyond them the attempt fails fast (and may be retried
   * elsewhere) instead of queueing.
   */
  record Limits(int maxConnections, int maxPendingRequests) {
    public static final Limits DEFAULT = new Limits(1024, 1024);
  }
}
