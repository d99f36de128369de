package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Applies one override rule's overriders, in the documented order, each item on a copy that
 * replaces the document only when the item succeeds.
 */
final class RuleRun {
  private final String where;
  private final List<String> applied;
  private final List<String> errors;
  private JsonNode doc;

  RuleRun(String where, JsonNode doc, List<String> applied, List<String> errors) {
    this.where = where;
    this.doc = doc;
    this.applied = applied;
    this.errors = errors;
  }

  JsonNode doc() {
    return doc;
  }

  void apply(JsonNode overriders) {
    if (!overriders.isObject()) {
      errors.add(where + ": overriders must be an object");
      return;
    }
    each(overriders, "imageOverrider", ImageOverrider::apply);
    if (overriders.has("replicas")) {
      attempt(
          "replicas",
          d -> {
            Overriders.replicas(d, overriders.get("replicas"));
            return d;
          });
    }
    each(overriders, "env", (d, item) -> touch(d, () -> Overriders.env(d, item)));
    each(overriders, "args", (d, item) -> touch(d, () -> Overriders.args(d, item)));
    each(
        overriders,
        "labels",
        (d, item) -> touch(d, () -> Overriders.metadataMap(d, "labels", item)));
    each(
        overriders,
        "annotations",
        (d, item) -> touch(d, () -> Overriders.metadataMap(d, "annotations", item)));
    plaintext(overriders.path("plaintext"));
  }

  /**
   * A JSON patch stops at its first failed operation, as RFC 6902 does (so a failed {@code test}
   * guards what follows it); operations before it stay applied.
   */
  private void plaintext(JsonNode ops) {
    if (ops.isMissingNode() || ops.isNull()) {
      return;
    }
    if (!ops.isArray()) {
      errors.add(where + ": plaintext must be a list");
      return;
    }
    for (int i = 0; i < ops.size(); i++) {
      JsonNode op = ops.get(i);
      if (!attempt("plaintext[" + i + "]", d -> JsonPatchOperation.apply(d, op))) {
        int skipped = ops.size() - i - 1;
        if (skipped > 0) {
          errors.add(
              where
                  + ": plaintext["
                  + (i + 1)
                  + ".."
                  + (ops.size() - 1)
                  + "] skipped after the failed operation");
        }
        return;
      }
    }
  }

  private interface Item {
    JsonNode apply(JsonNode doc, JsonNode item);
  }

  private interface Change {
    JsonNode apply(JsonNode doc);
  }

  private static JsonNode touch(JsonNode doc, Runnable change) {
    change.run();
    return doc;
  }

  private void each(JsonNode overriders, String field, Item change) {
    JsonNode items = overriders.path(field);
    if (items.isMissingNode() || items.isNull()) {
      return;
    }
    if (!items.isArray()) {
      errors.add(where + ": " + field + " must be a list");
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      attempt(field + "[" + i + "]", d -> change.apply(d, item));
    }
  }

  private boolean attempt(String what, Change change) {
    JsonNode before = doc;
    try {
      JsonNode after = change.apply(before.deepCopy());
      if (!after.isObject()) {
        throw new OverrideException("the result must be an object");
      }
      if (!Identity.of(after).equals(Identity.of(before))) {
        throw new OverrideException(
            "overrides may not change apiVersion, kind, metadata.name, metadata.namespace or"
                + " Meridian's own label and annotation");
      }
      doc = after;
      applied.add(where + ": " + what);
      return true;
    } catch (OverrideException e) {
      errors.add(where + ": " + what + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // user data of an unexpected shape: report it rather than fail the whole render
      errors.add(where + ": " + what + ": cannot apply (" + e.getClass().getSimpleName() + ")");
    }
    return false;
  }

  /** What the work controller identifies an applied object by. */
  private record Identity(List<String> parts) {
    static Identity of(JsonNode obj) {
      JsonNode meta = obj.path("metadata");
      return new Identity(
          List.of(
              obj.path("apiVersion").toString(),
              obj.path("kind").toString(),
              meta.path("name").toString(),
              meta.path("namespace").toString(),
              meta.path("labels").path(MemberManifest.MANAGED_LABEL).toString(),
              meta.path("annotations").path(MemberManifest.BINDING_ANNOTATION).toString()));
    }
  }
}
