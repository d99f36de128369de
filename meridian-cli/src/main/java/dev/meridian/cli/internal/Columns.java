package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.TableColumn;
import dev.meridian.api.TableColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The columns {@code get} prints per kind: NAMESPACE across namespaces, then the kind's columns as
 * {@link TableColumns} defines them for the hub's server-side tables too (the wide ones with {@code
 * -o wide}), headers upper-cased as kubectl prints them.
 */
public final class Columns {
  private Columns() {}

  public static List<Column> forType(
      ResourceType type, boolean wide, boolean allNamespaces, Instant now) {
    List<Column> cols = new ArrayList<>();
    if (allNamespaces && type.namespaced()) {
      cols.add(new Column("NAMESPACE", Meta::namespace));
    }
    for (TableColumn c : TableColumns.forType(type, now)) {
      if (wide || !c.wide()) {
        cols.add(new Column(c.name().toUpperCase(Locale.ROOT), c.cell()));
      }
    }
    return cols;
  }

  /** A table of {@code objects} under {@code columns}. */
  public static TextTable table(List<Column> columns, List<? extends JsonNode> objects) {
    TextTable table = new TextTable(columns.stream().map(Column::header).toList());
    for (JsonNode o : objects) {
      table.add(row(columns, o));
    }
    return table;
  }

  public static List<String> row(List<Column> columns, JsonNode object) {
    return columns.stream().map(c -> c.value().apply(object)).toList();
  }
}
