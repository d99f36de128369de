package dev.meridian.bench.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows one object across a set of clusters and times changes to it: {@link #arm} before the
 * change is sent, then every report of what a cluster holds ({@link #seen}) until each cluster
 * holds the expected value. Values are marks the bench writes, {@code PREFIX + N} with N
 * increasing, so a cluster that goes back to an older mark (a stale apply) is caught as a
 * regression.
 */
final class ChangeTracker {
  /** Which of the two marks a change sets. */
  enum Field {
    SPEC,
    META
  }

  /** One change in flight. */
  static final class Pending {
    final Field field;
    final String value;
    final long startNanos;
    final Set<String> remaining;
    final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    final CountDownLatch done = new CountDownLatch(1);

    Pending(Field field, String value, long startNanos, Set<String> clusters) {
      this.field = field;
      this.value = value;
      this.startNanos = startNanos;
      this.remaining = ConcurrentHashMap.newKeySet();
      this.remaining.addAll(clusters);
    }

    void arrive(String cluster, long nanos) {
      if (remaining.remove(cluster)) {
        arrivals.put(cluster, nanos);
        if (remaining.isEmpty()) {
          done.countDown();
        }
      }
    }

    boolean await(long millis) throws InterruptedException {
      return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Milliseconds from the start to each arrival, sorted. */
    List<Double> millis() {
      List<Double> out = new ArrayList<>();
      arrivals.values().forEach(n -> out.add((n - startNanos) / 1e6));
      out.sort(Double::compare);
      return out;
    }

    /**
     * Milliseconds from the start to the last arrival (all clusters), or NaN if some are missing.
     */
    double allMillis() {
      List<Double> m = millis();
      return remaining.isEmpty() && !m.isEmpty() ? m.get(m.size() - 1) : Double.NaN;
    }
  }

  private final Set<String> clusters;
  private final Map<String, String> spec = new ConcurrentHashMap<>();
  private final Map<String, String> meta = new ConcurrentHashMap<>();
  private final List<String> regressions = new ArrayList<>();
  private volatile Pending pending;

  ChangeTracker(Set<String> clusters) {
    this.clusters = Set.copyOf(clusters);
  }

  /** Expects {@code value} in {@code field} on every cluster; the clock starts now. */
  Pending arm(Field field, String value) {
    Pending p = new Pending(field, value, System.nanoTime(), clusters);
    pending = p;
    // a cluster may already hold it (for example a value that is not new)
    for (String c : clusters) {
      if (value.equals((field == Field.SPEC ? spec : meta).get(c))) {
        p.arrive(c, p.startNanos);
      }
    }
    return p;
  }

  /** A cluster holds these marks as of {@code nanos}. */
  void seen(String cluster, String specMark, String metaMark, long nanos) {
    String before = spec.put(cluster, specMark);
    meta.put(cluster, metaMark);
    if (before != null && number(specMark) >= 0 && number(before) > number(specMark)) {
      synchronized (regressions) {
        regressions.add(cluster + ": " + before + " -> " + specMark);
      }
    }
    Pending p = pending;
    if (p != null && p.value.equals(p.field == Field.SPEC ? specMark : metaMark)) {
      p.arrive(cluster, nanos);
    }
  }

  /** How many clusters hold {@code value} in the META mark now. */
  long holdingMeta(String value) {
    return meta.values().stream().filter(value::equals).count();
  }

  List<String> regressions() {
    synchronized (regressions) {
      return List.copyOf(regressions);
    }
  }

  private static int number(String mark) {
    int i = 0;
    while (i < mark.length() && !Character.isDigit(mark.charAt(i))) {
      i++;
    }
    try {
      return i < mark.length() ? Integer.parseInt(mark.substring(i)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
