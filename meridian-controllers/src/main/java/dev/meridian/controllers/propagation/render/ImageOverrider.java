package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Applies one {@code imageOverrider} item: changes the registry, repository or tag of every
 * container and init container image in the pod template, or of the one image at {@code
 * predicate.path} (a JSON pointer, which also reaches images in custom resources).
 */
final class ImageOverrider {
  private ImageOverrider() {}

  static JsonNode apply(JsonNode doc, JsonNode item) {
    String component = item.path("component").asText("");
    String operator = item.path("operator").asText("");
    String value = item.path("value").asText("");
    if (!component.equals("Registry")
        && !component.equals("Repository")
        && !component.equals("Tag")) {
      throw new OverrideException("component must be Registry, Repository or Tag");
    }
    Overriders.checkOperator(operator);
    if (!operator.equals("remove") && value.isEmpty()) {
      throw new OverrideException(operator + " needs a value");
    }
    String predicate = item.path("predicate").path("path").asText("");
    if (!predicate.isEmpty()) {
      JsonNode image = JsonPatchOperation.at(doc, predicate);
      if (!image.isTextual()) {
        throw new OverrideException(predicate + " is not an image");
      }
      String changed = change(image.asText(), component, operator, value);
      JsonNode op =
          Overriders.op("replace").put("path", predicate).set("value", TextNode.valueOf(changed));
      return JsonPatchOperation.apply(doc, op);
    }
    ObjectNode podSpec = Overriders.podSpec(doc);
    for (ObjectNode container : PodTemplates.containers(podSpec, false)) {
      if (container.path("image").isTextual()) {
        container.put("image", change(container.get("image").asText(), component, operator, value));
      }
    }
    return doc;
  }

  static String change(String image, String component, String operator, String value) {
    ImageReference ref = ImageReference.parse(image);
    ImageReference out =
        switch (component) {
          case "Registry" ->
              switch (operator) {
                case "add" -> ref.withRegistry(ref.effectiveRegistry() + value);
                case "replace" -> ref.withRegistry(value);
                default -> ref.withRegistry("");
              };
          case "Repository" ->
              switch (operator) {
                case "add" -> ref.withRepository(ref.repository() + value);
                case "replace" -> ref.withRepository(value);
                default -> throw new OverrideException("an image cannot do without a repository");
              };
          default ->
              switch (operator) {
                case "add" -> ref.withTagSuffix(value);
                case "replace" -> ref.withTagOrDigest(value);
                default -> ref.withoutTagOrDigest();
              };
        };
    return out.toString();
  }
}
