package dev.meridian.hub.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.hub.ApiException;

/** PATCH with {@code application/json-patch+json}: the operations in order, all or nothing. */
public final class JsonPatch {
  private JsonPatch() {}

  /** Applies {@code patch} to {@code target} (a copy the caller owns); 422 names the failing op. */
  public static ObjectNode apply(ObjectNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw ApiException.badRequest("a JSON patch must be a list of operations");
    }
    JsonNode doc = target;
    for (int i = 0; i < patch.size(); i++) {
      try {
        doc = dev.meridian.api.JsonPatch.applyOperation(doc, patch.get(i));
      } catch (dev.meridian.api.JsonPatch.JsonPatchException e) {
        throw new ApiException(422, "Invalid", "JSON patch operation " + i + ": " + e.getMessage());
      }
    }
    if (!doc.isObject()) {
      throw ApiException.badRequest("a JSON patch must leave an object");
    }
    return (ObjectNode) doc;
  }
}
