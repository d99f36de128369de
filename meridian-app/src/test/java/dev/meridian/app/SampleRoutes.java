package dev.meridian.app;

import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.Hub;

/** Writes objects straight into a test hub's resource service (no HTTP in between). */
final class SampleRoutes {
  private SampleRoutes() {}

  static void apply(Hub hub, String yaml) {
    for (var obj : ResourceCodec.readDocuments(yaml)) {
      ResourceType type =
          hub.resources().types().byKind(Meta.apiVersion(obj), Meta.kind(obj)).orElseThrow();
      String ns = type.namespaced() ? Meta.namespace(obj) : "";
      try {
        hub.resources().create(type, ns, obj, false);
      } catch (ApiException e) {
        if (e.code() != 409) {
          throw e;
        }
        var current = hub.resources().getOrThrow(type, ns, Meta.name(obj));
        Meta.metadata(obj).put("resourceVersion", Meta.resourceVersion(current));
        hub.resources().update(type, ns, Meta.name(obj), obj, false);
      }
    }
  }

  static void delete(Hub hub, String ns, String name) {
    ResourceType type =
        hub.resources()
            .types()
            .byKind("network.meridian.dev/v1alpha1", "GlobalRoute")
            .orElseThrow();
    hub.resources().delete(type, ns, name, "", false);
  }
}
