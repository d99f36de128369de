package dev.meridian.gateway.routing;

import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the rule for a request: the request's host selects one precomputed list of matches, and the
 * first match of that list that fits the request decides.
 *
 * <p>Each list holds, in Gateway API precedence, the matches of the routes naming the host exactly,
 * then those of the wildcard hostnames covering it (longest suffix first), then those of the routes
 * without hostnames, each group ordered by {@link RouteMatch#PRECEDENCE}. An exact host is one hash
 * lookup; another host is looked up by each of its suffixes ({@code a.b.example.com}: {@code
 * b.example.com}, {@code example.com}, {@code com}), the first one that is a wildcard's wins.
 */
public final class Router {

  private static final RouteMatch[] NONE = new RouteMatch[0];

  private final Map<String, RouteMatch[]> exact;
  private final Map<String, RouteMatch[]> wildcards;
  private final RouteMatch[] any;
  private final int size;

  private Router(
      Map<String, RouteMatch[]> exact,
      Map<String, RouteMatch[]> wildcards,
      RouteMatch[] any,
      int size) {
    this.exact = exact;
    this.wildcards = wildcards;
    this.any = any;
    this.size = size;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How many matches in all. */
  public int size() {
    return size;
  }

  public RouteDecision decide(RequestHead head) {
    RouteMatch[] candidates = candidates(head.host());
    QueryParams query = null;
    for (RouteMatch m : candidates) {
      int matched = m.matchHead(head);
      if (matched < 0) {
        continue;
      }
      if (!m.queryParams().isEmpty()) {
        if (query == null) {
          query = QueryParams.parse(head.query());
        }
        if (!m.matchQuery(query)) {
          continue;
        }
      }
      return m.rule().decide(head, matched);
    }
    return RouteDecision.NOT_FOUND;
  }

  RouteMatch[] candidates(String host) {
    if (host != null && !host.isEmpty()) {
      RouteMatch[] e = exact.get(host);
      if (e != null) {
        return e;
      }
      if (!wildcards.isEmpty()) {
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
          RouteMatch[] w = wildcards.get(host.substring(dot + 1));
          if (w != null) {
            return w;
          }
        }
      }
    }
    return any;
  }

  /** Collects routes' matches by hostname. */
  public static final class Builder {
    private final Map<String, List<RouteMatch>> exact = new HashMap<>();
    private final Map<String, List<RouteMatch>> wildcards = new HashMap<>();
    private final List<RouteMatch> any = new ArrayList<>();
    private int size;

    /**
     * @param hostnames the route's hostnames, lower case ({@code *.example.com} for a wildcard);
     *     empty for any host
     */
    public Builder add(List<String> hostnames, List<RouteMatch> matches) {
      size += matches.size();
      if (hostnames.isEmpty()) {
        any.addAll(matches);
      }
      for (String h : hostnames) {
        if (h.startsWith("*.")) {
          wildcards.computeIfAbsent(h.substring(2), k -> new ArrayList<>()).addAll(matches);
        } else {
          exact.computeIfAbsent(h, k -> new ArrayList<>()).addAll(matches);
        }
      }
      return this;
    }

    public Router build() {
      Map<String, RouteMatch[]> e = new HashMap<>();
      exact.forEach((host, own) -> e.put(host, merge(own, host)));
      Map<String, RouteMatch[]> w = new HashMap<>();
      wildcards.forEach((suffix, own) -> w.put(suffix, merge(own, suffix)));
      return new Router(e, w, sorted(any).toArray(NONE), size);
    }

    /**
     * Own matches, then those of every wildcard covering {@code name} (a host, or a wildcard's
     * suffix), longest first, then those for any host. A wildcard {@code *.S} covers {@code name}
     * when {@code S} is a strict suffix of it at a label boundary, so walking its dots finds them
     * all in that order.
     */
    private RouteMatch[] merge(List<RouteMatch> own, String name) {
      Set<RouteMatch> all = new LinkedHashSet<>(sorted(own));
      for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        List<RouteMatch> covering = wildcards.get(name.substring(dot + 1));
        if (covering != null) {
          all.addAll(sorted(covering));
        }
      }
      all.addAll(sorted(any));
      return all.toArray(NONE);
    }

    private static List<RouteMatch> sorted(List<RouteMatch> l) {
      List<RouteMatch> s = new ArrayList<>(l);
      s.sort(RouteMatch.PRECEDENCE);
      return s;
    }
  }
}
