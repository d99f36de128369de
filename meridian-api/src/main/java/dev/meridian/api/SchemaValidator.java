package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against the OpenAPI v3 schema subset that Kubernetes structural schemas use
 * ({@code type, properties, required, additionalProperties, items, enum, pattern, minimum, maximum,
 * minLength, maxLength, minItems, maxItems, oneOf-free}). Reports every violation with its path.
 *
 * <p>The same schema documents are served by the hub's {@code /openapi/v3}, so what is documented
 * is exactly what is enforced.
 */
public final class SchemaValidator {
  private SchemaValidator() {}

  public static void validate(JsonNode schema, JsonNode value, String path, List<FieldError> out) {
    if (schema == null || schema.isMissingNode()) {
      return;
    }
    if (value == null || value.isMissingNode() || value.isNull()) {
      return; // presence is checked by the parent's "required"
    }
    String type = schema.path("type").asText("");
    if (!type.isEmpty() && !hasType(value, type, schema)) {
      out.add(
          FieldError.invalid(path, "must be of type " + type + " (found " + nodeType(value) + ")"));
      return;
    }
    JsonNode en = schema.get("enum");
    if (en != null && en.isArray()) {
      boolean found = false;
      for (JsonNode e : en) {
        if (e.equals(value) || e.asText().equals(value.asText()) && value.isValueNode()) {
          found = true;
          break;
        }
      }
      if (!found) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : en) {
          sb.append(sb.isEmpty() ? "" : ", ").append('"').append(e.asText()).append('"');
        }
        out.add(
            FieldError.notSupported(
                path, "Unsupported value: \"" + value.asText() + "\": supported values: " + sb));
      }
    }
    if (value.isTextual()) {
      String s = value.asText();
      if (schema.has("pattern")
          && !Pattern.compile(schema.get("pattern").asText()).matcher(s).matches()) {
        out.add(
            FieldError.invalid(
                path, "\"" + s + "\" does not match pattern " + schema.get("pattern").asText()));
      }
      if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
        out.add(
            FieldError.invalid(
                path, "must be at least " + schema.get("minLength").asInt() + " characters"));
      }
      if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
        out.add(
            new FieldError(
                path,
                FieldError.Reason.FieldValueTooLong,
                "must be at most " + schema.get("maxLength").asInt() + " characters"));
      }
    }
    if (value.isNumber()) {
      if (schema.has("minimum")
          && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
        out.add(
            FieldError.invalid(
                path, "must be greater than or equal to " + schema.get("minimum").asText()));
      }
      if (schema.has("maximum")
          && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
        out.add(
            FieldError.invalid(
                path, "must be less than or equal to " + schema.get("maximum").asText()));
      }
    }
    if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        out.add(
            FieldError.invalid(
                path, "must have at least " + schema.get("minItems").asInt() + " items"));
      }
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        out.add(
            new FieldError(
                path,
                FieldError.Reason.FieldValueTooLong,
                "must have at most " + schema.get("maxItems").asInt() + " items"));
      }
      JsonNode items = schema.get("items");
      if (items != null) {
        Set<JsonNode> seen = new HashSet<>();
        boolean unique = "set".equals(schema.path("x-kubernetes-list-type").asText(""));
        for (int i = 0; i < value.size(); i++) {
          validate(items, value.get(i), path + "[" + i + "]", out);
          if (unique && !seen.add(value.get(i))) {
            out.add(
                new FieldError(
                    path + "[" + i + "]",
                    FieldError.Reason.FieldValueDuplicate,
                    "Duplicate value: " + value.get(i)));
          }
        }
      }
    }
    if (value.isObject()) {
      validateObject(schema, value, path, out);
    }
  }

  private static void validateObject(
      JsonNode schema, JsonNode value, String path, List<FieldError> out) {
    JsonNode props = schema.path("properties");
    for (JsonNode req : schema.path("required")) {
      JsonNode v = value.get(req.asText());
      if (v == null || v.isNull()) {
        out.add(FieldError.required(join(path, req.asText())));
      }
    }
    if (schema.has("minProperties") && value.size() < schema.get("minProperties").asInt()) {
      out.add(
          FieldError.invalid(
              path, "must have at least " + schema.get("minProperties").asInt() + " fields"));
    }
    if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
      out.add(
          FieldError.invalid(
              path, "must set at most " + schema.get("maxProperties").asInt() + " of its fields"));
    }
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    JsonNode additional = schema.get("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> it = value.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode propSchema = props.get(e.getKey());
      if (propSchema != null) {
        validate(propSchema, e.getValue(), join(path, e.getKey()), out);
      } else if (additional != null && additional.isObject()) {
        validate(additional, e.getValue(), path + "[" + e.getKey() + "]", out);
      } else if (!preserve && (props.size() > 0 || additional != null)) {
        out.add(
            FieldError.invalid(
                join(path, e.getKey()),
                "unknown field \"" + e.getKey() + "\"" + suggestion(e.getKey(), props)));
      }
    }
  }

  private static String suggestion(String name, JsonNode props) {
    Iterator<String> names = props.fieldNames();
    while (names.hasNext()) {
      String candidate = names.next();
      if (candidate.equalsIgnoreCase(name) || distance(candidate, name) <= 2) {
        return " (did you mean \"" + candidate + "\"?)";
      }
    }
    return "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static boolean hasType(JsonNode v, String type, JsonNode schema) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return v.isTextual() || v.isIntegralNumber();
    }
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" ->
          v.isIntegralNumber()
              || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  private static String nodeType(JsonNode v) {
    if (v.isObject()) return "object";
    if (v.isArray()) return "array";
    if (v.isTextual()) return "string";
    if (v.isIntegralNumber()) return "integer";
    if (v.isNumber()) return "number";
    if (v.isBoolean()) return "boolean";
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
