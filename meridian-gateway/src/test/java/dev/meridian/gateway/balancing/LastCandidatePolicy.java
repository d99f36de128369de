package dev.meridian.gateway.balancing;

import dev.meridian.gateway.spi.LoadBalancer;
import dev.meridian.gateway.spi.LoadBalancerProvider;

/** A policy plugged in through the SPI (see META-INF/services): always the last candidate. */
public final class LastCandidatePolicy implements LoadBalancerProvider {

  @Override
  public String policy() {
    return "LastCandidate";
  }

  @Override
  public LoadBalancer create() {
    return c -> c.size() - 1;
  }
}
