package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.ObjectConflictException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a member hold what a {@code Work} says: applies each manifest with server-side apply (field
 * manager {@code meridian}), deletes what the Work no longer lists, re-applies on every resync so
 * changes made directly in the member are reverted (and recorded as {@code DriftCorrected} events),
 * and reports each manifest's result and health in the Work's status.
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

  /** Ensure-only objects (namespaces) known to exist, per cluster; forgotten when a call fails. */
  private final java.util.Set<String> ensured = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public WorkController(
      ObjectClient objects,
      ResourceType works,
      ResourceType clusters,
      MemberRegistry members,
      EventRecorder events,
      Duration resync) {
    this.objects = objects;
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
    MemberCluster member;
    try {
      member = members.member(cluster.get());
    } catch (MemberException e) {
      writeStatus(work, List.of(), appliedRefs(work), "ClusterUnusable", e.getMessage());
      return resync;
    }
    String workKey = key;
    long generation = work.path("metadata").path("generation").asLong();
    FullPass last = lastFullPass.get(workKey);
    if (last != null
        && last.generation() == generation
        && System.nanoTime() - last.nanos() < resync.toNanos()
        && "True"
            .equals(work.path("status").path("conditions").path(0).path("status").asText(""))) {
      // nothing changed since everything was applied: only follow the objects' progress (one
      // read each); the next full pass, at the latest one resync period on, re-applies
      // drift is still looked for once per resync period: the next full pass is due then
      Duration untilFull = resync.minusNanos(System.nanoTime() - last.nanos());
      Duration next = followProgress(work, member, untilFull);
      if (next != null) {
        return next;
      }
    }
    boolean adopt = "Adopt".equals(work.path("spec").path("conflictResolution").asText(""));
    List<ObjectNode> results = new ArrayList<>();
    Set<ResourceRef> applied = new LinkedHashSet<>();
    Set<ResourceRef> previouslyApplied = appliedRefs(work);
    boolean unreachable = false;
    boolean settling = false;
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
        Optional<ObjectNode> live = member.get(ref);
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
        if (live.isPresent() && previouslyApplied.contains(ref)) {
          List<String> drift = Drift.find(manifest, live.get());
          if (!drift.isEmpty()) {
            events.warning(
                work,
                "DriftCorrected",
                ref
                    + " on "
                    + clusterName
                    + " was changed outside Meridian ("
                    + String.join(", ", drift)
                    + "); reverted");
          }
        }
        ApplyResult r = member.apply(manifest);
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
    if (failed == 0) {
      lastFullPass.put(workKey, new FullPass(generation, System.nanoTime()));
    } else {
      lastFullPass.remove(workKey);
    }
    return unreachable || settling ? Duration.ofMillis(Math.min(2000, resync.toMillis())) : resync;
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
    if (live.has("status")) {
      result.set("status", live.get("status"));
    }
    return h.state() == Health.State.HEALTHY;
  }

  /** When a Work was last applied in full, and at which generation. */
  private record FullPass(long generation, long nanos) {}

  private final Map<String, FullPass> lastFullPass = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Reads each object of an applied, unchanged Work for its health and status. Returns when to look
   * again, or null when a full pass is needed (an object is gone, or the member failed).
   */
  private Duration followProgress(ObjectNode work, MemberCluster member, Duration untilFull) {
    List<ObjectNode> results = new ArrayList<>();
    boolean settling = false;
    try {
      for (JsonNode m : work.path("spec").path("manifests")) {
        ResourceRef ref = ResourceRef.of(m);
        ObjectNode result = refNode(ref);
        if (ensureOnly(m)) {
          results.add(
              result
                  .put("applied", true)
                  .put("health", Health.State.HEALTHY.label())
                  .put("message", "exists"));
          continue;
        }
        Optional<ObjectNode> live = member.get(ref);
        if (live.isEmpty()) {
          return null;
        }
        settling |= !recordApplied(result, live.get());
        results.add(result);
      }
    } catch (MemberException e) {
      return null;
    }
    writeStatus(work, results, appliedRefs(work), "Applied", results.size() + " manifests applied");
    Duration due = untilFull.isNegative() ? Duration.ZERO : untilFull;
    return settling && due.toMillis() > 2000 ? Duration.ofMillis(2000) : due;
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
    ArrayNode ms = status.putArray("manifests");
    results.forEach(ms::add);
    ArrayNode refs = status.putArray("appliedRefs");
    applied.forEach(r -> refs.add(refNode(r)));
    if (status.equals(work.path("status"))) {
      return;
    }
    ObjectNode next = work.deepCopy();
    next.set("status", status);
    try {
      objects.updateStatus(works, Meta.namespace(work), next);
    } catch (ObjectConflictException | ObjectNotFoundException e) {
      // changed meanwhile: the change queued another pass
    }
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
