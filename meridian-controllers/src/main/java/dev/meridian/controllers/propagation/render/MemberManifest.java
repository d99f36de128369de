package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a template as stored on the hub into the manifest Meridian applies to one member.
 *
 * <p>What the hub's API server set on the template (uid, resourceVersion, managedFields, status,
 * the hub's finalizers and owner references) describes the hub's copy, not the member's: sent
 * along, a resourceVersion would turn the server-side apply into a compare-and-swap against an
 * unrelated counter, a uid or owner reference would point at nothing, and a hub finalizer would
 * block deletion in a cluster where no controller removes it. So they are dropped.
 *
 * <p>The manifest is marked with {@value #MANAGED_LABEL}{@code =true} and the binding it came from
 * ({@value #BINDING_ANNOTATION}), so that the work controller can refuse to take over an object
 * someone else created with the same name, and so that a person looking at the member can tell
 * where an object comes from.
 */
public final class MemberManifest {
  /** Label on every object Meridian applies; its absence means "not ours". */
  public static final String MANAGED_LABEL = "meridian.dev/managed";

  /** Annotation naming the binding ({@code NAMESPACE/NAME}) an object was rendered for. */
  public static final String BINDING_ANNOTATION = "meridian.dev/binding";

  /** Annotations that steer the hub and are never sent to members. */
  static final java.util.List<String> HUB_ONLY_ANNOTATIONS =
      java.util.List.of("meridian.dev/rebalance");

  /** Field manager of Meridian's server-side applies. */
  public static final String FIELD_MANAGER = "meridian";

  /**
   * The server's fields, and the hub's own finalizers and owners, which mean nothing on a member.
   */
  private static final List<String> SERVER_METADATA =
      java.util.stream.Stream.concat(
              Meta.SERVER_FIELDS.stream(),
              java.util.stream.Stream.of("finalizers", "ownerReferences"))
          .toList();

  /** Built-in kinds whose {@code spec.replicas} exists even when the user left it out. */
  private static final Set<String> SCALABLE_KINDS =
      Set.of(Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.REPLICA_SET);

  private MemberManifest() {}

  /**
   * A deep copy of {@code template} ready for one member: server-set fields and {@code status}
   * removed, the user's labels and annotations kept, Meridian's label and annotation added, and
   * {@code spec.replicas} set to the cluster's share when {@code replicas} is given and the object
   * has replicas (see {@link #hasReplicas}); otherwise replicas stay as written.
   *
   * @param bindingNamespace namespace of the ResourceBinding; empty for a cluster-scoped binding
   * @param replicas this cluster's replicas, or {@code null} to keep the template's
   * @throws IllegalArgumentException if {@code replicas} is negative (a scheduler bug, not user
   *     data)
   */
  public static ObjectNode render(
      ObjectNode template, String bindingNamespace, String bindingName, Integer replicas) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(bindingName, "bindingName");
    if (replicas != null && replicas < 0) {
      throw new IllegalArgumentException("replicas must not be negative: " + replicas);
    }
    ObjectNode manifest = template.deepCopy();
    manifest.remove("status");
    ObjectNode meta = Meta.metadata(manifest);
    meta.remove(SERVER_METADATA);
    JsonValues.object(meta, "labels").put(MANAGED_LABEL, "true");
    String ns = bindingNamespace == null ? "" : bindingNamespace;
    ObjectNode annotations = JsonValues.object(meta, "annotations");
    // hub-side instructions (a rebalance request) are not the member's business
    annotations.remove(HUB_ONLY_ANNOTATIONS);
    annotations.put(BINDING_ANNOTATION, ns.isEmpty() ? bindingName : ns + "/" + bindingName);
    if (replicas != null && hasReplicas(manifest)) {
      setReplicas(manifest, replicas);
    }
    return manifest;
  }

  /**
   * Whether a live object on a member carries Meridian's label. An object without it was created by
   * someone else, and Meridian must not silently take it over.
   */
  public static boolean isManagedByMeridian(ObjectNode live) {
    return live != null
        && "true".equals(live.path("metadata").path("labels").path(MANAGED_LABEL).asText(""));
  }

  /**
   * Whether the object has a replica count Meridian may set: a Deployment, StatefulSet or
   * ReplicaSet, or any object (a custom resource with a scale subresource, say) whose {@code
   * spec.replicas} is already a number.
   */
  static boolean hasReplicas(JsonNode obj) {
    return SCALABLE_KINDS.contains(Kinds.of(obj)) || obj.path("spec").path("replicas").isNumber();
  }

  static void setReplicas(ObjectNode obj, int replicas) {
    JsonValues.object(obj, "spec").put("replicas", replicas);
  }
}
