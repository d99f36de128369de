package dev.meridian.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The field selectors every kind supports in Kubernetes: {@code metadata.name} and {@code
 * metadata.namespace} with {@code =}, {@code ==} or {@code !=}.
 */
public record FieldSelector(List<Term> terms) {
  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** One {@code field=value} or {@code field!=value}. */
  public record Term(String field, boolean equals, String value) {}

  public static FieldSelector parse(String text) {
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
      if (!t.field().equals("metadata.name") && !t.field().equals("metadata.namespace")) {
        throw ApiException.badRequest(
            "field label not supported: "
                + t.field()
                + " (supported: metadata.name, metadata.namespace)");
      }
      terms.add(t);
    }
    return new FieldSelector(terms);
  }

  public boolean matches(JsonNode obj) {
    for (Term t : terms) {
      String actual =
          obj.path("metadata").path(t.field().substring("metadata.".length())).asText("");
      if (actual.equals(t.value()) != t.equals()) {
        return false;
      }
    }
    return true;
  }
}
