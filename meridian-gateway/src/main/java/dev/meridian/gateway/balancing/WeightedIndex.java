package dev.meridian.gateway.balancing;

import dev.meridian.gateway.spi.LoadBalancer.Candidates;

/** Maps a position in {@code [0, totalWeight)} to the candidate whose weight interval holds it. */
final class WeightedIndex {

  /** 1/φ: the multiples of it modulo 1 spread as evenly as any sequence can (Weyl, Kronecker). */
  private static final double INVERSE_GOLDEN = 0.6180339887498949;

  private WeightedIndex() {}

  /**
   * The k-th point of a low-discrepancy sequence over {@code [0, total)}: consecutive calls
   * interleave the candidates in proportion to their weights (3:1 gives A A A B A A A B …, not A A
   * A B in blocks), which is what smooth weighted round robin achieves, but with no per-endpoint
   * state to update, so it needs one atomic increment and works over any subset of endpoints.
   */
  static long lowDiscrepancy(long k, long total) {
    double x = (k & 0xFFFFFFFFFFFFL) * INVERSE_GOLDEN;
    double frac = x - Math.floor(x);
    long pos = (long) (frac * total);
    return pos >= total ? total - 1 : pos;
  }

  static int at(Candidates c, long position) {
    int n = c.size();
    long p = position;
    for (int i = 0; i < n; i++) {
      p -= c.weight(i);
      if (p < 0) {
        return i;
      }
    }
    return n - 1;
  }

  static int at(int[] cumulative, long position) {
    for (int i = 0; i < cumulative.length; i++) {
      if (position < cumulative[i]) {
        return i;
      }
    }
    return cumulative.length - 1;
  }
}
