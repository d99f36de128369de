package dev.meridian.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Serves the kinds defined by CustomResourceDefinitions stored on the hub, so that instances of
 * users' CRDs can be kept as templates and propagated like built-in kinds.
 */
final class CustomResources {
  private final ResourceTypes types;

  CustomResources(ResourceTypes types) {
    this.types = types;
  }

  /** Rejects a CRD the hub could not serve. */
  void check(ObjectNode crd) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = crd.path("spec");
    if (spec.path("group").asText("").isEmpty()) {
      errors.add(FieldError.required("spec.group"));
    }
    if (spec.path("names").path("plural").asText("").isEmpty()) {
      errors.add(FieldError.required("spec.names.plural"));
    }
    if (spec.path("names").path("kind").asText("").isEmpty()) {
      errors.add(FieldError.required("spec.names.kind"));
    }
    String scope = spec.path("scope").asText("");
    if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      errors.add(
          FieldError.notSupported(
              "spec.scope",
              "Unsupported value: \""
                  + scope
                  + "\": supported values: \"Cluster\", \"Namespaced\""));
    }
    if (!spec.path("versions").isArray() || spec.path("versions").isEmpty()) {
      errors.add(FieldError.required("spec.versions"));
    }
    String expectedName =
        spec.path("names").path("plural").asText("") + "." + spec.path("group").asText("");
    if (errors.isEmpty() && !Meta.name(crd).equals(expectedName)) {
      errors.add(
          FieldError.invalid(
              "metadata.name",
              "must be spec.names.plural+\".\"+spec.group (" + expectedName + ")"));
    }
    for (ResourceType t : typesOf(crd)) {
      ResourceType existing = types.byPath(t.group(), t.version(), t.plural()).orElse(null);
      if (errors.isEmpty() && existing != null && !existing.equals(t) && existing.meridian()) {
        errors.add(
            FieldError.forbidden(
                "spec.group", "the hub serves " + t.qualifiedPlural() + " itself"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid("CustomResourceDefinition", Meta.name(crd), errors);
    }
  }

  void register(ObjectNode crd) {
    typesOf(crd).forEach(types::register);
  }

  void unregister(ObjectNode crd) {
    typesOf(crd).forEach(types::unregister);
  }

  private static List<ResourceType> typesOf(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      out.add(
          new ResourceType(
              spec.path("group").asText(),
              v.path("name").asText(),
              names.path("kind").asText(),
              names.path("plural").asText(),
              names.path("singular").asText(names.path("kind").asText().toLowerCase(Locale.ROOT)),
              shortNames,
              "Namespaced".equals(spec.path("scope").asText()),
              false));
    }
    return out;
  }
}
