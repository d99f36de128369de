/**
 * Choosing an endpoint: {@link dev.meridian.gateway.balancing.RuleBackends} (the {@code
 * BackendSelector} of a rule) composes residency pinning, sticky sessions, backendRef weights,
 * locality tiers and a {@link dev.meridian.gateway.spi.LoadBalancer} policy ({@link
 * dev.meridian.gateway.balancing.RoundRobin}, {@link
 * dev.meridian.gateway.balancing.WeightedRandom}, {@link
 * dev.meridian.gateway.balancing.LeastLatency}).
 */
package dev.meridian.gateway.balancing;
