package dev.meridian.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * How controllers read and write the hub's objects, with the same rules as the REST API
 * (validation, optimistic concurrency on {@code metadata.resourceVersion}, status subresource). The
 * hub implements it in-process; an agent could implement it over HTTP.
 */
public interface ObjectClient {
  Optional<ObjectNode> get(ResourceType type, String namespace, String name);

  List<ObjectNode> list(ResourceType type, String namespace);

  /**
   * @throws ObjectConflictException if an object of that name exists
   */
  ObjectNode create(ResourceType type, String namespace, ObjectNode object);

  /**
   * Replaces the object (not its status).
   *
   * @throws ObjectConflictException if its resourceVersion is stale
   * @throws ObjectNotFoundException if it is gone
   */
  ObjectNode update(ResourceType type, String namespace, ObjectNode object);

  /** Replaces only the status; same failures as {@link #update}. */
  ObjectNode updateStatus(ResourceType type, String namespace, ObjectNode object);

  /**
   * Writes {@code status} as the status of {@code current} (as read), unless it holds that already
   * (numbers compared by value). A conflict or a deletion meanwhile is no error: the change that
   * caused it queues another pass of the caller.
   *
   * @return whether it was written
   */
  default boolean updateStatusIfChanged(ResourceType type, ObjectNode current, ObjectNode status) {
    if (ResourceCodec.sameTree(status, current.path("status"))) {
      return false;
    }
    ObjectNode next = current.deepCopy();
    next.set("status", status);
    try {
      updateStatus(type, Meta.namespace(current), next);
      return true;
    } catch (ObjectConflictException | ObjectNotFoundException e) {
      return false;
    }
  }

  /**
   * Deletes the object (or marks it, when it has finalizers).
   *
   * @throws ObjectNotFoundException if it is gone
   */
  void delete(ResourceType type, String namespace, String name);

  /**
   * Streams changes to objects of {@code type}: every existing object first as ADDED, then each
   * change, until the returned handle is closed. Delivery is on a shared thread: be quick. If the
   * stream breaks (the listener fell too far behind), it lists again on its own: every object
   * arrives again (MODIFIED if it was known), and one DELETED (with only its name and namespace)
   * for each that went away meanwhile.
   */
  AutoCloseable watch(ResourceType type, ObjectListener listener);

  /**
   * An object's {@code apiVersion}, {@code kind}, {@code metadata} and {@code status}, for readers
   * of its status (implementations may return the whole object).
   */
  default Optional<ObjectNode> getStatus(ResourceType type, String namespace, String name) {
    return get(type, namespace, name);
  }

  /**
   * As {@link #watch}, but the objects carry only {@code apiVersion}, {@code kind} and {@code
   * metadata} (cheaper to deliver, for listeners that look at nothing else). Implementations may
   * deliver whole objects.
   */
  default AutoCloseable watchMetadata(ResourceType type, ObjectListener listener) {
    return watch(type, listener);
  }

  /** Receives object changes. */
  interface ObjectListener {
    void onChange(ObjectEventType type, ObjectNode object);
  }

  enum ObjectEventType {
    ADDED,
    MODIFIED,
    DELETED
  }
}
