package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the envelope of an object kept as a JSON tree. The hub stores every object, of
 * any kind, as such a tree so that templates stay exactly as the user wrote them.
 */
public final class Meta {
  /**
   * Metadata the API server sets, never part of what a user wants: left out of comparisons and of
   * what is sent to member clusters.
   */
  public static final java.util.List<String> SERVER_FIELDS =
      java.util.List.of(
          "resourceVersion",
          "uid",
          "creationTimestamp",
          "generation",
          "managedFields",
          "selfLink",
          "deletionTimestamp",
          "deletionGracePeriodSeconds");

  private Meta() {}

  public static String apiVersion(JsonNode obj) {
    return obj.path("apiVersion").asText("");
  }

  public static String kind(JsonNode obj) {
    return obj.path("kind").asText("");
  }

  public static String name(JsonNode obj) {
    return obj.path("metadata").path("name").asText("");
  }

  public static String namespace(JsonNode obj) {
    return obj.path("metadata").path("namespace").asText("");
  }

  public static String resourceVersion(JsonNode obj) {
    return obj.path("metadata").path("resourceVersion").asText("");
  }

  public static String uid(JsonNode obj) {
    return obj.path("metadata").path("uid").asText("");
  }

  public static boolean deleting(JsonNode obj) {
    return obj.path("metadata").hasNonNull("deletionTimestamp");
  }

  public static Map<String, String> labels(JsonNode obj) {
    return stringMap(obj.path("metadata").path("labels"));
  }

  public static Map<String, String> annotations(JsonNode obj) {
    return stringMap(obj.path("metadata").path("annotations"));
  }

  /** The object's metadata, created if absent. */
  public static ObjectNode metadata(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode om) {
      return om;
    }
    return obj.putObject("metadata");
  }

  public static boolean hasFinalizers(JsonNode obj) {
    JsonNode f = obj.path("metadata").path("finalizers");
    return f.isArray() && !f.isEmpty();
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }
}
