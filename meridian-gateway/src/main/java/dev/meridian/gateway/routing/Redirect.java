package dev.meridian.gateway.routing;

import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision;
import java.util.List;

/**
 * A {@code RequestRedirect} filter, answered by the gateway with {@code Location} built by the
 * Gateway API's rules: the scheme, host and path default to the request's; the port defaults to the
 * scheme's well-known port when the filter sets a scheme, else to the port the gateway listens on;
 * the port is left out when it is the scheme's well-known one; the query is kept.
 *
 * @param scheme or null
 * @param hostname or null
 * @param port or 0
 * @param path or null
 * @param listenPort the gateway's listener port, or 0 when unknown (then the scheme's port)
 */
public record Redirect(
    String scheme, String hostname, int port, PathRewrite path, int statusCode, int listenPort) {

  public RouteDecision.Respond respond(RequestHead head, int matchedLength) {
    return new RouteDecision.Respond(
        statusCode,
        List.of(new RouteDecision.Header("Location", location(head, matchedLength))),
        "");
  }

  String location(RequestHead head, int matchedLength) {
    String s = scheme != null ? scheme : head.tls() ? "https" : "http";
    String h = hostname != null ? hostname : head.host();
    int p;
    if (port > 0) {
      p = port;
    } else if (scheme != null || listenPort <= 0) {
      p = wellKnown(s);
    } else {
      p = listenPort;
    }
    StringBuilder b = new StringBuilder(s).append("://");
    b.append(h.indexOf(':') >= 0 ? "[" + h + "]" : h);
    if (p != wellKnown(s)) {
      b.append(':').append(p);
    }
    b.append(path == null ? head.path() : path.apply(head.path(), matchedLength));
    if (head.query() != null && !head.query().isEmpty()) {
      b.append('?').append(head.query());
    }
    return b.toString();
  }

  private static int wellKnown(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }
}
