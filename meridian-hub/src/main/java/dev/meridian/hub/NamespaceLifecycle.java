package dev.meridian.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.store.KeyValue;
import dev.meridian.store.Precondition;
import dev.meridian.store.PreconditionFailedException;
import dev.meridian.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Namespaces as kube-apiserver keeps them: created on demand, labelled with their name, {@code
 * Terminating} while what they hold is deleted, and closed to new objects meanwhile.
 */
final class NamespaceLifecycle {
  private final ResourceService service;
  private final Store store;
  private final ResourceTypes types;
  private final Clock clock;

  NamespaceLifecycle(ResourceService service, Store store, ResourceTypes types, Clock clock) {
    this.service = service;
    this.store = store;
    this.types = types;
    this.clock = clock;
  }

  /** Creates the namespace if missing (used for {@code default} at first start). */
  void ensure(String name) {
    if (service.get(ResourceTypes.NAMESPACE, "", name).isEmpty()) {
      ObjectNode ns = ResourceCodec.newObject();
      ns.put("apiVersion", "v1").put("kind", "Namespace").putObject("metadata").put("name", name);
      try {
        service.create(ResourceTypes.NAMESPACE, "", ns, false);
      } catch (ApiException e) {
        if (e.code() != 409) {
          throw e;
        }
      }
    }
  }

  /** The label kube-apiserver puts on every namespace, which namespace selectors match by. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  static void label(ObjectNode ns) {
    Meta.metadata(ns).withObjectProperty("labels").put(NAMESPACE_NAME_LABEL, Meta.name(ns));
  }

  /**
   * Deleting a namespace deletes everything in it; objects with finalizers are marked and the
   * namespace stays {@code Terminating} until {@link #finishTerminating} sees it empty.
   */
  ObjectNode delete(String name, KeyValue currentKv, ObjectNode current) {
    ObjectNode marked = current;
    if (!Meta.deleting(current)) {
      marked = current.deepCopy();
      Meta.metadata(marked)
          .put("deletionTimestamp", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
      Meta.metadata(marked).remove("resourceVersion");
      marked.putObject("status").put("phase", "Terminating");
      try {
        KeyValue kv =
            store.put(
                ResourceService.key(ResourceTypes.NAMESPACE, "", name),
                ResourceService.encode(marked),
                Precondition.modRevision(currentKv.modRevision()),
                0);
        ResourceService.withVersion(marked, kv.modRevision());
      } catch (PreconditionFailedException e) {
        throw ApiException.conflict("namespaces", name);
      }
    }
    finish(name);
    return marked;
  }

  /** Continues the deletion of namespaces marked for deletion; returns how many finished. */
  int finishTerminating() {
    int done = 0;
    for (KeyValue kv : store.list(ResourceTypes.NAMESPACE.storePrefix()).items()) {
      ObjectNode ns = ResourceService.decode(kv);
      if (Meta.deleting(ns) && finish(Meta.name(ns))) {
        done++;
      }
    }
    return done;
  }

  private boolean finish(String name) {
    boolean empty = true;
    for (ResourceType t : types.all()) {
      if (!t.namespaced()) {
        continue;
      }
      for (KeyValue kv : store.list(ResourceService.prefix(t, name)).items()) {
        ObjectNode obj = ResourceService.decode(kv);
        try {
          service.delete(t, name, Meta.name(obj), "", false);
        } catch (ApiException e) {
          if (e.code() != 404) {
            empty = false;
          }
        }
        if (store.get(kv.key()).isPresent()) {
          empty = false;
        }
      }
    }
    if (empty) {
      store.delete(ResourceService.key(ResourceTypes.NAMESPACE, "", name), Precondition.NONE);
    }
    return empty;
  }

  void requireActive(String ns) {
    Optional<ObjectNode> namespace = service.get(ResourceTypes.NAMESPACE, "", ns);
    if (namespace.isEmpty()) {
      throw ApiException.notFound("namespaces", ns);
    }
    if (Meta.deleting(namespace.get())) {
      throw ApiException.forbidden(
          "unable to create new content in namespace " + ns + " because it is being terminated");
    }
  }
}
