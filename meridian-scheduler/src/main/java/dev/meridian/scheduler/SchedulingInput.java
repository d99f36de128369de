package dev.meridian.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.policy.PropagationPolicy;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one scheduling decision depends on; the same input always gives the same {@link
 * Decision}.
 *
 * @param template the resource template, as stored (not modified)
 * @param policy the PropagationPolicy or ClusterPropagationPolicy that selects it ({@link
 *     PolicyMatcher})
 * @param clusters every cluster of the fleet, in any order; names must be unique
 * @param guardrail the template's residency guardrail ({@link ResidencyGuardrail#forTemplate})
 * @param previous the current placement, cluster → replicas (0 for kinds without replicas); empty
 *     for a first decision. It keeps a decision stable: scale-up divides only the added replicas,
 *     scale-down shrinks every cluster in proportion, a cluster keeps a place that a new {@code
 *     NoSchedule} taint would refuse.
 * @param rebalance recompute from scratch, ignoring {@code previous} (except as used capacity)
 * @param now the time {@code NoExecute} taints are judged at: a cluster that holds the template
 *     keeps it while a toleration with {@code tolerationSeconds} (or the policy's {@code
 *     failover.tolerationSeconds}, for the health taints) still covers the taint's age; null for no
 *     clock (such a toleration then covers the taint for ever, as in {@code meridian plan})
 */
public record SchedulingInput(
    ObjectNode template,
    PropagationPolicy policy,
    List<ClusterView> clusters,
    ResidencyGuardrail guardrail,
    SortedMap<String, Integer> previous,
    boolean rebalance,
    Instant now) {

  public SchedulingInput {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(policy, "policy");
    clusters = List.copyOf(clusters);
    guardrail = guardrail == null ? ResidencyGuardrail.NONE : guardrail;
    TreeMap<String, Integer> prev = new TreeMap<>();
    if (previous != null) {
      previous.forEach((k, v) -> prev.put(k, v == null ? 0 : Math.max(0, v)));
    }
    previous = Collections.unmodifiableSortedMap(prev);
  }

  /** A first decision: no guardrail, no previous placement. */
  public static SchedulingInput of(
      ObjectNode template, PropagationPolicy policy, List<ClusterView> clusters) {
    return new SchedulingInput(template, policy, clusters, null, null, false, null);
  }

  public SchedulingInput withGuardrail(ResidencyGuardrail g) {
    return new SchedulingInput(template, policy, clusters, g, previous, rebalance, now);
  }

  public SchedulingInput withPrevious(Map<String, Integer> p) {
    return new SchedulingInput(
        template, policy, clusters, guardrail, p == null ? null : new TreeMap<>(p), rebalance, now);
  }

  public SchedulingInput withRebalance(boolean r) {
    return new SchedulingInput(template, policy, clusters, guardrail, previous, r, now);
  }

  public SchedulingInput withClusters(List<ClusterView> c) {
    return new SchedulingInput(template, policy, c, guardrail, previous, rebalance, now);
  }

  public SchedulingInput withNow(Instant n) {
    return new SchedulingInput(template, policy, clusters, guardrail, previous, rebalance, n);
  }
}
