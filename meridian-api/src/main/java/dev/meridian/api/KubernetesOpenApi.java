package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The OpenAPI v3 documents of the built-in Kubernetes group-versions the hub serves, as the
 * kube-apiserver of the pinned version ({@code test-clusters/}) serves them: {@code
 * test-clusters/openapi.sh} writes them into this module's resources, and the e2e test {@code
 * OpenApiOfTheHubTest} checks them against a running kube-apiserver. They give the strategic merge
 * patch its merge keys and strategies ({@code x-kubernetes-patch-merge-key}, {@code
 * x-kubernetes-patch-strategy}) and list types, so that nothing of it is typed by hand.
 *
 * <p>A document is read on first use and kept. Thread-safe.
 */
public final class KubernetesOpenApi {
  /** The Kubernetes version the documents come from. */
  public static final String VERSION = "v1.37.2";

  private static final String SCHEMA_REF = "#/components/schemas/";
  private static final KubernetesOpenApi BUILTIN = new KubernetesOpenApi();

  private final Map<String, Optional<ObjectNode>> documents = new ConcurrentHashMap<>();

  private KubernetesOpenApi() {}

  public static KubernetesOpenApi builtin() {
    return BUILTIN;
  }

  /**
   * The document of a group-version ({@code ""} for core), or empty when it is not a built-in one.
   */
  public Optional<ObjectNode> document(String group, String version) {
    String path = group.isEmpty() ? "api_" + version : "apis_" + group + "_" + version;
    return documents.computeIfAbsent(path, KubernetesOpenApi::load);
  }

  /** The schema of a built-in kind, or empty (a custom resource, or a Meridian kind). */
  public Optional<Schema> schema(String group, String version, String kind) {
    Optional<ObjectNode> doc = document(group, version);
    if (doc.isEmpty()) {
      return Optional.empty();
    }
    JsonNode schemas = doc.get().path("components").path("schemas");
    for (Map.Entry<String, JsonNode> e : schemas.properties()) {
      for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
        if (gvk.path("group").asText().equals(group)
            && gvk.path("version").asText().equals(version)
            && gvk.path("kind").asText().equals(kind)) {
          return Optional.of(new Schema(e.getKey(), schemas, e.getValue()));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<ObjectNode> load(String path) {
    String resource = "openapi/" + path + ".json.gz";
    try (InputStream in = KubernetesOpenApi.class.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      try (InputStream gz = new GZIPInputStream(in)) {
        return Optional.of((ObjectNode) ResourceCodec.JSON.readTree(gz));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in OpenAPI document " + resource, e);
    }
  }

  /**
   * A node of a schema, with the document's schemas to resolve references against ({@code $ref},
   * and {@code allOf: [{$ref}]} as Kubernetes writes a reference with a default).
   *
   * @param name the schema's name in the document, for messages
   */
  public record Schema(String name, JsonNode schemas, JsonNode node) {

    /** This schema with its reference followed. */
    public Schema resolved() {
      JsonNode n = node;
      if (n.path("allOf").isArray() && n.path("allOf").size() > 0) {
        n = n.path("allOf").path(0);
      }
      String ref = n.path("$ref").asText("");
      if (ref.startsWith(SCHEMA_REF)) {
        String target = ref.substring(SCHEMA_REF.length());
        JsonNode s = schemas.path(target);
        if (!s.isMissingNode()) {
          return new Schema(target, schemas, s);
        }
      }
      return n == node ? this : new Schema(name, schemas, n);
    }

    /** The (unresolved) schema of property {@code key}, or empty when it has none. */
    public Optional<Schema> property(String key) {
      JsonNode p = resolved().node.path("properties").path(key);
      return p.isMissingNode() ? Optional.empty() : Optional.of(new Schema(name, schemas, p));
    }

    /** The schema of a list's items, resolved, or empty. */
    public Optional<Schema> items() {
      JsonNode i = node.path("items");
      return i.isMissingNode()
          ? Optional.empty()
          : Optional.of(new Schema(name, schemas, i).resolved());
    }

    /** {@code x-kubernetes-patch-merge-key}, or "". */
    public String patchMergeKey() {
      return node.path("x-kubernetes-patch-merge-key").asText("");
    }

    /** {@code x-kubernetes-patch-strategy}, split at commas; empty when it has none. */
    public java.util.List<String> patchStrategies() {
      String s = node.path("x-kubernetes-patch-strategy").asText("");
      return s.isEmpty() ? java.util.List.of() : java.util.List.of(s.split(","));
    }
  }
}
