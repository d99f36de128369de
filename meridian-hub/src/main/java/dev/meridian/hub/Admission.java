package dev.meridian.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceType;

/**
 * A step every create runs through before validation and storage, like a Kubernetes mutating
 * admission webhook in-process: it may change the object or refuse it with an {@link ApiException}.
 * It must not store the object itself.
 */
@FunctionalInterface
public interface Admission {
  /** Returns the object to store (possibly {@code object} itself, changed). */
  ObjectNode admitCreate(ResourceType type, String namespace, ObjectNode object, boolean dryRun);
}
