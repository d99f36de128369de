package dev.meridian.members;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.util.Objects;

/**
 * The outcome of {@link MemberCluster#apply}.
 *
 * @param object the live object after the apply, with the member's metadata (uid, resourceVersion,
 *     generation) and status
 */
public record ApplyResult(ObjectNode object) {

  public ApplyResult {
    Objects.requireNonNull(object, "object");
  }

  public String resourceVersion() {
    return Meta.resourceVersion(object);
  }

  /** The generation the member assigned (0 for kinds without one). */
  public long generation() {
    return object.path("metadata").path("generation").asLong(0);
  }
}
