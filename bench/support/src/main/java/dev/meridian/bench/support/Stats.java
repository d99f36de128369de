package dev.meridian.bench.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles over exact samples (no histograms: every sample is kept). */
public final class Stats {
  private Stats() {}

  /** The {@code q}-quantile (0..1; 0 = min, 1 = max) of sorted values, nearest rank; -1 if none. */
  public static long pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[rank(sorted.length, q)];
  }

  /** The {@code q}-quantile (0..1; 0 = min, 1 = max) of values, nearest rank; NaN if none. */
  public static double pct(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    return s.get(rank(s.size(), q));
  }

  /** The index of the {@code q}-quantile among {@code n} sorted values. */
  private static int rank(int n, double q) {
    return Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1));
  }

  public static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** "p50 X / p90 Y / p99 Z / max W ms (n=N)". */
  public static String summary(List<Double> millis) {
    return String.format(
        "p50 %.0f / p90 %.0f / p99 %.0f / max %.0f ms (n=%d)",
        pct(millis, 0.50), pct(millis, 0.90), pct(millis, 0.99), max(millis), millis.size());
  }
}
