package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Reads {@code status.conditions} entries by type. */
final class Conditions {
  private Conditions() {}

  /** The condition of that type, or a missing node. */
  static JsonNode find(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (c.path("type").asText("").equals(type)) {
        return c;
      }
    }
    return MissingNode.getInstance();
  }

  static boolean isTrue(JsonNode obj, String type) {
    return find(obj, type).path("status").asText("").equals("True");
  }

  /** {@code reason: message}, or whichever of them is set. */
  static String explain(JsonNode condition) {
    String reason = condition.path("reason").asText("");
    String message = condition.path("message").asText("");
    if (reason.isEmpty() || message.isEmpty()) {
      return reason + message;
    }
    return reason + ": " + message;
  }
}
