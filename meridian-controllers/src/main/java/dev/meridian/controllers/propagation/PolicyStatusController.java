package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.fleet.EventRecorder;
import dev.meridian.controllers.runtime.Reconciler;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.PolicyValidator;
import dev.meridian.scheduler.ResidencyGuardrail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps each policy's {@code status} true to the fleet as it is now, not only as it was when the
 * policy was written (the {@code Warning:} headers of that write say the same, once):
 *
 * <ul>
 *   <li>PropagationPolicy, ClusterPropagationPolicy, OverridePolicy: {@code status.warnings} (field
 *       and message, as the write's warnings) and condition {@code ResolvedRefs}: {@code False},
 *       reason {@code UnknownClusters}, while a cluster the policy names is not in the fleet (say,
 *       removed since).
 *   <li>ResidencyPolicy: {@code status.allowedClusters}, the fleet's clusters in its allowed
 *       locations, and condition {@code Satisfiable}: {@code False}, reason {@code
 *       NoAllowedCluster}, when there is none (what it selects can then run nowhere).
 * </ul>
 *
 * A condition turning {@code False} is also recorded as a Warning event on the policy. Keys are
 * {@code KIND|NAMESPACE/NAME}.
 */
public final class PolicyStatusController implements Reconciler {
  static final List<String> KINDS =
      List.of("PropagationPolicy", "ClusterPropagationPolicy", "OverridePolicy", "ResidencyPolicy");

  private final ObjectClient objects;
  private final ResourceTypes types;
  private final ResourceType clusters;
  private final EventRecorder events;
  private final Clock clock;

  public PolicyStatusController(
      ObjectClient objects, ResourceTypes types, EventRecorder events, Clock clock) {
    this.objects = objects;
    this.types = types;
    this.clusters = types.byKind(Cluster.API_VERSION, Cluster.KIND).orElseThrow();
    this.events = events;
    this.clock = clock;
  }

  /** The key of a policy object. */
  static String key(ObjectNode policy) {
    return Meta.kind(policy) + "|" + Meta.namespace(policy) + "/" + Meta.name(policy);
  }

  @Override
  public Duration reconcile(String key) {
    int bar = key.indexOf('|');
    int slash = key.indexOf('/', bar);
    String kind = key.substring(0, bar);
    String ns = key.substring(bar + 1, slash);
    String name = key.substring(slash + 1);
    ResourceType type = type(kind);
    Optional<ObjectNode> found = objects.get(type, ns, name);
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return null;
    }
    ObjectNode policy = found.get();
    List<ClusterView> fleet = new ArrayList<>();
    for (ObjectNode c : objects.list(clusters, "")) {
      if (!Meta.deleting(c)) {
        fleet.add(ClusterView.of(Typed.read(c, Cluster.class)));
      }
    }
    ObjectNode status =
        kind.equals(ResidencyPolicy.KIND)
            ? residencyStatus(policy, fleet)
            : referenceStatus(policy, fleet);
    write(type, policy, status);
    return null;
  }

  private ObjectNode referenceStatus(ObjectNode policy, List<ClusterView> fleet) {
    Set<String> known = new TreeSet<>();
    fleet.forEach(c -> known.add(c.name()));
    PolicyValidator.Report report = PolicyValidator.validate(policy, known);
    ObjectNode status = ResourceCodec.newObject();
    ArrayNode warnings = status.putArray("warnings");
    List<String> unknown = new ArrayList<>();
    for (FieldError w : report.warnings()) {
      warnings.addObject().put("field", w.field()).put("message", w.message());
      if (PolicyValidator.isUnknownCluster(w)) {
        unknown.add(w.toString());
      }
    }
    if (warnings.isEmpty()) {
      status.remove("warnings");
    }
    condition(
        policy,
        status,
        "ResolvedRefs",
        unknown.isEmpty(),
        unknown.isEmpty() ? "ClustersKnown" : "UnknownClusters",
        unknown.isEmpty()
            ? "every cluster the policy names is in the fleet"
            : String.join("; ", unknown));
    return status;
  }

  private ObjectNode residencyStatus(ObjectNode policy, List<ClusterView> fleet) {
    ResidencyPolicy p = Typed.read(policy, ResidencyPolicy.class);
    ObjectNode status = ResourceCodec.newObject();
    ArrayNode allowed = status.putArray("allowedClusters");
    if (p.spec() != null) {
      ResidencyGuardrail g = new ResidencyGuardrail(List.of(p));
      boolean deny = p.spec().enforcementOrDefault() == ResidencyPolicy.Enforcement.Deny;
      fleet.stream()
          .filter(c -> (deny ? g.violations(c) : g.auditFindings(c)).isEmpty())
          .map(ClusterView::name)
          .sorted()
          .forEach(allowed::add);
    }
    boolean any = !allowed.isEmpty();
    condition(
        policy,
        status,
        "Satisfiable",
        any,
        any ? "AllowedClustersFound" : "NoAllowedCluster",
        any
            ? allowed.size() + " of " + fleet.size() + " clusters are in the allowed locations"
            : "no cluster of the fleet ("
                + fleet.size()
                + ") is in the allowed locations: what this policy selects can run nowhere");
    return status;
  }

  /** Sets the one condition, keeping its transition time while its status stays the same. */
  private void condition(
      ObjectNode policy,
      ObjectNode status,
      String type,
      boolean ok,
      String reason,
      String message) {
    ArrayNode conditions = status.putArray("conditions");
    conditions
        .addObject()
        .put("type", type)
        .put("status", ok ? "True" : "False")
        .put("reason", reason)
        .put("message", message);
    Conditions.stampTransitions(conditions, policy, Instant.now(clock));
  }

  private void write(ResourceType type, ObjectNode policy, ObjectNode status) {
    status.put("observedGeneration", policy.path("metadata").path("generation").asLong());
    if (!objects.updateStatusIfChanged(type, policy, status)) {
      return;
    }
    JsonNode before = policy.path("status");
    JsonNode now = status.path("conditions").path(0);
    boolean turnedFalse =
        now.path("status").asText().equals("False")
            && !before.path("conditions").path(0).path("status").asText().equals("False");
    if (turnedFalse) {
      events.warning(policy, now.path("reason").asText(), now.path("message").asText());
    }
  }

  private ResourceType type(String kind) {
    return PropagationController.policyType(types, kind);
  }
}
