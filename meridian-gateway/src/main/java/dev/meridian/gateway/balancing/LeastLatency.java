package dev.meridian.gateway.balancing;

import dev.meridian.gateway.spi.LoadBalancer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices: two candidates drawn at random (by weight), the one with the lower cost
 * wins. The cost is the latency EWMA times (1 + attempts in flight), times a penalty that grows
 * with the failures in a row; an endpoint never measured counts as {@link #UNMEASURED_NANOS}, so
 * new endpoints get traffic and are measured.
 */
public final class LeastLatency implements LoadBalancer {

  static final double UNMEASURED_NANOS = 1_000_000;

  @Override
  public int choose(Candidates c) {
    int n = c.size();
    if (n == 1) {
      return 0;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long total = c.totalWeight();
    int a = WeightedIndex.at(c, r.nextLong(total));
    int b = WeightedIndex.at(c, r.nextLong(total));
    if (a == b) {
      b = (a + 1 + r.nextInt(n - 1)) % n;
    }
    return cost(c, a) <= cost(c, b) ? a : b;
  }

  static double cost(Candidates c, int i) {
    double ewma = c.latencyEwmaNanos(i);
    double latency = ewma > 0 ? ewma : UNMEASURED_NANOS;
    int failures = c.consecutiveFailures(i);
    return latency * (1 + c.inFlight(i)) * (1 + 4.0 * failures * failures);
  }
}
