package dev.meridian.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Field selectors as kube-apiserver supports them, with {@code =}, {@code ==} or {@code !=}: {@code
 * metadata.name} and {@code metadata.namespace} on every kind, and on Events also the fields that
 * {@code kubectl describe} looks its events up by ({@code involvedObject.*}, {@code reason}, {@code
 * type}, {@code source}, {@code reportingComponent}), as Kubernetes' event strategy defines them.
 */
public record FieldSelector(List<Term> terms) {
  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** One {@code field=value} or {@code field!=value}. */
  public record Term(String field, boolean equals, String value) {}

  private static final List<String> COMMON = List.of("metadata.name", "metadata.namespace");

  /** The fields of an Event one can select by, beyond {@link #COMMON}, and where each is read. */
  private static final Map<String, List<String>> EVENT_FIELDS =
      Map.ofEntries(
          Map.entry("involvedObject.kind", List.of("involvedObject", "kind")),
          Map.entry("involvedObject.namespace", List.of("involvedObject", "namespace")),
          Map.entry("involvedObject.name", List.of("involvedObject", "name")),
          Map.entry("involvedObject.uid", List.of("involvedObject", "uid")),
          Map.entry("involvedObject.apiVersion", List.of("involvedObject", "apiVersion")),
          Map.entry("involvedObject.resourceVersion", List.of("involvedObject", "resourceVersion")),
          Map.entry("involvedObject.fieldPath", List.of("involvedObject", "fieldPath")),
          Map.entry("reason", List.of("reason")),
          Map.entry("reportingComponent", List.of("reportingComponent")),
          Map.entry("type", List.of("type")));

  /** Parses a selector of the fields every kind has. */
  public static FieldSelector parse(String text) {
    return parse(text, false);
  }

  /** Parses a selector of {@code type}'s objects. */
  public static FieldSelector parse(String text, ResourceType type) {
    return parse(text, type == ResourceTypes.EVENT);
  }

  private static FieldSelector parse(String text, boolean event) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int ne = p.indexOf("!=");
      int eq = p.indexOf('=');
      Term t;
      if (ne > 0) {
        t = new Term(p.substring(0, ne).trim(), false, p.substring(ne + 2).trim());
      } else if (eq > 0) {
        int skip = p.startsWith("==", eq) ? 2 : 1;
        t = new Term(p.substring(0, eq).trim(), true, p.substring(eq + skip).trim());
      } else {
        throw ApiException.badRequest(
            "invalid field selector \"" + text + "\": expected field=value");
      }
      boolean known =
          COMMON.contains(t.field())
              || event && (EVENT_FIELDS.containsKey(t.field()) || t.field().equals("source"));
      if (!known) {
        throw ApiException.badRequest(
            "field label not supported: "
                + t.field()
                + " (supported: metadata.name, metadata.namespace"
                + (event ? ", involvedObject.*, reason, reportingComponent, source, type" : "")
                + ")");
      }
      terms.add(t);
    }
    return new FieldSelector(terms);
  }

  public boolean matches(JsonNode obj) {
    for (Term t : terms) {
      String actual = value(obj, t.field());
      if (actual.equals(t.value()) != t.equals()) {
        return false;
      }
    }
    return true;
  }

  private static String value(JsonNode obj, String field) {
    if (field.startsWith("metadata.")) {
      return obj.path("metadata").path(field.substring("metadata.".length())).asText("");
    }
    if (field.equals("source")) {
      // as Kubernetes: the source component, else the reporting controller
      String source = obj.path("source").path("component").asText("");
      return source.isEmpty() ? obj.path("reportingComponent").asText("") : source;
    }
    JsonNode n = obj;
    for (String part : EVENT_FIELDS.get(field)) {
      n = n.path(part);
    }
    return n.asText("");
  }
}
