package dev.meridian.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.network.GatewayDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of optional fields of a route's JSON, failing loudly on a wrong type. */
final class Fields {

  private Fields() {}

  static String text(JsonNode parent, String field, String fallback) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(field + ": expected a string");
    }
    return n.asText();
  }

  static String required(JsonNode parent, String field) {
    String v = text(parent, field, null);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(field + ": required");
    }
    return v;
  }

  static int integer(JsonNode parent, String field, int fallback) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new IllegalArgumentException(field + ": expected an integer");
    }
    return n.asInt();
  }

  static double number(JsonNode parent, String field, double fallback) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber()) {
      throw new IllegalArgumentException(field + ": expected a number");
    }
    return n.asDouble();
  }

  static Duration duration(JsonNode parent, String field, Duration fallback) {
    String v = text(parent, field, null);
    return v == null ? fallback : GatewayDuration.parse(v);
  }

  /** The elements of an array field; empty when absent. */
  static List<JsonNode> list(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(field + ": expected a list");
    }
    List<JsonNode> l = new ArrayList<>(n.size());
    n.forEach(l::add);
    return l;
  }

  static List<String> strings(JsonNode parent, String field) {
    List<String> l = new ArrayList<>();
    for (JsonNode n : list(parent, field)) {
      if (!n.isTextual()) {
        throw new IllegalArgumentException(field + ": expected strings");
      }
      l.add(n.asText());
    }
    return l;
  }

  /** The object field, or a missing node (whose reads all fall back) when absent. */
  static JsonNode object(JsonNode parent, String field) {
    JsonNode n = parent.path(field);
    if (!n.isMissingNode() && !n.isNull() && !n.isObject()) {
      throw new IllegalArgumentException(field + ": expected an object");
    }
    return n;
  }

  static boolean present(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n != null && !n.isNull();
  }
}
