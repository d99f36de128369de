package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.JsonPatch;

/**
 * One RFC 6902 operation for {@code plaintext} overriders, with a problem reported as an {@link
 * OverrideException} so that a bad operation in a policy becomes a recorded error rather than a
 * failed render. Callers apply it to a copy and keep the copy only on success.
 */
final class JsonPatchOperation {
  private JsonPatchOperation() {}

  /** Applies {@code op} to {@code doc} in place; returns the document's root afterwards. */
  static JsonNode apply(JsonNode doc, JsonNode op) {
    try {
      return JsonPatch.applyOperation(doc, op);
    } catch (JsonPatch.JsonPatchException e) {
      throw new OverrideException(e.getMessage());
    }
  }

  /** The value at {@code path}; an error when there is none. */
  static JsonNode at(JsonNode doc, String path) {
    try {
      return JsonPatch.at(doc, path);
    } catch (JsonPatch.JsonPatchException e) {
      throw new OverrideException(e.getMessage());
    }
  }
}
