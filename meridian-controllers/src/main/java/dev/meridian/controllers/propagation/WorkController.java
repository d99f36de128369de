package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.ObjectNotFoundException;
import dev.meridian.controllers.fleet.EventRecorder;
import dev.meridian.controllers.fleet.MemberRegistry;
import dev.meridian.controllers.propagation.render.Drift;
import dev.meridian.controllers.propagation.render.Health;
import dev.meridian.controllers.propagation.render.MemberManifest;
import dev.meridian.controllers.runtime.Reconciler;
import dev.meridian.members.ApplyResult;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberException;
import dev.meridian.members.ResourceRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a member hold what a {@code Work} says: applies each manifest with server-side apply (field
 * manager {@code meridian}), deletes what the Work no longer lists, re-applies when the member's
 * object differs from it (seen through {@link MemberObjects}, or read from the member while that
 * cannot tell) so changes made directly in the member are reverted (and recorded as {@code
 * DriftCorrected} events), and reports each manifest's result and health in the Work's status.
 *
 * <p>Objects that exist in the member and were not created by Meridian are not taken over unless
 * the Work says {@code conflictResolution: Adopt}. Deleting the Work deletes its objects from the
 * member first ({@value #FINALIZER}), unless {@code deletePolicy: Orphan}.
 */
public final class WorkController implements Reconciler {
  public static final String FINALIZER = "meridian.dev/work-cleanup";
  public static final String CLUSTER_LABEL = "work.meridian.dev/cluster";
  public static final String BINDING_LABEL = "work.meridian.dev/binding";

  private final ObjectClient objects;
  private final ResourceType works;
  private final ResourceType clusters;
  private final MemberRegistry members;
  private final EventRecorder events;
  private final Duration resync;
  private final MemberObjects cache;
  private final Clock clock;
  private final WorkResidency residency;

  /** Ensure-only objects (namespaces) known to exist, per cluster; forgotten when a call fails. */
  private final java.util.Set<String> ensured = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public WorkController(
      ObjectClient objects,
      ResourceType works,
      ResourceType clusters,
      MemberRegistry members,
      EventRecorder events,
      Duration resync,
      MemberObjects cache,
      WorkResidency residency,
      Clock clock) {
    this.objects = objects;
    this.residency = residency;
    this.clock = clock;
    this.cache = cache;
    this.works = works;
    this.clusters = clusters;
    this.members = members;
    this.events = events;
    this.resync = resync;
  }

  @Override
  public Duration reconcile(String key) {
    String ns = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    Optional<ObjectNode> found = objects.get(works, ns, name);
    if (found.isEmpty()) {
      return null;
    }
    ObjectNode work = found.get();
    String clusterName = work.path("spec").path("cluster").asText("");
    Optional<ObjectNode> cluster = objects.get(clusters, "", clusterName);
    if (Meta.deleting(work)) {
      cleanUp(work, cluster);
      return null;
    }
    if (!hasFinalizer(work)) {
      ObjectNode withFinalizer = work.deepCopy();
      Meta.metadata(withFinalizer).withArray("finalizers").add(FINALIZER);
      work = objects.update(works, ns, withFinalizer);
    }
    if (cluster.isEmpty()) {
      writeStatus(
          work,
          List.of(),
          appliedRefs(work),
          "ClusterNotFound",
          "cluster " + clusterName + " is not in the fleet");
      return resync;
    }
    // checked again here, whoever wrote the Work: a guardrail added after it was admitted, or a
    // path around admission, must still never put the data where it may not go
    List<String> forbidden = residency.violations(work, cluster.get());
    if (!forbidden.isEmpty()) {
      String message =
          "not applied, a residency guardrail forbids it: " + String.join("; ", forbidden);
      if (!"ResidencyViolation"
          .equals(work.path("status").path("conditions").path(0).path("reason").asText(""))) {
        events.warning(work, "ResidencyViolation", message);
      }
      writeStatus(work, List.of(), appliedRefs(work), "ResidencyViolation", message);
      return resync;
    }
    MemberCluster member;
    try {
      member = members.member(cluster.get());
    } catch (MemberException e) {
      writeStatus(work, List.of(), appliedRefs(work), "ClusterUnusable", e.getMessage());
      return resync;
    }
    long generation = work.path("metadata").path("generation").asLong();
    // the spec is the one last applied in full: the member should hold exactly this, and any
    // difference was made there (drift); after a spec change differences are simply the change
    boolean unchanged =
        work.path("status").path("observedGeneration").asLong(-1) == generation
            && "True"
                .equals(work.path("status").path("conditions").path(0).path("status").asText(""));
    boolean adopt = "Adopt".equals(work.path("spec").path("conflictResolution").asText(""));
    List<ObjectNode> results = new ArrayList<>();
    Set<ResourceRef> applied = new LinkedHashSet<>();
    Set<ResourceRef> previouslyApplied = appliedRefs(work);
    boolean unreachable = false;
    boolean settling = false;
    boolean uncached = false;
    for (JsonNode m : work.path("spec").path("manifests")) {
      ObjectNode manifest = (ObjectNode) m;
      ResourceRef ref = ResourceRef.of(manifest);
      ObjectNode result = refNode(ref);
      try {
        if (ensureOnly(manifest)) {
          // e.g. the template's namespace: created when missing, never taken over nor deleted.
          // Once seen it is remembered, saving a round trip per Work on every pass.
          String seenKey = clusterName + "|" + ref;
          boolean created = false;
          if (!ensured.contains(seenKey)) {
            if (member.get(ref).isEmpty()) {
              member.apply(manifest);
              created = true;
            }
            ensured.add(seenKey);
          }
          result
              .put("applied", true)
              .put("health", Health.State.HEALTHY.label())
              .put("message", created ? "created" : "exists");
          results.add(result);
          continue;
        }
        // from the watch cache when it can tell, else from the member
        MemberObjects.Known known = cache.lookup(member, ref);
        uncached |= known == null;
        Optional<ObjectNode> live = known != null ? known.object() : member.get(ref);
        if (live.isPresent()
            && !MemberManifest.isManagedByMeridian(live.get())
            && !adopt
            && !previouslyApplied.contains(ref)) {
          result.put("applied", false).put("health", "Unknown");
          result.put(
              "message",
              ref
                  + " already exists on "
                  + clusterName
                  + " and was not created by Meridian; set conflictResolution: Adopt to take it over");
          results.add(result);
          continue;
        }
        if (unchanged && previouslyApplied.contains(ref)) {
          List<String> drift =
              live.isPresent() ? Drift.find(manifest, live.get()) : List.of("the whole object");
          if (drift.isEmpty() && known != null) {
            // the member holds what was applied: nothing to send, only its progress to report
            applied.add(ref);
            settling |= !recordApplied(result, live.get());
            results.add(result);
            continue;
          }
          if (!drift.isEmpty()) {
            events.warning(
                work,
                "DriftCorrected",
                ref
                    + " on "
                    + clusterName
                    + (live.isPresent()
                        ? " was changed outside Meridian (" + String.join(", ", drift) + ")"
                        : " was deleted outside Meridian")
                    + "; reverted");
          }
        }
        ApplyResult r = member.apply(manifest);
        cache.applied(member, r.object());
        applied.add(ref);
        settling |= !recordApplied(result, r.object());
      } catch (MemberException e) {
        ensured.removeIf(k -> k.startsWith(clusterName + "|"));
        result.put("applied", false).put("health", "Unknown").put("message", e.getMessage());
        unreachable |= e.reason() == MemberException.Reason.UNREACHABLE;
        if (previouslyApplied.contains(ref)) {
          applied.add(ref); // the earlier version is still there as far as we know
        }
      }
      results.add(result);
    }
    // what the Work no longer lists goes
    boolean orphan = "Orphan".equals(work.path("spec").path("deletePolicy").asText(""));
    for (ResourceRef stale : previouslyApplied) {
      if (applied.contains(stale) || containsRef(work, stale)) {
        continue;
      }
      try {
        if (!orphan) {
          member.delete(stale);
        }
      } catch (MemberException e) {
        applied.add(stale); // retry next pass
        unreachable |= e.reason() == MemberException.Reason.UNREACHABLE;
      }
    }
    long failed = results.stream().filter(r -> !r.path("applied").asBoolean()).count();
    String reason = failed == 0 ? "Applied" : unreachable ? "ClusterUnreachable" : "ApplyFailed";
    String message =
        failed == 0
            ? results.size() + " manifests applied"
            : failed + " of " + results.size() + " manifests not applied";
    writeStatus(work, results, applied, reason, message);
    // the member's events bring progress and drift of cached objects; without a cache, look again
    // soon while objects settle or the member is unreachable, and once a resync period on anyway
    boolean pollSoon = unreachable || (settling && uncached);
    return pollSoon ? Duration.ofMillis(Math.min(2000, resync.toMillis())) : resync;
  }

  /**
   * Records an applied object's health and status on its manifest result.
   *
   * @return whether the object is healthy
   */
  private static boolean recordApplied(ObjectNode result, ObjectNode live) {
    Health h = Health.of(live);
    result.put("applied", true).put("health", h.state().label());
    if (h.desired() != null) {
      result.put("desired", h.desired());
    }
    if (h.ready() != null) {
      result.put("ready", h.ready());
    }
    if (h.available() != null) {
      result.put("available", h.available());
    }
    result.put("message", h.message());
    // the member's own generation, which its status.observedGeneration counts (not the hub's)
    if (live.path("metadata").path("generation").isNumber()) {
      result.put("generation", live.path("metadata").path("generation").asLong());
    }
    if (live.has("status")) {
      result.set("status", live.get("status").deepCopy());
    }
    return h.state() == Health.State.HEALTHY;
  }

  private void cleanUp(ObjectNode work, Optional<ObjectNode> cluster) {
    if (!hasFinalizer(work)) {
      return;
    }
    boolean orphan = "Orphan".equals(work.path("spec").path("deletePolicy").asText(""));
    if (!orphan && cluster.isPresent()) {
      MemberCluster member = members.member(cluster.get());
      for (ResourceRef ref : appliedRefs(work)) {
        member.delete(ref); // an unreachable member throws: the finalizer stays and we retry
      }
    }
    ObjectNode released = work.deepCopy();
    ArrayNode kept = ResourceCodec.newArray();
    for (JsonNode f : work.path("metadata").path("finalizers")) {
      if (!f.asText().equals(FINALIZER)) {
        kept.add(f);
      }
    }
    Meta.metadata(released).set("finalizers", kept);
    try {
      objects.update(works, Meta.namespace(work), released);
    } catch (ObjectNotFoundException e) {
      // already gone
    }
  }

  private void writeStatus(
      ObjectNode work,
      List<ObjectNode> results,
      Set<ResourceRef> applied,
      String reason,
      String message) {
    ObjectNode status = ResourceCodec.newObject();
    // which version of the Work this status describes: "applied" means nothing for a newer spec
    status.put("observedGeneration", work.path("metadata").path("generation").asLong());
    status
        .putArray("conditions")
        .addObject()
        .put("type", "Applied")
        .put("status", reason.equals("Applied") ? "True" : "False")
        .put("reason", reason)
        .put("message", message);
    Conditions.stampTransitions(status.path("conditions"), work, Instant.now(clock));
    ArrayNode ms = status.putArray("manifests");
    results.forEach(ms::add);
    ArrayNode refs = status.putArray("appliedRefs");
    applied.forEach(r -> refs.add(refNode(r)));
    objects.updateStatusIfChanged(works, work, status);
  }

  /** Manifests Meridian makes sure exist but does not own (annotation {@value #ENSURE_ONLY}). */
  public static final String ENSURE_ONLY = "meridian.dev/ensure-only";

  static boolean ensureOnly(JsonNode manifest) {
    return "true"
        .equals(manifest.path("metadata").path("annotations").path(ENSURE_ONLY).asText(""));
  }

  private static boolean hasFinalizer(ObjectNode work) {
    for (JsonNode f : work.path("metadata").path("finalizers")) {
      if (f.asText().equals(FINALIZER)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsRef(ObjectNode work, ResourceRef ref) {
    for (JsonNode m : work.path("spec").path("manifests")) {
      if (ResourceRef.of(m).equals(ref)) {
        return true;
      }
    }
    return false;
  }

  static Set<ResourceRef> appliedRefs(ObjectNode work) {
    Set<ResourceRef> refs = new LinkedHashSet<>();
    for (JsonNode r : work.path("status").path("appliedRefs")) {
      refs.add(
          new ResourceRef(
              r.path("apiVersion").asText(),
              r.path("kind").asText(),
              r.path("namespace").asText(""),
              r.path("name").asText()));
    }
    return refs;
  }

  static ObjectNode refNode(ResourceRef ref) {
    ObjectNode n = ResourceCodec.newObject();
    n.put("apiVersion", ref.apiVersion()).put("kind", ref.kind());
    if (!ref.namespace().isEmpty()) {
      n.put("namespace", ref.namespace());
    }
    n.put("name", ref.name());
    return n;
  }

  /** Work names are {@code BINDING-CLUSTER}; labels say which of each. */
  static Map<String, String> labels(String binding, String cluster) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(BINDING_LABEL, binding);
    l.put(CLUSTER_LABEL, cluster);
    return l;
  }
}
