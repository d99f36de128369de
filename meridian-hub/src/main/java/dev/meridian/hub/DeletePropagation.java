package dev.meridian.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Bindings;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.store.KeyValue;
import dev.meridian.store.Store;
import java.util.Optional;

/**
 * What {@code DeleteOptions.propagationPolicy} means on the hub: the finalizer that makes a
 * template wait for (Foreground) or leave (Orphan) its copies in the members; the propagation
 * controller removes it.
 */
final class DeletePropagation {
  private DeletePropagation() {}

  /**
   * The finalizer that {@code Foreground} or {@code Orphan} needs: only on a template that a
   * ResourceBinding propagates (the only dependents hub objects have); other objects go at once, as
   * Kubernetes' garbage collector lets an object without dependents go.
   */
  static String finalizer(
      Store store, ResourceTypes types, ResourceType type, ObjectNode obj, String policy) {
    String finalizer =
        switch (policy) {
          case "Foreground" -> Bindings.FOREGROUND_DELETION;
          case "Orphan" -> Bindings.ORPHAN;
          default -> null;
        };
    if (finalizer == null) {
      return null;
    }
    Optional<ResourceType> bindings =
        types.byKind(ResourceTypes.WORK + "/" + ResourceTypes.MERIDIAN_VERSION, "ResourceBinding");
    if (bindings.isEmpty()) {
      return null;
    }
    String ns = Bindings.namespace(Meta.namespace(obj));
    String bindingName = Bindings.name(Meta.name(obj), type.kind());
    Optional<KeyValue> binding = store.get(ResourceService.key(bindings.get(), ns, bindingName));
    if (binding.isEmpty()) {
      return null;
    }
    JsonNode resource = ResourceService.decode(binding.get()).path("spec").path("resource");
    boolean ours =
        resource.path("apiVersion").asText().equals(type.apiVersion())
            && resource.path("kind").asText().equals(type.kind());
    return ours ? finalizer : null;
  }
}
