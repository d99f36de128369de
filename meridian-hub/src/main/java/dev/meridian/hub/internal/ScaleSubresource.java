package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.ResourceService;
import dev.meridian.hub.patch.JsonPatch;
import dev.meridian.hub.patch.MergePatch;
import dev.meridian.hub.patch.Patches;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code /scale} subresource of Deployments, StatefulSets and ReplicaSets, as kube-apiserver
 * serves it ({@code autoscaling/v1 Scale}): {@code kubectl scale} and autoscalers read and set a
 * template's total replicas there, and the placement divides the new total as it divides any change
 * of {@code spec.replicas}. {@code status.replicas} is the template's aggregated status.
 */
final class ScaleSubresource {
  private ScaleSubresource() {}

  static boolean serves(ResourceType t) {
    return t.group().equals("apps")
        && t.version().equals("v1")
        && List.of("Deployment", "StatefulSet", "ReplicaSet").contains(t.kind());
  }

  /** The Scale of an object. */
  static ObjectNode scaleOf(ObjectNode obj) {
    ObjectNode scale = ResourceCodec.newObject();
    scale.put("apiVersion", "autoscaling/v1").put("kind", "Scale");
    ObjectNode meta = scale.putObject("metadata");
    JsonNode m = obj.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.hasNonNull(f)) {
        meta.set(f, m.get(f));
      }
    }
    scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    String selector = selector(obj.path("spec").path("selector"));
    if (!selector.isEmpty()) {
      status.put("selector", selector);
    }
    return scale;
  }

  /** A label selector as the text {@code Scale.status.selector} carries. */
  private static String selector(JsonNode s) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, JsonNode> e : s.path("matchLabels").properties()) {
      sb.append(sb.isEmpty() ? "" : ",")
          .append(e.getKey())
          .append('=')
          .append(e.getValue().asText());
    }
    for (JsonNode x : s.path("matchExpressions")) {
      List<String> values = new java.util.ArrayList<>();
      x.path("values").forEach(v -> values.add(v.asText()));
      String key = x.path("key").asText();
      String term =
          switch (x.path("operator").asText()) {
            case "In" -> key + " in (" + String.join(",", values) + ")";
            case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
            case "Exists" -> key;
            case "DoesNotExist" -> "!" + key;
            default -> "";
          };
      if (!term.isEmpty()) {
        sb.append(sb.isEmpty() ? "" : ",").append(term);
      }
    }
    return sb.toString();
  }

  /** GET, PUT or PATCH of {@code .../NAME/scale}. */
  static ObjectNode handle(
      ResourceService service,
      ResourceType type,
      String ns,
      String name,
      String method,
      String contentType,
      JsonNode body,
      boolean dryRun,
      Consumer<FieldError> warnings,
      String fieldManager) {
    switch (method) {
      case "GET":
        return scaleOf(service.getOrThrow(type, ns, name));
      case "PUT":
        return scaleOf(
            service.patch(
                type,
                ns,
                name,
                cur -> withScale(cur, body, name),
                false,
                dryRun,
                warnings,
                fieldManager));
      case "PATCH":
        String ct = contentType == null ? "" : contentType;
        return scaleOf(
            service.patch(
                type,
                ns,
                name,
                cur -> {
                  ObjectNode scale = scaleOf(cur);
                  JsonNode patched;
                  if (ct.startsWith(Patches.JSON_PATCH)) {
                    patched = JsonPatch.apply(scale, body);
                  } else if (ct.startsWith(Patches.MERGE_PATCH)
                      || ct.startsWith(Patches.STRATEGIC_MERGE_PATCH)) {
                    // a Scale has no lists: its strategic merge patch is a merge patch
                    patched = MergePatch.apply(scale, body);
                  } else {
                    throw ApiException.unsupportedMediaType(
                        "the body of the request was in an unknown format - accepted media types"
                            + " include: "
                            + Patches.JSON_PATCH
                            + ", "
                            + Patches.MERGE_PATCH
                            + ", "
                            + Patches.STRATEGIC_MERGE_PATCH);
                  }
                  return withScale(cur, patched, name);
                },
                false,
                dryRun,
                warnings,
                fieldManager));
      default:
        throw ApiException.methodNotAllowed(method + " is not supported on scale");
    }
  }

  /** The object with the Scale's replicas, pinned to the Scale's resourceVersion if it has one. */
  private static ObjectNode withScale(ObjectNode cur, JsonNode scale, String name) {
    if (scale == null || !scale.isObject()) {
      throw ApiException.badRequest("the body must be an autoscaling/v1 Scale");
    }
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.canConvertToInt() || !replicas.isIntegralNumber() || replicas.asInt() < 0) {
      throw ApiException.invalid(
          "Scale",
          name,
          List.of(
              FieldError.invalid(
                  "spec.replicas", "must be a whole number of 0 or more, not " + replicas)));
    }
    ((ObjectNode) cur.with("spec")).put("replicas", replicas.asInt());
    String rv = scale.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty()) {
      Meta.metadata(cur).put("resourceVersion", rv);
    }
    return cur;
  }
}
