package dev.meridian.scheduler.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Divides a number of replicas in proportion to weights.
 *
 * <p>Every cluster first gets the whole part of its exact share {@code total·w/W}; the few replicas
 * left (fewer than the clusters) go one at a time by Webster / Sainte-Laguë priority, the largest
 * {@code w / (2·assigned + 1)}, ties to the cluster that comes first (callers pass clusters in name
 * order). A cluster gets at most one of them, and only if its share has a fractional part.
 *
 * <p>Why not pure Sainte-Laguë from zero: with many small clusters it can stray from the share by
 * several replicas (it rounds every share below one half down to zero, piling the rest on the big
 * cluster). Taking the whole parts first keeps every cluster within one replica of its exact share
 * ({@code floor(share) ≤ assigned ≤ ceil(share)}), which users read as "weights are respected";
 * Sainte-Laguë then decides only who gets the remainders, favouring the clusters it under-served
 * most.
 */
public final class Apportionment {
  private Apportionment() {}

  /**
   * {@code total} divided by {@code weights} (each ≥ 0); all zero (or none positive) means equal
   * weights. The result sums to {@code total}.
   */
  public static long[] divide(long total, long[] weights) {
    int n = weights.length;
    long[] out = new long[n];
    if (n == 0 || total <= 0) {
      return out;
    }
    long[] w = weights.clone();
    BigInteger sum = BigInteger.ZERO;
    for (long x : w) {
      sum = sum.add(BigInteger.valueOf(Math.max(0, x)));
    }
    if (sum.signum() == 0) {
      java.util.Arrays.fill(w, 1);
      sum = BigInteger.valueOf(n);
    }
    BigInteger bigTotal = BigInteger.valueOf(total);
    long assigned = 0;
    List<Integer> fractional = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BigInteger[] qr =
          bigTotal.multiply(BigInteger.valueOf(Math.max(0, w[i]))).divideAndRemainder(sum);
      out[i] = qr[0].longValueExact();
      assigned += out[i];
      if (qr[1].signum() > 0) {
        fractional.add(i);
      }
    }
    long left = total - assigned;
    // a stable sort keeps name order among equal priorities
    fractional.sort((a, b) -> -compareProducts(w[a], 2 * out[b] + 1, w[b], 2 * out[a] + 1));
    for (int k = 0; k < left; k++) {
      out[fractional.get(k)]++;
    }
    return out;
  }

  /** Compares {@code a·b} with {@code c·d}, all ≥ 0, without overflow. */
  static int compareProducts(long a, long b, long c, long d) {
    long hi1 = Math.multiplyHigh(a, b);
    long hi2 = Math.multiplyHigh(c, d);
    if (hi1 != hi2) {
      return Long.compare(hi1, hi2);
    }
    return Long.compareUnsigned(a * b, c * d);
  }
}
