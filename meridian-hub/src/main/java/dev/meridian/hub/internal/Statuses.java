package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.ResourceCodec;
import dev.meridian.hub.ApiException;

/** Renders Kubernetes {@code Status} objects. */
public final class Statuses {
  private Statuses() {}

  public static ObjectNode failure(ApiException e) {
    ObjectNode s = base();
    s.put("status", "Failure");
    s.put("message", e.getMessage());
    s.put("reason", e.reason());
    if (e.kind() != null || !e.causes().isEmpty()) {
      ObjectNode details = s.putObject("details");
      if (e.name() != null) {
        details.put("name", e.name());
      }
      if (e.kind() != null) {
        details.put("kind", e.kind());
      }
      if (!e.causes().isEmpty()) {
        ArrayNode causes = details.putArray("causes");
        for (FieldError c : e.causes()) {
          causes
              .addObject()
              .put("reason", c.reason().name())
              .put("message", c.message())
              .put("field", c.field());
        }
      }
    }
    s.put("code", e.code());
    return s;
  }

  public static ObjectNode success(String kind, String name) {
    ObjectNode s = base();
    s.put("status", "Success");
    s.putObject("details").put("name", name).put("kind", kind);
    return s;
  }

  private static ObjectNode base() {
    ObjectNode s = ResourceCodec.newObject();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    return s;
  }
}
