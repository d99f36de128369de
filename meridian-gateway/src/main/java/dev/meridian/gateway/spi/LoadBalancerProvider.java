package dev.meridian.gateway.spi;

/**
 * Makes a {@link LoadBalancer} policy available under the name a {@code GlobalRoute} gives in
 * {@code spec.loadBalancing.policy}. Found with {@link java.util.ServiceLoader}; the built-in
 * policies ({@code RoundRobin}, {@code Random}, {@code LeastLatency}) cannot be replaced.
 */
public interface LoadBalancerProvider {

  /** The policy name, as written in a route. */
  String policy();

  /** A new instance for one backend of one rule. */
  LoadBalancer create();
}
