package dev.meridian.members;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.util.List;

/** What every member does to a manifest before applying it, and to an object it hands back. */
public final class Manifests {

  /**
   * Metadata a member assigns itself. A manifest rendered from a hub object may carry the hub's
   * values; sent along, a resourceVersion would turn the apply into a compare-and-swap against an
   * unrelated counter, so they are dropped.
   */
  private static final List<String> SERVER_METADATA = dev.meridian.api.Meta.SERVER_FIELDS;

  private Manifests() {}

  /**
   * A copy of {@code manifest} ready to send: server-assigned metadata and {@code status} removed.
   *
   * @throws MemberException (REJECTED, 400) if apiVersion, kind or metadata.name is missing
   */
  public static ObjectNode forApply(String cluster, ObjectNode manifest) {
    if (Meta.apiVersion(manifest).isEmpty()
        || Meta.kind(manifest).isEmpty()
        || Meta.name(manifest).isEmpty()) {
      throw MemberException.rejected(
          cluster, 400, "a manifest needs apiVersion, kind and metadata.name");
    }
    ObjectNode copy = manifest.deepCopy();
    copy.remove("status");
    ObjectNode meta = Meta.metadata(copy);
    meta.remove(SERVER_METADATA);
    return copy;
  }

  /** Drops {@code metadata.managedFields}, bookkeeping no controller reads, from a live object. */
  public static ObjectNode withoutManagedFields(ObjectNode live) {
    JsonNode meta = live.get("metadata");
    if (meta instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    return live;
  }
}
