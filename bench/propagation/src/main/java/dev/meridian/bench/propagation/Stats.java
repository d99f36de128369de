package dev.meridian.bench.propagation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles over exact samples (no histograms: the sample counts are small). */
final class Stats {
  private Stats() {}

  /** The {@code q}-quantile (0..1) of sorted values, nearest rank. */
  static long pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
  }

  static double pct(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(q * s.size()) - 1)));
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** "p50 X / p90 Y / p99 Z / max W ms (n=N)". */
  static String summary(List<Double> millis) {
    return String.format(
        "p50 %.0f / p90 %.0f / p99 %.0f / max %.0f ms (n=%d)",
        pct(millis, 0.50), pct(millis, 0.90), pct(millis, 0.99), max(millis), millis.size());
  }
}
