package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which policy places a template, and where it goes: the scheduler as the propagation controller
 * sees it (objects in, decision out; pure, so the same input gives the same decision).
 */
public interface PlacementEngine {
  /**
   * The policy that applies among {@code policies} (PropagationPolicies of the template's namespace
   * and ClusterPropagationPolicies), if any.
   */
  Optional<ObjectNode> match(ObjectNode template, List<ObjectNode> policies);

  /**
   * @param previous the current placement (cluster → replicas), for stability and scaling by delta
   */
  Decision schedule(
      ObjectNode template,
      ObjectNode policy,
      List<ObjectNode> clusters,
      List<ObjectNode> residencyPolicies,
      Map<String, String> namespaceLabels,
      Map<String, Integer> previous,
      boolean rebalance);

  /** One cluster chosen, with its share of replicas (null for kinds without replicas). */
  record Target(String cluster, Integer replicas) {}

  /** One cluster left out, and every reason why. */
  record Exclusion(String cluster, List<String> reasons) {}

  /** The outcome: targets, exclusions, and why nothing fits when nothing does. */
  /**
   * @param recheckAfter when to schedule again although nothing changed (a tolerated {@code
   *     NoExecute} taint runs out then); null for never
   */
  record Decision(
      List<Target> targets,
      List<Exclusion> excluded,
      String unschedulable,
      List<String> warnings,
      java.time.Duration recheckAfter) {}
}
