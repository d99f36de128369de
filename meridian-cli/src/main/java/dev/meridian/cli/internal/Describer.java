package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code describe}'s text, after kubectl's generic describer: identity first, then metadata, then
 * each other top-level field (Spec, Data, ...) as indented YAML, then Status with its conditions as
 * a table. A Secret's values are never printed, only their sizes.
 */
public final class Describer {
  private static final int LABEL_WIDTH = "Annotations:  ".length();
  private static final Set<String> SECRET_DATA = Set.of("data", "stringData");
  private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "status");

  private Describer() {}

  public static String describe(ObjectNode obj, ResourceType type) {
    StringBuilder b = new StringBuilder();
    field(b, "Name:", Meta.name(obj));
    if (type.namespaced()) {
      field(b, "Namespace:", Meta.namespace(obj));
    }
    pairs(b, "Labels:", Meta.labels(obj), "=");
    pairs(b, "Annotations:", Meta.annotations(obj), ": ");
    field(
        b,
        "API Version:",
        Meta.apiVersion(obj).isEmpty() ? type.apiVersion() : Meta.apiVersion(obj));
    field(b, "Kind:", Meta.kind(obj).isEmpty() ? type.kind() : Meta.kind(obj));
    metadata(b, obj.path("metadata"));
    boolean secret = type.group().isEmpty() && type.kind().equals("Secret");
    obj.fields()
        .forEachRemaining(
            e -> {
              if (ENVELOPE.contains(e.getKey())) {
                return;
              }
              boolean hidden = secret && SECRET_DATA.contains(e.getKey());
              section(
                  b, title(e.getKey()), hidden ? sizes(e.getValue(), e.getKey()) : e.getValue());
            });
    status(
        b,
        obj.path("status"),
        type.group().equals("network.meridian.dev") && type.kind().equals("GlobalRoute"));
    return b.toString();
  }

  private static void metadata(StringBuilder b, JsonNode meta) {
    List<List<String>> rows = new ArrayList<>();
    addIfPresent(rows, "Creation Timestamp:", meta.path("creationTimestamp"));
    addIfPresent(rows, "Deletion Timestamp:", meta.path("deletionTimestamp"));
    addIfPresent(rows, "Resource Version:", meta.path("resourceVersion"));
    addIfPresent(rows, "Generation:", meta.path("generation"));
    addIfPresent(rows, "UID:", meta.path("uid"));
    List<String> finalizers = new ArrayList<>();
    meta.path("finalizers").forEach(f -> finalizers.add(f.asText()));
    rows.add(
        List.of("Finalizers:", finalizers.isEmpty() ? "<none>" : String.join(", ", finalizers)));
    List<String> owners = new ArrayList<>();
    meta.path("ownerReferences")
        .forEach(o -> owners.add(o.path("kind").asText() + "/" + o.path("name").asText()));
    if (!owners.isEmpty()) {
      rows.add(List.of("Owner References:", String.join(", ", owners)));
    }
    b.append("Metadata:\n");
    int width = rows.stream().mapToInt(r -> r.get(0).length()).max().orElse(0) + 2;
    for (List<String> r : rows) {
      b.append("  ").append(pad(r.get(0), width)).append(OneLine.safe(r.get(1))).append('\n');
    }
  }

  private static void status(StringBuilder b, JsonNode status, boolean route) {
    if (!status.isObject() || status.isEmpty()) {
      return;
    }
    b.append("Status:\n");
    ObjectNode rest = ((ObjectNode) status).deepCopy();
    JsonNode conditions = rest.remove("conditions");
    if (conditions != null && conditions.isArray() && !conditions.isEmpty()) {
      b.append("  Conditions:\n");
      TextTable table =
          new TextTable(List.of("TYPE", "STATUS", "REASON", "MESSAGE", "LAST TRANSITION"));
      for (JsonNode c : conditions) {
        table.add(
            List.of(
                c.path("type").asText(""),
                c.path("status").asText(""),
                c.path("reason").asText(""),
                c.path("message").asText(""),
                c.path("lastTransitionTime").asText("")));
      }
      b.append(indent(table.render(), 4));
    } else if (conditions != null) {
      rest.set("conditions", conditions);
    }
    JsonNode backends = route ? rest.remove("backends") : null;
    if (backends != null) {
      b.append("  Backends:\n").append(indent(backends(backends), 4));
    }
    if (!rest.isEmpty()) {
      b.append(indent(ResourceCodec.toYaml(rest), 2));
    }
  }

  /**
   * A GlobalRoute's backends: for each, the clusters that back it with their ready endpoints and
   * whether the cluster is Ready.
   */
  private static String backends(JsonNode backends) {
    TextTable table = new TextTable(List.of("BACKEND", "CLUSTER", "ENDPOINTS", "CLUSTER READY"));
    for (JsonNode backend : backends) {
      String name =
          backend.path("kind").asText("Service")
              + " "
              + backend.path("name").asText()
              + ":"
              + backend.path("port").asText();
      Map<String, int[]> perCluster = new java.util.TreeMap<>();
      Map<String, Boolean> ready = new java.util.HashMap<>();
      for (JsonNode ep : backend.path("endpoints")) {
        String cluster = ep.path("cluster").asText();
        int[] n = perCluster.computeIfAbsent(cluster, c -> new int[1]);
        if (ep.path("ready").asBoolean(true)) {
          n[0]++;
        }
        ready.merge(cluster, ep.path("clusterReady").asBoolean(false), Boolean::logicalAnd);
      }
      if (perCluster.isEmpty()) {
        table.add(List.of(name, "<none>", "0", ""));
      }
      perCluster.forEach(
          (cluster, n) ->
              table.add(
                  List.of(
                      name,
                      cluster,
                      Integer.toString(n[0]),
                      ready.get(cluster) ? "True" : "False")));
    }
    return table.render();
  }

  private static void section(StringBuilder b, String title, JsonNode value) {
    if (value.isValueNode()) {
      field(b, title + ":", value.asText());
      return;
    }
    b.append(title).append(":\n");
    if (value.isEmpty()) {
      b.append("  <none>\n");
    } else {
      b.append(indent(ResourceCodec.toYaml(value), 2));
    }
  }

  /** A Secret's data as sizes: {@code password: 8 bytes}. */
  private static JsonNode sizes(JsonNode data, String field) {
    ObjectNode out = ResourceCodec.newObject();
    data.fields()
        .forEachRemaining(
            e -> {
              String v = e.getValue().asText("");
              int size = v.length();
              if (field.equals("data")) {
                try {
                  size = Base64.getMimeDecoder().decode(v).length;
                } catch (IllegalArgumentException notBase64) {
                  size = v.getBytes(StandardCharsets.UTF_8).length;
                }
              }
              out.put(e.getKey(), size + " bytes");
            });
    return out;
  }

  private static void addIfPresent(List<List<String>> rows, String label, JsonNode v) {
    if (v.isValueNode() && !v.asText("").isEmpty()) {
      rows.add(List.of(label, v.asText()));
    }
  }

  private static void field(StringBuilder b, String label, String value) {
    b.append(pad(label, LABEL_WIDTH)).append(OneLine.safe(value)).append('\n');
  }

  private static void pairs(StringBuilder b, String label, Map<String, String> map, String sep) {
    if (map.isEmpty()) {
      field(b, label, "<none>");
      return;
    }
    String first = label;
    for (Map.Entry<String, String> e : map.entrySet()) {
      field(b, first, e.getKey() + sep + e.getValue());
      first = "";
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(width - s.length(), 1));
  }

  /** {@code binaryData} becomes {@code Binary Data}. */
  static String title(String key) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (i == 0) {
        b.append(Character.toUpperCase(c));
      } else if (Character.isUpperCase(c) && !Character.isUpperCase(key.charAt(i - 1))) {
        b.append(' ').append(c);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        b.append(pad).append(line).append('\n');
      }
    }
    return b.toString();
  }
}
