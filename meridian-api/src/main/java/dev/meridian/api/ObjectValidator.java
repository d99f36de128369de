package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates objects before they are stored: the Kubernetes envelope for every kind, and for
 * Meridian's kinds the spec and status against their OpenAPI schema ({@code
 * dev/meridian/api/schemas/KIND.json}). Every problem is reported, each with its field path.
 */
public final class ObjectValidator {
  private static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
  private static final Map<String, Optional<JsonNode>> SCHEMAS = new ConcurrentHashMap<>();

  private ObjectValidator() {}

  /** The OpenAPI schema of a Meridian kind, if it has one. */
  public static Optional<JsonNode> schema(String kind) {
    return SCHEMAS.computeIfAbsent(kind, ObjectValidator::loadSchema);
  }

  /** Every problem with {@code obj} as an object of {@code type}; empty when valid. */
  public static List<FieldError> validate(ObjectNode obj, ResourceType type) {
    List<FieldError> errors = new ArrayList<>();
    if (!obj.path("apiVersion").isTextual() || Meta.apiVersion(obj).isEmpty()) {
      errors.add(FieldError.required("apiVersion"));
    }
    if (!obj.path("kind").isTextual() || Meta.kind(obj).isEmpty()) {
      errors.add(FieldError.required("kind"));
    }
    JsonNode meta = obj.path("metadata");
    if (!meta.isObject()) {
      errors.add(
          meta.isMissingNode()
              ? FieldError.required("metadata")
              : FieldError.invalid("metadata", "must be an object"));
      return errors;
    }
    validateMetadata(meta, type, errors);
    if (type.meridian()) {
      schema(type.kind())
          .ifPresent(
              s -> {
                JsonNode props = s.path("properties");
                for (String part : List.of("spec", "status")) {
                  SchemaValidator.validate(props.path(part), obj.get(part), part, errors);
                }
                for (JsonNode req : s.path("required")) {
                  if (!obj.hasNonNull(req.asText())) {
                    errors.add(FieldError.required(req.asText()));
                  }
                }
              });
    }
    return errors;
  }

  /** Like {@link #validate} but throws when anything is wrong. */
  public static void check(ObjectNode obj, ResourceType type) {
    List<FieldError> errors = validate(obj, type);
    if (!errors.isEmpty()) {
      throw new ValidationException(type.kind() + " \"" + Meta.name(obj) + "\"", errors);
    }
  }

  private static void validateMetadata(JsonNode meta, ResourceType type, List<FieldError> errors) {
    JsonNode nameNode = meta.path("name");
    String name = nameNode.asText("");
    if (nameNode.isMissingNode() || name.isEmpty()) {
      if (meta.path("generateName").asText("").isEmpty()) {
        errors.add(FieldError.required("metadata.name"));
      }
    } else if (!nameNode.isTextual()) {
      errors.add(FieldError.invalid("metadata.name", "must be a string"));
    } else {
      boolean ok =
          type.kind().equals("Namespace") || type.kind().equals("Cluster")
              ? Names.isDnsLabel(name)
              : Names.isDnsSubdomain(name);
      if (!ok) {
        errors.add(
            FieldError.invalid(
                "metadata.name",
                "\""
                    + name
                    + "\": a lowercase RFC 1123 "
                    + (type.kind().equals("Namespace") || type.kind().equals("Cluster")
                        ? "label (at most 63 characters)"
                        : "subdomain (at most 253 characters)")
                    + " must consist of lower case alphanumeric characters, '-' or '.', and must"
                    + " start and end with an alphanumeric character"));
      }
    }
    String ns = meta.path("namespace").asText("");
    if (!ns.isEmpty() && type.namespaced() && !Names.isDnsLabel(ns)) {
      errors.add(
          FieldError.invalid("metadata.namespace", "\"" + ns + "\" is not a valid namespace name"));
    }
    checkStringMap(meta.path("labels"), "metadata.labels", true, errors);
    checkStringMap(meta.path("annotations"), "metadata.annotations", false, errors);
    JsonNode ann = meta.path("annotations");
    if (ann.isObject()) {
      int total = 0;
      Iterator<Map.Entry<String, JsonNode>> it = ann.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        total += e.getKey().length() + e.getValue().asText().length();
      }
      if (total > MAX_ANNOTATIONS_BYTES) {
        errors.add(
            new FieldError(
                "metadata.annotations",
                FieldError.Reason.FieldValueTooLong,
                "Too long: must have at most " + MAX_ANNOTATIONS_BYTES + " bytes"));
      }
    }
    JsonNode fin = meta.path("finalizers");
    if (!fin.isMissingNode() && !fin.isNull()) {
      if (!fin.isArray()) {
        errors.add(FieldError.invalid("metadata.finalizers", "must be a list"));
      } else {
        for (int i = 0; i < fin.size(); i++) {
          if (!fin.get(i).isTextual() || !LabelSelector.validKey(fin.get(i).asText())) {
            errors.add(
                FieldError.invalid("metadata.finalizers[" + i + "]", "must be a qualified name"));
          }
        }
      }
    }
    JsonNode owners = meta.path("ownerReferences");
    if (owners.isArray()) {
      for (int i = 0; i < owners.size(); i++) {
        for (String f : List.of("apiVersion", "kind", "name", "uid")) {
          if (owners.get(i).path(f).asText("").isEmpty()) {
            errors.add(FieldError.required("metadata.ownerReferences[" + i + "]." + f));
          }
        }
      }
    } else if (!owners.isMissingNode() && !owners.isNull()) {
      errors.add(FieldError.invalid("metadata.ownerReferences", "must be a list"));
    }
  }

  private static void checkStringMap(
      JsonNode node, String path, boolean labels, List<FieldError> errors) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      errors.add(FieldError.invalid(path, "must be a map of strings"));
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path + "[" + e.getKey() + "]";
      if (!LabelSelector.validKey(e.getKey())) {
        errors.add(
            FieldError.invalid(
                p,
                "\""
                    + e.getKey()
                    + "\": a qualified name must consist of alphanumeric characters, '-', '_' or"
                    + " '.', with an optional DNS subdomain prefix and '/'"));
      }
      if (!e.getValue().isTextual()) {
        errors.add(FieldError.invalid(p, "must be a string"));
      } else if (labels && !LabelSelector.validValue(e.getValue().asText())) {
        errors.add(
            FieldError.invalid(
                p,
                "\""
                    + e.getValue().asText()
                    + "\": a valid label value must be 63 characters or less and consist of"
                    + " alphanumeric characters, '-', '_' or '.'"));
      }
    }
  }

  private static Optional<JsonNode> loadSchema(String kind) {
    try (InputStream in = ObjectValidator.class.getResourceAsStream("schemas/" + kind + ".json")) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(
          ResourceCodec.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
