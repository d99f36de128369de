package dev.meridian.gateway.routing;

import dev.meridian.gateway.RequestHead;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One {@code matches[]} entry of one rule, compiled, with what orders it among the others by
 * Gateway API precedence ({@link #PRECEDENCE}).
 *
 * @param method or null for any
 * @param created the route's {@code creationTimestamp} ({@link Instant#MAX} when absent)
 * @param ruleIndex the rule's index in its route
 * @param matchIndex the match's index in its rule
 */
public record RouteMatch(
    PathMatch path,
    String method,
    List<ValueMatch> headers,
    List<ValueMatch> queryParams,
    CompiledRule rule,
    Instant created,
    String namespace,
    String name,
    int ruleIndex,
    int matchIndex) {

  /**
   * Exact path before any prefix before regular expressions; longer paths first; then a method
   * before none; then more header matches, then more query matches; then the oldest route, then
   * namespace/name alphabetically; then the rule and the match in list order.
   */
  public static final Comparator<RouteMatch> PRECEDENCE =
      Comparator.<RouteMatch>comparingInt(m -> m.path.rank())
          .thenComparingInt(m -> -m.path.length())
          .thenComparingInt(m -> m.method == null ? 1 : 0)
          .thenComparingInt(m -> -m.headers.size())
          .thenComparingInt(m -> -m.queryParams.size())
          .thenComparing(RouteMatch::created)
          .thenComparing(RouteMatch::namespace)
          .thenComparing(RouteMatch::name)
          .thenComparingInt(RouteMatch::ruleIndex)
          .thenComparingInt(RouteMatch::matchIndex);

  /**
   * The matched prefix length if path, method and headers match (query parameters are checked
   * apart, so that they are parsed only when needed), else -1.
   */
  int matchHead(RequestHead head) {
    if (method != null && !method.equals(head.method())) {
      return -1;
    }
    int matched = path.match(head.path());
    if (matched < 0) {
      return -1;
    }
    for (int i = 0; i < headers.size(); i++) {
      ValueMatch h = headers.get(i);
      if (!h.test(head.headers().get(h.name()))) {
        return -1;
      }
    }
    return matched;
  }

  boolean matchQuery(QueryParams q) {
    for (int i = 0; i < queryParams.size(); i++) {
      ValueMatch m = queryParams.get(i);
      if (!m.test(q.get(m.name()))) {
        return false;
      }
    }
    return true;
  }
}
