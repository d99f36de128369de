package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.TableColumn;
import dev.meridian.api.TableColumns;
import java.time.Instant;
import java.util.List;

/**
 * Server-side printing ({@code meta.k8s.io/v1 Table}), which kubectl asks for: columns chosen per
 * kind so {@code kubectl get clusters} shows readiness and location, not just names.
 */
public final class Tables {
  private Tables() {}

  /** Whether the Accept header asks for a Table. */
  public static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  public static ObjectNode table(
      ResourceType type, List<ObjectNode> objects, String resourceVersion) {
    ObjectNode t = ResourceCodec.newObject();
    t.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    t.putObject("metadata").put("resourceVersion", resourceVersion);
    // the same columns meridian get prints
    List<TableColumn> columns = TableColumns.forType(type, Instant.now());
    ArrayNode cols = t.putArray("columnDefinitions");
    for (TableColumn c : columns) {
      cols.addObject()
          .put("name", c.name())
          .put("type", "string")
          .put("format", c.name().equals("Name") ? "name" : "")
          .put("description", c.description())
          .put("priority", c.wide() ? 1 : 0);
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (TableColumn c : columns) {
        cells.add(c.cell().apply(o));
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", o.path("metadata").deepCopy());
    }
    return t;
  }
}
