package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.ResidencyGuardrail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The residency guardrails applied to a {@code Work} itself, whoever wrote it: each manifest is
 * judged as a template would be (its labels, its namespace's labels, every {@code ResidencyPolicy}
 * with {@code Deny} enforcement) against the Work's cluster. The scheduler never chooses a cluster
 * a guardrail forbids; this closes the path around it (a Work written or edited through the API),
 * at admission and again before anything is applied.
 */
public final class WorkResidency {

  private final ObjectClient objects;
  private final ResourceType residencyPolicies;
  private final ResourceType clusters;
  private final ResourceType works;

  public WorkResidency(ObjectClient objects, ResourceTypes types) {
    this.objects = objects;
    this.works = types.byKind(ResourceTypes.WORK + "/v1alpha1", "Work").orElseThrow();
    this.residencyPolicies = PropagationController.policyType(types, "ResidencyPolicy");
    this.clusters = types.byKind(Cluster.API_VERSION, Cluster.KIND).orElseThrow();
  }

  /**
   * What forbids {@code work}'s manifests on its cluster, one line per manifest and guardrail
   * ({@code Deployment shop/crm: residency: ...}); empty when nothing does, or when the cluster is
   * not in the fleet (nothing can be applied there anyway).
   */
  public List<String> violations(ObjectNode work) {
    String clusterName = work.path("spec").path("cluster").asText("");
    Optional<ObjectNode> cluster = objects.get(clusters, "", clusterName);
    if (cluster.isEmpty()) {
      return List.of();
    }
    return violations(work, cluster.get());
  }

  /** As {@link #violations(ObjectNode)}, with the Work's Cluster already read. */
  public List<String> violations(ObjectNode work, ObjectNode cluster) {
    List<ResidencyPolicy> guardrails = guardrails();
    return guardrails.isEmpty() ? List.of() : violations(work, view(cluster), guardrails);
  }

  /**
   * What would be in breach if {@code cluster} (a new version of a Cluster: a changed {@code
   * spec.location}) were stored: one line per Work on it ({@code Work shop/api-deployment-x:
   * Deployment shop/api: residency: ...}); Works being deleted are not counted.
   */
  public List<String> breachesIfStored(ObjectNode cluster) {
    List<ResidencyPolicy> guardrails = guardrails();
    if (guardrails.isEmpty()) {
      return List.of();
    }
    String name = Meta.name(cluster);
    ClusterView view = view(cluster);
    List<String> out = new ArrayList<>();
    for (ObjectNode w : objects.list(works, "")) {
      if (!name.equals(w.path("spec").path("cluster").asText()) || Meta.deleting(w)) {
        continue;
      }
      for (String v : violations(w, view, guardrails)) {
        out.add("Work " + Meta.namespace(w) + "/" + Meta.name(w) + ": " + v);
      }
    }
    return out;
  }

  private List<ResidencyPolicy> guardrails() {
    List<ResidencyPolicy> guardrails = new ArrayList<>();
    objects
        .list(residencyPolicies, "")
        .forEach(p -> guardrails.add(Typed.read(p, ResidencyPolicy.class)));
    return guardrails;
  }

  private static ClusterView view(ObjectNode cluster) {
    return ClusterView.of(Typed.read(cluster, Cluster.class));
  }

  private List<String> violations(
      ObjectNode work, ClusterView cluster, List<ResidencyPolicy> guardrails) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : work.path("spec").path("manifests")) {
      if (!m.isObject()) {
        continue;
      }
      ObjectNode manifest = (ObjectNode) m;
      String ns = Meta.namespace(manifest);
      Map<String, String> nsLabels =
          ns.isEmpty()
              ? Map.of()
              : objects.get(ResourceTypes.NAMESPACE, "", ns).map(Meta::labels).orElse(Map.of());
      for (String v :
          ResidencyGuardrail.forTemplate(manifest, nsLabels, guardrails).violations(cluster)) {
        out.add(
            Meta.kind(manifest)
                + " "
                + (ns.isEmpty() ? "" : ns + "/")
                + Meta.name(manifest)
                + ": "
                + v);
      }
    }
    return out;
  }
}
