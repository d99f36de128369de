package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.PolicyMatcher;
import dev.meridian.scheduler.ResidencyGuardrail;
import dev.meridian.scheduler.Scheduler;
import dev.meridian.scheduler.SchedulingInput;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The placement engine backed by {@code meridian-scheduler}: the same code {@code meridian plan}
 * runs.
 */
public final class SchedulerPlacement implements PlacementEngine {

  private final java.time.Clock clock;

  /** Judges tolerated {@code NoExecute} taints at the system clock's time. */
  public SchedulerPlacement() {
    this(java.time.Clock.systemUTC());
  }

  /** Judges tolerated {@code NoExecute} taints at {@code clock}'s time. */
  public SchedulerPlacement(java.time.Clock clock) {
    this.clock = clock;
  }

  @Override
  public Optional<ObjectNode> match(ObjectNode template, List<ObjectNode> policies) {
    Map<PropagationPolicy, ObjectNode> byRecord = new IdentityHashMap<>();
    List<PropagationPolicy> records = new ArrayList<>();
    for (ObjectNode p : policies) {
      PropagationPolicy r = Typed.read(p, PropagationPolicy.class);
      byRecord.put(r, p);
      records.add(r);
    }
    return PolicyMatcher.select(template, records).map(byRecord::get);
  }

  @Override
  public PlacementEngine.Decision schedule(
      ObjectNode template,
      ObjectNode policy,
      List<ObjectNode> clusters,
      List<ObjectNode> residencyPolicies,
      Map<String, String> namespaceLabels,
      Map<String, Integer> previous,
      boolean rebalance) {
    List<ClusterView> views = new ArrayList<>();
    for (ObjectNode c : clusters) {
      if (!Meta.deleting(c)) {
        views.add(ClusterView.of(Typed.read(c, Cluster.class)));
      }
    }
    List<ResidencyPolicy> guardrails = new ArrayList<>();
    residencyPolicies.forEach(r -> guardrails.add(Typed.read(r, ResidencyPolicy.class)));
    SchedulingInput input =
        SchedulingInput.of(template, Typed.read(policy, PropagationPolicy.class), views)
            .withGuardrail(ResidencyGuardrail.forTemplate(template, namespaceLabels, guardrails))
            .withPrevious(previous)
            .withRebalance(rebalance)
            .withNow(clock.instant());
    dev.meridian.scheduler.Decision d = Scheduler.schedule(input);
    List<Target> targets = new ArrayList<>();
    d.targets().forEach(t -> targets.add(new Target(t.cluster(), t.replicas())));
    List<Exclusion> excluded = new ArrayList<>();
    d.exclusions().forEach((cluster, reasons) -> excluded.add(new Exclusion(cluster, reasons)));
    return new PlacementEngine.Decision(
        targets, excluded, d.unschedulable(), d.warnings(), d.recheckAfter());
  }
}
