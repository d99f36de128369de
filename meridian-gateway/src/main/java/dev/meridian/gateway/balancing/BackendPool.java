package dev.meridian.gateway.balancing;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.health.EndpointState;
import dev.meridian.gateway.spi.LoadBalancer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoints of one backendRef of one rule, grouped by region for the locality tiers, with the
 * rule's policy instance. Immutable but for the policy's own state.
 */
public final class BackendPool {

  /**
   * A cluster is "near" when its latency is within this factor (plus {@link #NEAR_SLACK_NANOS}) of
   * the nearest.
   */
  static final double NEAR_FACTOR = 1.5;

  static final double NEAR_SLACK_NANOS = 1_000_000;

  private final String name;
  private final int weight;
  private final Endpoint[] endpoints;
  private final EndpointState[] states;
  private final Optional<Endpoint>[] answers;
  private final Map<String, int[]> byRegion;
  private final LoadBalancer policy;

  /**
   * @param name for logs ({@code Service/web:80})
   * @param weight the backendRef's weight
   * @param states the endpoints (as tracked by {@link dev.meridian.gateway.health.EndpointStates})
   */
  @SuppressWarnings("unchecked")
  public BackendPool(String name, int weight, List<EndpointState> states, LoadBalancer policy) {
    this.name = name;
    this.weight = weight;
    this.policy = policy;
    int n = states.size();
    this.states = states.toArray(new EndpointState[0]);
    this.endpoints = new Endpoint[n];
    this.answers = new Optional[n];
    Map<String, List<Integer>> regions = new HashMap<>();
    for (int i = 0; i < n; i++) {
      endpoints[i] = this.states[i].endpoint();
      answers[i] = Optional.of(endpoints[i]);
      regions.computeIfAbsent(endpoints[i].region(), r -> new ArrayList<>()).add(i);
    }
    Map<String, int[]> m = new HashMap<>();
    regions.forEach((r, l) -> m.put(r, l.stream().mapToInt(Integer::intValue).toArray()));
    this.byRegion = m;
  }

  public String name() {
    return name;
  }

  public int weight() {
    return weight;
  }

  public List<Endpoint> endpoints() {
    return List.of(endpoints);
  }

  int size() {
    return endpoints.length;
  }

  Endpoint endpoint(int i) {
    return endpoints[i];
  }

  /** Counts the attempt on endpoint {@code i} and answers it. */
  Optional<Endpoint> take(int i) {
    states[i].started();
    return answers[i];
  }

  boolean eligible(
      int i, Set<String> allowed, Set<Endpoint> tried, boolean avoidTriedClusters, long now) {
    Endpoint e = endpoints[i];
    if (e.weight() == 0 || !states[i].available(now)) {
      return false;
    }
    if (allowed != null && !allowed.contains(e.cluster())) {
      return false;
    }
    if (tried.isEmpty()) {
      return true;
    }
    if (avoidTriedClusters) {
      for (Endpoint t : tried) {
        if (t.cluster().equals(e.cluster())) {
          return false;
        }
      }
      return true;
    }
    return !tried.contains(e);
  }

  /**
   * The index of the endpoint for an attempt, or -1: the client's region first (when {@code
   * clientRegion} is not null), then the nearest clusters by the latency this gateway measured
   * (within {@link #NEAR_FACTOR} of the nearest, and those not measured yet), then the rest; a tier
   * is left only when it has no eligible endpoint.
   */
  int pick(
      String clientRegion,
      Set<String> allowed,
      Set<Endpoint> tried,
      boolean avoidTriedClusters,
      long now) {
    Scratch s = Scratch.get();
    if (clientRegion == null) {
      for (int i = 0; i < endpoints.length; i++) {
        if (eligible(i, allowed, tried, avoidTriedClusters, now)) {
          s.add(endpoints[i], states[i], i);
        }
      }
      return choose(s);
    }
    // an unknown client region has no tier of its own (endpoints without a region are not "local")
    int[] local = clientRegion.isEmpty() ? null : byRegion.get(clientRegion);
    if (local != null) {
      for (int i : local) {
        if (eligible(i, allowed, tried, avoidTriedClusters, now)) {
          s.add(endpoints[i], states[i], i);
        }
      }
      if (s.size() > 0) {
        return choose(s);
      }
    }
    // the client's region has no eligible endpoint, so what is eligible below is elsewhere
    double nearest = Double.MAX_VALUE;
    for (int i = 0; i < endpoints.length; i++) {
      double latency = states[i].clusterLatencyEwmaNanos();
      if (latency > 0
          && latency < nearest
          && eligible(i, allowed, tried, avoidTriedClusters, now)) {
        nearest = latency;
      }
    }
    double near = nearest * NEAR_FACTOR + NEAR_SLACK_NANOS;
    for (int i = 0; i < endpoints.length; i++) {
      double latency = states[i].clusterLatencyEwmaNanos();
      // a cluster not measured yet joins the nearest ones until it is: else it would never be
      boolean inTier = latency == 0 || latency <= near;
      if (inTier && eligible(i, allowed, tried, avoidTriedClusters, now)) {
        s.add(endpoints[i], states[i], i);
      }
    }
    return choose(s);
  }

  private int choose(Scratch s) {
    int n = s.size();
    if (n == 0) {
      return -1;
    }
    int chosen = n == 1 ? 0 : policy.choose(s);
    return s.index(chosen);
  }
}
