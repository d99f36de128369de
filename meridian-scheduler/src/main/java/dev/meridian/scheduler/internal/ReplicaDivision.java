package dev.meridian.scheduler.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Shares a template's replicas among the selected clusters.
 *
 * <ul>
 *   <li>A first decision (or a rebalance) divides all replicas: by static weights, by available
 *       replicas (dynamic), or Aggregated: as few clusters as can hold them, in preference order.
 *   <li>Scale-up keeps every cluster's replicas and divides only the added ones, the same way
 *       (dynamic: by the room each cluster has left; Aggregated: filling preferred clusters first).
 *   <li>Scale-down shrinks every cluster in proportion to what it holds.
 *   <li>Replicas of clusters that left the selection count as missing and are divided as added.
 * </ul>
 *
 * Every division goes through {@link Apportionment}, so results sum to the target exactly.
 */
public final class ReplicaDivision {
  private ReplicaDivision() {}

  /** How replicas are shared. */
  public enum Mode {
    /** Every cluster runs all replicas (also any kind without replicas). */
    DUPLICATED,
    /** Divided by static weights (equal weights when none). */
    STATIC,
    /** Divided by the replicas each cluster can still take. */
    DYNAMIC,
    /** As few clusters as can hold the replicas. */
    AGGREGATED
  }

  /**
   * @param replicas per cluster, aligned with the clusters passed in; null on failure
   * @param failure why the replicas do not fit; null on success
   */
  public record Result(long[] replicas, String failure) {
    static Result fail(String why) {
      return new Result(null, why);
    }
  }

  /**
   * Divides {@code total} among {@code cs} (name order; their {@link Candidate#previous()} is the
   * current placement, all 0 for a fresh division).
   *
   * @param weights static weights aligned with {@code cs} (mode {@code STATIC})
   * @param coverage for {@code AGGREGATED}: clusters that must get a replica first (spread)
   */
  public static Result divide(
      Mode mode, int total, List<Candidate> cs, long[] weights, List<Candidate> coverage) {
    int n = cs.size();
    long[] prev = new long[n];
    long held = 0;
    for (int i = 0; i < n; i++) {
      prev[i] = cs.get(i).previous();
      held += prev[i];
    }
    if (total == 0) {
      return new Result(new long[n], null);
    }
    if (held == 0) {
      return fresh(mode, total, cs, weights, coverage);
    }
    if (total == held) {
      return new Result(prev, null);
    }
    if (total < held) {
      return new Result(Apportionment.divide(total, prev), null);
    }
    long delta = total - held;
    long[] added =
        switch (mode) {
          case DUPLICATED, STATIC -> Apportionment.divide(delta, weights);
          case DYNAMIC -> byRoom(delta, cs);
          case AGGREGATED -> fill(delta, List.of(), preferred(cs), cs, false);
        };
    if (added == null) {
      return Result.fail(
          "capacity: the selected clusters can take "
              + Spread.plural(room(cs, false), "more replica")
              + ", "
              + delta
              + " more wanted");
    }
    for (int i = 0; i < n; i++) {
      added[i] += prev[i];
    }
    return new Result(added, null);
  }

  private static Result fresh(
      Mode mode, int total, List<Candidate> cs, long[] weights, List<Candidate> coverage) {
    long[] out =
        switch (mode) {
          case DUPLICATED, STATIC -> Apportionment.divide(total, weights);
          case DYNAMIC ->
              room(cs, true) < total ? null : Apportionment.divide(total, available(cs));
          case AGGREGATED -> fill(total, coverage, preferred(cs), cs, true);
        };
    if (out == null) {
      return Result.fail(
          "capacity: the selected clusters can hold "
              + Spread.plural(room(cs, true), "replica")
              + " in all, "
              + total
              + " wanted");
    }
    return new Result(out, null);
  }

  /** Divides {@code delta} by the room each cluster has left; null when it does not fit. */
  private static long[] byRoom(long delta, List<Candidate> cs) {
    if (room(cs, false) < delta) {
      return null;
    }
    long[] w = new long[cs.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.max(0, cs.get(i).headroom());
    }
    return Apportionment.divide(delta, w);
  }

  /**
   * Hands out {@code count} replicas: one to each of {@code seeds} first, then filling clusters in
   * {@code order} up to what each can take; null when they do not fit.
   */
  private static long[] fill(
      long count, List<Candidate> seeds, List<Candidate> order, List<Candidate> cs, boolean fresh) {
    long[] out = new long[cs.size()];
    long left = count;
    for (Candidate c : seeds) {
      if (left > 0 && cap(c, fresh) > 0) {
        out[cs.indexOf(c)] = 1;
        left--;
      }
    }
    for (Candidate c : order) {
      int i = cs.indexOf(c);
      long give = Math.min(cap(c, fresh) - out[i], left);
      out[i] += give;
      left -= give;
    }
    return left > 0 ? null : out;
  }

  private static long cap(Candidate c, boolean fresh) {
    return Math.max(0, fresh ? c.available() : c.headroom());
  }

  private static List<Candidate> preferred(List<Candidate> cs) {
    List<Candidate> order = new ArrayList<>(cs);
    order.sort(Candidate.PREFERENCE);
    return order;
  }

  private static long[] available(List<Candidate> cs) {
    long[] w = new long[cs.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.max(0, cs.get(i).available());
    }
    return w;
  }

  private static long room(List<Candidate> cs, boolean all) {
    long sum = 0;
    for (Candidate c : cs) {
      sum += Math.max(0, all ? c.available() : c.headroom());
    }
    return sum;
  }
}
