package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import java.time.Instant;
import java.util.List;

/**
 * Prints what {@code get} fetched in the chosen {@code -o} format: first the whole result, then,
 * while watching, one entry per event laid out like the first print.
 */
public final class ObjectPrinter {
  private final OutputFormat format;
  private final ResourceType type;
  private final List<Column> columns;
  private int[] widths;

  private final boolean showManagedFields;

  public ObjectPrinter(OutputFormat format, ResourceType type, boolean allNamespaces, Instant now) {
    this(format, type, allNamespaces, now, false);
  }

  /**
   * @param showManagedFields keep {@code metadata.managedFields} in YAML and JSON (kubectl leaves
   *     them out unless {@code --show-managed-fields})
   */
  public ObjectPrinter(
      OutputFormat format,
      ResourceType type,
      boolean allNamespaces,
      Instant now,
      boolean showManagedFields) {
    this.showManagedFields = showManagedFields;
    this.format = format;
    this.type = type;
    this.columns = Columns.forType(type, format == OutputFormat.WIDE, allNamespaces, now);
  }

  /**
   * The whole result. With YAML or JSON a single object asked for by name prints as itself, any
   * other result as a {@code List}; an empty table prints nothing (the caller says so on stderr).
   */
  public String print(List<ObjectNode> objects, boolean singleObject) {
    return switch (format) {
      case TABLE, WIDE -> {
        if (objects.isEmpty()) {
          yield "";
        }
        TextTable table = Columns.table(columns, objects);
        widths = table.widths();
        yield table.render();
      }
      case NAME -> names(objects);
      case YAML ->
          ResourceCodec.toYaml(
              singleObject && objects.size() == 1
                  ? shown(objects.get(0))
                  : list(shownAll(objects)));
      case JSON ->
          JsonText.pretty(
              singleObject && objects.size() == 1
                  ? shown(objects.get(0))
                  : list(shownAll(objects)));
    };
  }

  /** One watch event's object; the table's header comes with the first row if none was printed. */
  public String event(ObjectNode object) {
    return switch (format) {
      case TABLE, WIDE -> {
        String header = "";
        if (widths == null) {
          TextTable table = Columns.table(columns, List.of(object));
          widths = table.widths();
          header = TextTable.line(columns.stream().map(Column::header).toList(), widths) + "\n";
        }
        yield header + TextTable.line(Columns.row(columns, object), widths) + "\n";
      }
      case NAME -> names(List.of(object));
      case YAML -> "---\n" + ResourceCodec.toYaml(shown(object));
      case JSON -> JsonText.pretty(shown(object));
    };
  }

  /** The object as printed: without its managed fields unless asked for. */
  private ObjectNode shown(ObjectNode object) {
    if (showManagedFields || !object.path("metadata").has("managedFields")) {
      return object;
    }
    ObjectNode copy = object.deepCopy();
    ((ObjectNode) copy.get("metadata")).remove("managedFields");
    return copy;
  }

  private List<ObjectNode> shownAll(List<ObjectNode> objects) {
    return objects.stream().map(this::shown).toList();
  }

  private String names(List<ObjectNode> objects) {
    StringBuilder b = new StringBuilder();
    for (ObjectNode o : objects) {
      b.append(ObjectNames.of(type, Meta.name(o))).append('\n');
    }
    return b.toString();
  }

  /**
   * The object with {@code apiVersion} and {@code kind} first: items of a Kubernetes list may omit
   * them, and a printed object should say what it is.
   */
  public static ObjectNode typed(ObjectNode object, ResourceType type) {
    ObjectNode out = ResourceCodec.newObject();
    out.put("apiVersion", object.path("apiVersion").asText(type.apiVersion()));
    out.put("kind", object.path("kind").asText(type.kind()));
    object.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
    return out;
  }

  /** The {@code v1 List} kubectl wraps several objects in. */
  public static ObjectNode list(List<ObjectNode> items) {
    ObjectNode list = ResourceCodec.newObject();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.putObject("metadata").put("resourceVersion", "");
    items.forEach(list.putArray("items")::add);
    return list;
  }
}
