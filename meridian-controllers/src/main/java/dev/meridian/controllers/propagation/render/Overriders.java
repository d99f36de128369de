package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structured overriders other than images: {@code replicas}, {@code env}, {@code args}, {@code
 * labels} and {@code annotations}. Each method changes {@code doc} in place or throws {@link
 * OverrideException}; {@link Overrides} runs it on a copy.
 *
 * <p>Operators follow JSON Patch where it has an answer: {@code add} sets (creating or
 * overwriting), {@code replace} changes only what exists, {@code remove} deletes and is a no-op
 * when there is nothing to delete (the wanted end state already holds).
 */
final class Overriders {
  private Overriders() {}

  static void checkOperator(String operator) {
    if (!operator.equals("add") && !operator.equals("remove") && !operator.equals("replace")) {
      throw new OverrideException("operator must be add, remove or replace");
    }
  }

  static ObjectNode op(String name) {
    return ResourceCodec.newObject().put("op", name);
  }

  static ObjectNode podSpec(JsonNode doc) {
    return PodTemplates.podSpec(doc)
        .orElseThrow(
            () ->
                new OverrideException(
                    Meta.kind(doc) + " has no pod template; use a plaintext patch instead"));
  }

  static void replicas(JsonNode doc, JsonNode value) {
    Integer replicas = JsonValues.integer(value);
    if (replicas == null || replicas < 0) {
      throw new OverrideException("replicas must be a whole number, 0 or more");
    }
    if (!MemberManifest.hasReplicas(doc)) {
      throw new OverrideException(Meta.kind(doc) + " has no replicas");
    }
    MemberManifest.setReplicas((ObjectNode) doc, replicas);
  }

  /**
   * Sets, changes or removes one environment variable. Setting a value drops a {@code valueFrom}
   * the variable had, since Kubernetes rejects a variable with both. {@code replace} of a variable
   * no selected container has is an error: the policy expected something the template lacks.
   */
  static void env(JsonNode doc, JsonNode item) {
    String name = item.path("name").asText("");
    String operator = item.path("operator").asText("add");
    String value = item.path("value").asText("");
    if (name.isEmpty()) {
      throw new OverrideException("env needs a name");
    }
    checkOperator(operator);
    boolean found = false;
    for (ObjectNode container : containers(doc, item)) {
      ArrayNode env = container.withArrayProperty("env");
      int at = indexByName(env, name);
      found |= at >= 0;
      if (operator.equals("remove")) {
        if (at >= 0) {
          env.remove(at);
        }
      } else if (at >= 0) {
        ((ObjectNode) env.get(at)).put("value", value).remove("valueFrom");
      } else if (operator.equals("add")) {
        env.addObject().put("name", name).put("value", value);
      }
      if (env.isEmpty()) {
        container.remove("env");
      }
    }
    if (operator.equals("replace") && !found) {
      throw new OverrideException("no selected container has an env variable " + name);
    }
  }

  /**
   * Appends ({@code add}), drops every occurrence of ({@code remove}) or sets ({@code replace}).
   */
  static void args(JsonNode doc, JsonNode item) {
    String operator = item.path("operator").asText("add");
    checkOperator(operator);
    JsonNode value = item.path("value");
    if (!value.isArray()) {
      throw new OverrideException("args value must be a list");
    }
    List<String> values = new ArrayList<>();
    value.forEach(v -> values.add(v.asText()));
    for (ObjectNode container : containers(doc, item)) {
      ArrayNode args = ResourceCodec.newArray();
      if (!operator.equals("replace")) {
        container.path("args").forEach(args::add);
      }
      if (operator.equals("remove")) {
        Set<String> drop = new HashSet<>(values);
        ArrayNode kept = ResourceCodec.newArray();
        args.forEach(
            a -> {
              if (!(a.isTextual() && drop.contains(a.asText()))) {
                kept.add(a);
              }
            });
        args = kept;
      } else {
        values.forEach(args::add);
      }
      if (args.isEmpty()) {
        container.remove("args");
      } else {
        container.set("args", args);
      }
    }
  }

  /** {@code labels} and {@code annotations} of the object itself (not of its pod template). */
  static void metadataMap(JsonNode doc, String field, JsonNode item) {
    String operator = item.path("operator").asText("");
    checkOperator(operator);
    JsonNode value = item.path("value");
    if (!value.isObject()) {
      throw new OverrideException(field + " value must be a map");
    }
    ObjectNode map = JsonValues.object(Meta.metadata((ObjectNode) doc), field);
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      switch (operator) {
        case "add" -> map.put(e.getKey(), e.getValue().asText());
        case "replace" -> {
          if (map.has(e.getKey())) {
            map.put(e.getKey(), e.getValue().asText());
          }
        }
        default -> map.remove(e.getKey());
      }
    }
    if (map.isEmpty()) {
      Meta.metadata((ObjectNode) doc).remove(field);
    }
  }

  /** The pod's containers and init containers, or the one {@code container} names. */
  private static List<ObjectNode> containers(JsonNode doc, JsonNode item) {
    List<ObjectNode> all = PodTemplates.containers(podSpec(doc), false);
    String wanted = item.path("container").asText("");
    if (wanted.isEmpty()) {
      return all;
    }
    List<ObjectNode> named =
        all.stream().filter(c -> c.path("name").asText("").equals(wanted)).toList();
    if (named.isEmpty()) {
      throw new OverrideException("no container named " + wanted);
    }
    return named;
  }

  private static int indexByName(ArrayNode list, String name) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).path("name").asText("").equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
