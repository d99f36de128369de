package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading and comparing JSON trees the way Kubernetes means them rather than as Jackson types. */
final class JsonValues {
  private JsonValues() {}

  /**
   * Deep equality where numbers compare by value: the hub may hold {@code 2} as an int and a member
   * hand back {@code 2.0} or a long, and those are the same replica count. Strings compare as
   * written, so quantities such as {@code 500m} and {@code 0.5} differ.
   */
  static boolean sameValue(JsonNode a, JsonNode b) {
    return dev.meridian.api.JsonPatch.sameValue(a, b);
  }

  /**
   * The object under {@code field}, created when missing. A value of another type there is invalid
   * for every field this is used on (labels, annotations, spec), so it is replaced.
   */
  static ObjectNode object(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }

  /** An integer field, or {@code null} when absent or not a whole number. */
  static Integer integer(JsonNode node) {
    if (node != null
        && node.isNumber()
        && node.canConvertToExactIntegral()
        && node.canConvertToInt()) {
      return node.intValue();
    }
    return null;
  }

  /** An integer field, or {@code fallback} when absent or not a whole number. */
  static int integer(JsonNode node, int fallback) {
    Integer v = integer(node);
    return v == null ? fallback : v;
  }
}
