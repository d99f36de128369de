package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.Summaries;
import java.time.Duration;
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
    ArrayNode cols = t.putArray("columnDefinitions");
    column(cols, "Name", "string", "name", 0);
    for (String[] c : extraColumns(type)) {
      column(cols, c[0], "string", c[0], c.length > 2 ? Integer.parseInt(c[2]) : 0);
    }
    column(cols, "Age", "date", "age", 0);
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(Meta.name(o));
      for (String[] c : extraColumns(type)) {
        cells.add(cell(o, c[1]));
      }
      cells.add(age(o.path("metadata").path("creationTimestamp").asText("")));
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", o.path("metadata").deepCopy());
    }
    return t;
  }

  private static void column(
      ArrayNode cols, String name, String type, String description, int priority) {
    cols.addObject()
        .put("name", name)
        .put("type", type)
        .put("format", name.equals("Name") ? "name" : "")
        .put("description", description)
        .put("priority", priority);
  }

  private static List<String[]> extraColumns(ResourceType type) {
    return switch (type.kind()) {
      case "Cluster" ->
          type.meridian()
              ? List.of(
                  new String[] {"Ready", "ready"},
                  new String[] {"Simulated", "simulated"},
                  new String[] {"Region", "spec.location.region"},
                  new String[] {"Country", "spec.location.country"},
                  new String[] {"Version", "status.kubernetesVersion"},
                  new String[] {"Provider", "spec.location.provider", "1"})
              : List.of();
      case "PropagationPolicy", "ClusterPropagationPolicy", "OverridePolicy" ->
          type.meridian()
              ? List.of(
                  new String[] {"Resolved", "condition:ResolvedRefs"},
                  new String[] {"Warnings", "count:status.warnings"})
              : List.of();
      case "ResourceBinding" ->
          type.meridian()
              ? List.of(
                  new String[] {"Scheduled", "condition:Scheduled"},
                  new String[] {"Fully Applied", "condition:FullyApplied"},
                  new String[] {"Clusters", "count:spec.clusters"},
                  new String[] {"Placement", "placement", "1"})
              : List.of();
      case "Work" ->
          type.meridian()
              ? List.of(
                  new String[] {"Cluster", "spec.cluster"},
                  new String[] {"Applied", "condition:Applied"})
              : List.of();
      case "ResidencyPolicy" ->
          type.meridian()
              ? List.of(
                  new String[] {"Enforcement", "enforcement"},
                  new String[] {"Allowed Clusters", "list:status.allowedClusters"})
              : List.of();
      case "Deployment", "StatefulSet" -> List.<String[]>of(new String[] {"Ready", "replicas"});
      case "Namespace" -> List.<String[]>of(new String[] {"Status", "status.phase"});
      case "Event" ->
          List.of(
              new String[] {"Type", "type"},
              new String[] {"Reason", "reason"},
              new String[] {"Object", "involvedObject.name"},
              new String[] {"Message", "message"});

      default -> List.of();
    };
  }

  private static String cell(ObjectNode o, String spec) {
    if (spec.startsWith("condition:")) {
      return Summaries.conditionStatus(o, spec.substring("condition:".length()));
    }
    if (spec.startsWith("count:")) {
      return Integer.toString(path(o, spec.substring("count:".length())).size());
    }
    if (spec.startsWith("list:")) {
      return joined(Summaries.texts(path(o, spec.substring("list:".length()))));
    }
    switch (spec) {
      case "ready":
        return cell(o, "condition:Ready");
      case "placement":
        return joined(Summaries.placement(o));
      case "enforcement":
        return o.path("spec").path("enforcement").asText("Deny");
      case "simulated":
        return o.path("spec").path("connection").has("simulated") ? "yes" : "no";
      case "replicas":
        return o.path("status").path("readyReplicas").asInt(0)
            + "/"
            + o.path("spec").path("replicas").asInt(1);
      default:
        return path(o, spec).asText("");
    }
  }

  private static String joined(List<String> items) {
    return items.isEmpty() ? "<none>" : String.join(",", items);
  }

  /** The node at a dotted path such as {@code spec.location.region}. */
  private static JsonNode path(JsonNode o, String dotted) {
    JsonNode n = o;
    for (String p : dotted.split("\\.")) {
      n = n.path(p);
    }
    return n;
  }

  /** Kubernetes' short human durations: 45s, 12m, 3h, 5d. */
  public static String age(String timestamp) {
    if (timestamp.isEmpty()) {
      return "<unknown>";
    }
    Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600 * 2) {
      return s / 60 + "m";
    }
    if (s < 86400 * 2) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}
