package dev.meridian.hub.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.ApiException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The PATCH media types the hub takes, as kube-apiserver takes them: JSON patch and JSON merge
 * patch for every kind, strategic merge patch for the built-in kinds (the merge keys of the pinned
 * Kubernetes version's OpenAPI); for Meridian's kinds and custom resources a strategic merge patch
 * is 415, exactly as kube-apiserver answers for custom resources, so that clients fall back to a
 * merge patch.
 */
public final class Patches {
  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  public static final String APPLY_PATCH = "application/apply-patch";

  private Patches() {}

  /**
   * What a PATCH of {@code contentType} does to the current object (a copy the caller owns).
   *
   * @throws ApiException 415 for a media type the kind does not take
   */
  public static UnaryOperator<ObjectNode> of(
      ResourceType type, String contentType, JsonNode patch) {
    String ct = contentType == null ? "" : contentType.trim();
    if (ct.startsWith(MERGE_PATCH)) {
      return cur -> {
        JsonNode out = MergePatch.apply(cur, patch);
        if (!out.isObject()) {
          throw ApiException.badRequest("a merge patch must be an object");
        }
        return (ObjectNode) out;
      };
    }
    if (ct.startsWith(JSON_PATCH)) {
      return cur -> JsonPatch.apply(cur, patch);
    }
    if (ct.startsWith(STRATEGIC_MERGE_PATCH)) {
      Optional<KubernetesOpenApi.Schema> schema = builtinSchema(type);
      if (schema.isEmpty()) {
        throw unsupported(ct);
      }
      return cur -> {
        try {
          return StrategicMergePatch.apply(cur, patch, schema.get());
        } catch (StrategicMergePatch.PatchException e) {
          throw new ApiException(
              e.code(), e.code() == 422 ? "Invalid" : "BadRequest", e.getMessage());
        }
      };
    }
    throw unsupported(ct);
  }

  /**
   * The schema server-side apply reads list and map types from: Kubernetes' for the built-in kinds,
   * Meridian's for its own; null (deduced from the objects) for custom resources.
   */
  public static KubernetesOpenApi.Schema applySchema(ResourceType type) {
    if (type.meridian()) {
      return dev.meridian.api.ObjectValidator.schema(type.kind())
          .map(s -> new KubernetesOpenApi.Schema(type.kind(), s, s))
          .orElse(null);
    }
    return builtinSchema(type).orElse(null);
  }

  /** The OpenAPI schema of a built-in kind, or empty for Meridian's kinds and custom resources. */
  public static Optional<KubernetesOpenApi.Schema> builtinSchema(ResourceType type) {
    if (type.meridian()) {
      return Optional.empty();
    }
    return KubernetesOpenApi.builtin().schema(type.group(), type.version(), type.kind());
  }

  private static ApiException unsupported(String ct) {
    // kube-apiserver's words (a custom resource and a strategic merge patch)
    return ApiException.unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
            + JSON_PATCH
            + ", "
            + MERGE_PATCH
            + (ct.isEmpty() ? "" : " (got " + ct + ")"));
  }
}
