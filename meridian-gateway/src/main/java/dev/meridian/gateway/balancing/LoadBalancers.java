package dev.meridian.gateway.balancing;

import dev.meridian.gateway.spi.LoadBalancer;
import dev.meridian.gateway.spi.LoadBalancerProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The load-balancing policies by the name a route gives: the built-in ones and those of every
 * {@link LoadBalancerProvider} on the class path.
 */
public final class LoadBalancers {

  public static final String DEFAULT = "RoundRobin";
  private static final Map<String, Supplier<LoadBalancer>> POLICIES = load();

  private LoadBalancers() {}

  private static Map<String, Supplier<LoadBalancer>> load() {
    Map<String, Supplier<LoadBalancer>> m = new HashMap<>();
    for (LoadBalancerProvider p : ServiceLoader.load(LoadBalancerProvider.class)) {
      m.put(p.policy(), p::create);
    }
    m.put("RoundRobin", RoundRobin::new);
    m.put("Random", WeightedRandom::new);
    m.put("LeastLatency", LeastLatency::new);
    return Map.copyOf(m);
  }

  /** A new instance of the policy; {@link IllegalArgumentException} if it is unknown. */
  public static LoadBalancer create(String policy) {
    Supplier<LoadBalancer> s = POLICIES.get(policy == null ? DEFAULT : policy);
    if (s == null) {
      throw new IllegalArgumentException("unknown load-balancing policy: " + policy);
    }
    return s.get();
  }
}
