package dev.meridian.gateway.balancing;

import dev.meridian.gateway.spi.LoadBalancer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin. Equal weights: plain rotation. Unequal weights: the k-th pick is the
 * candidate at the k-th point of a golden-ratio sequence over the cumulative weights, which
 * interleaves picks smoothly in proportion to the weights like nginx's smooth weighted round robin
 * but with a single atomic counter instead of per-endpoint current weights behind a lock.
 */
public final class RoundRobin implements LoadBalancer {

  // a random start, so that gateway replicas do not all begin on the same endpoint
  private final AtomicLong next = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 16));

  @Override
  public int choose(Candidates c) {
    int n = c.size();
    if (n == 1) {
      return 0;
    }
    long k = next.getAndIncrement();
    long total = c.totalWeight();
    if (total == n) {
      return (int) Math.floorMod(k, (long) n);
    }
    return WeightedIndex.at(c, WeightedIndex.lowDiscrepancy(k, total));
  }
}
