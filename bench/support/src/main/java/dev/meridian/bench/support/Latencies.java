package dev.meridian.bench.support;

import java.util.Arrays;
import java.util.List;

/**
 * Every latency of a phase in nanoseconds, in plain arrays: one per client thread while the phase
 * runs (no sharing, no locks), merged and sorted once at the end. A phase has at most a few hundred
 * thousand requests, so exact percentiles cost a few MB and a sort.
 */
public final class Latencies {
  private long[] values = new long[4096];
  private int size;

  public void record(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  public int size() {
    return size;
  }

  /** The sorted union of {@code parts}. */
  public static Sorted merge(List<Latencies> parts) {
    int n = 0;
    for (Latencies p : parts) {
      n += p.size;
    }
    long[] all = new long[n];
    int at = 0;
    for (Latencies p : parts) {
      System.arraycopy(p.values, 0, all, at, p.size);
      at += p.size;
    }
    Arrays.sort(all);
    return new Sorted(all);
  }

  /** Sorted latencies with nearest-rank percentiles. */
  public record Sorted(long[] sorted) {
    public int count() {
      return sorted.length;
    }

    /** The {@code p}-th percentile (0 < p <= 100) in milliseconds, NaN when empty. */
    public double percentileMillis(double p) {
      return sorted.length == 0 ? Double.NaN : Stats.pct(sorted, p / 100.0) / 1e6;
    }

    public double maxMillis() {
      return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    public double meanMillis() {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      double sum = 0;
      for (long v : sorted) {
        sum += v;
      }
      return sum / sorted.length / 1e6;
    }
  }
}
