package dev.meridian.members;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A change seen by a {@link MemberWatch}.
 *
 * @param object the object as the member last had it (for {@link Type#DELETED}, its last known
 *     state). A deletion the watch learnt of only by listing again (it missed the event) carries no
 *     {@code metadata.resourceVersion}: the version it was deleted at is unknown, so it cannot be
 *     ordered against other versions and is to be taken as the latest.
 */
public record MemberEvent(Type type, ObjectNode object) {

  public MemberEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
  }

  /**
   * {@code lastKnown} as a deletion found on a re-list: a copy without {@code
   * metadata.resourceVersion}, since the version it was deleted at is unknown.
   */
  public static ObjectNode deletedAtUnknownVersion(ObjectNode lastKnown) {
    ObjectNode copy = lastKnown.deepCopy();
    if (copy.path("metadata").isObject()) {
      ((ObjectNode) copy.get("metadata")).remove("resourceVersion");
    }
    return copy;
  }

  /** What happened to the object. */
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }
}
