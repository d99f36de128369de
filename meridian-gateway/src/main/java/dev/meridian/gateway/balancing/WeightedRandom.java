package dev.meridian.gateway.balancing;

import dev.meridian.gateway.spi.LoadBalancer;
import java.util.concurrent.ThreadLocalRandom;

/** Picks a candidate at random with a probability proportional to its weight. */
public final class WeightedRandom implements LoadBalancer {

  @Override
  public int choose(Candidates c) {
    int n = c.size();
    if (n == 1) {
      return 0;
    }
    return WeightedIndex.at(c, ThreadLocalRandom.current().nextLong(c.totalWeight()));
  }
}
