package dev.meridian.gateway.balancing;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.health.EndpointState;
import dev.meridian.gateway.spi.LoadBalancer.Candidates;
import java.util.Arrays;

/**
 * Per-thread space where one attempt's eligible endpoints are gathered, so that picking allocates
 * nothing; it is the {@link Candidates} view handed to the policy.
 */
final class Scratch implements Candidates {

  private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

  private Endpoint[] endpoints = new Endpoint[64];
  private EndpointState[] states = new EndpointState[64];
  private int[] indexes = new int[64];
  private int size;
  private long totalWeight;

  static Scratch get() {
    Scratch s = CURRENT.get();
    s.clear();
    return s;
  }

  void clear() {
    size = 0;
    totalWeight = 0;
  }

  void add(Endpoint e, EndpointState s, int index) {
    if (size == endpoints.length) {
      endpoints = Arrays.copyOf(endpoints, size * 2);
      states = Arrays.copyOf(states, size * 2);
      indexes = Arrays.copyOf(indexes, size * 2);
    }
    endpoints[size] = e;
    states[size] = s;
    indexes[size] = index;
    size++;
    totalWeight += e.weight();
  }

  int index(int i) {
    return indexes[i];
  }

  EndpointState state(int i) {
    return states[i];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Endpoint endpoint(int i) {
    return endpoints[i];
  }

  @Override
  public int weight(int i) {
    return endpoints[i].weight();
  }

  @Override
  public long totalWeight() {
    return totalWeight;
  }

  @Override
  public double latencyEwmaNanos(int i) {
    return states[i].latencyEwmaNanos();
  }

  @Override
  public int inFlight(int i) {
    return states[i].inFlight();
  }

  @Override
  public int consecutiveFailures(int i) {
    return states[i].consecutiveFailures();
  }
}
