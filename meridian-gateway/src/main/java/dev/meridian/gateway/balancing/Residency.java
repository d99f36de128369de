package dev.meridian.gateway.balancing;

import dev.meridian.gateway.RequestHead;
import java.util.Map;
import java.util.Set;

/**
 * A route's {@code residency}: a request whose {@code header} has one of the rules' values may only
 * go to that rule's allowed clusters (from the route's {@code status.residency}); there is no
 * fallback, a rule with no allowed cluster gets no endpoint.
 *
 * @param allowedClusters header value → clusters (empty when the hub resolved none)
 */
public record Residency(String header, Map<String, Set<String>> allowedClusters) {

  /** The clusters the request is pinned to, or null when it is not pinned. */
  public Set<String> allowed(RequestHead head) {
    String v = head.headers().get(header);
    return v == null ? null : allowedClusters.get(v.trim());
  }
}
