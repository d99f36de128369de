package dev.meridian.scheduler.internal;

import dev.meridian.api.policy.ReplicaScheduling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Static weights: a cluster's weight is the largest weight among the rules whose clusters it
 * matches. A cluster of weight 0 (or that no rule matches) gets nothing, unless every cluster has
 * weight 0 (or there are no rules): then all weigh the same.
 *
 * @param kept the clusters with a weight, in name order
 * @param weights aligned with {@code kept}
 * @param dropped the clusters of weight 0 → why
 */
public record StaticWeights(List<Candidate> kept, long[] weights, Map<String, String> dropped) {

  /** Weights are capped here so that products of weights and replicas stay within a long. */
  public static final long MAX_WEIGHT = Integer.MAX_VALUE;

  public static StaticWeights of(ReplicaScheduling.Weights spec, List<Candidate> feasible) {
    int n = feasible.size();
    long[] w = new long[n];
    boolean[] matched = new boolean[n];
    List<ReplicaScheduling.StaticWeight> rules = spec == null ? List.of() : spec.staticWeights();
    boolean anyPositive = false;
    for (ReplicaScheduling.StaticWeight rule : rules) {
      AffinityMatcher m = AffinityMatcher.compile(rule.clusters());
      long weight = rule.weight() == null ? 0 : Math.min(MAX_WEIGHT, Math.max(0, rule.weight()));
      for (int i = 0; i < n; i++) {
        if (m.matches(feasible.get(i).view())) {
          matched[i] = true;
          w[i] = Math.max(w[i], weight);
          anyPositive |= weight > 0;
        }
      }
    }
    if (!anyPositive) {
      long[] equal = new long[n];
      java.util.Arrays.fill(equal, 1);
      return new StaticWeights(feasible, equal, Map.of());
    }
    List<Candidate> kept = new ArrayList<>();
    List<Long> keptWeights = new ArrayList<>();
    Map<String, String> dropped = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      if (w[i] > 0) {
        kept.add(feasible.get(i));
        keptWeights.add(w[i]);
      } else {
        dropped.put(
            feasible.get(i).name(),
            matched[i] ? "weight: static weight is 0" : "weight: no static weight rule matches it");
      }
    }
    return new StaticWeights(
        kept, keptWeights.stream().mapToLong(Long::longValue).toArray(), dropped);
  }

  /** {@code weights} (aligned with {@code from}) for the clusters of {@code to}, a subset. */
  public static long[] realign(long[] weights, List<Candidate> from, List<Candidate> to) {
    long[] out = new long[to.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = weights[from.indexOf(to.get(i))];
    }
    return out;
  }
}
