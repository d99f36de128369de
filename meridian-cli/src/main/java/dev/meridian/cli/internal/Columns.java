package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.Summaries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The columns {@code get} prints per kind: NAME (after NAMESPACE across namespaces), the kind's own
 * columns, AGE, then with {@code -o wide} a few more.
 */
public final class Columns {
  static final String NONE = "<none>";

  private Columns() {}

  public static List<Column> forType(
      ResourceType type, boolean wide, boolean allNamespaces, Instant now) {
    List<Column> cols = new ArrayList<>();
    if (allNamespaces && type.namespaced()) {
      cols.add(new Column("NAMESPACE", Meta::namespace));
    }
    cols.add(new Column("NAME", Meta::name));
    List<Column> wideOnly = new ArrayList<>();
    if (is(type, ResourceTypes.FLEET, "Cluster")) {
      cols.add(new Column("READY", Columns::conditionReady));
      cols.add(new Column("SIMULATED", Columns::simulated));
      cols.add(new Column("REGION", o -> text(o.path("spec").path("location").path("region"))));
      cols.add(new Column("COUNTRY", o -> text(o.path("spec").path("location").path("country"))));
      cols.add(new Column("PROVIDER", o -> text(o.path("spec").path("location").path("provider"))));
      cols.add(new Column("VERSION", o -> text(o.path("status").path("kubernetesVersion"))));
      wideOnly.add(new Column("ZONE", o -> text(o.path("spec").path("location").path("zone"))));
      wideOnly.add(new Column("SYNC", o -> o.path("spec").path("syncMode").asText("Push")));
    } else if (is(type, "apps", "Deployment") || is(type, "apps", "StatefulSet")) {
      cols.add(new Column("READY", Columns::replicasReady));
      wideOnly.add(new Column("CONTAINERS", o -> containers(o, "name")));
      wideOnly.add(new Column("IMAGES", o -> containers(o, "image")));
    } else if (is(type, "", "Event")) {
      cols.add(new Column("LAST SEEN", o -> Age.since(o.path("lastTimestamp").asText(""), now)));
      cols.add(new Column("TYPE", o -> text(o.path("type"))));
      cols.add(new Column("REASON", o -> text(o.path("reason"))));
      cols.add(
          new Column(
              "OBJECT",
              o ->
                  o.path("involvedObject")
                          .path("kind")
                          .asText("")
                          .toLowerCase(java.util.Locale.ROOT)
                      + "/"
                      + o.path("involvedObject").path("name").asText("")));
      cols.add(new Column("MESSAGE", o -> text(o.path("message"))));
    } else if (is(type, ResourceTypes.POLICY, "PropagationPolicy")
        || is(type, ResourceTypes.POLICY, "ClusterPropagationPolicy")
        || is(type, ResourceTypes.POLICY, "OverridePolicy")) {
      cols.add(new Column("RESOLVED", o -> condition(o, "ResolvedRefs")));
      cols.add(new Column("WARNINGS", o -> warnings(o)));
    } else if (is(type, ResourceTypes.WORK, "ResourceBinding")) {
      cols.add(new Column("SCHEDULED", o -> condition(o, "Scheduled")));
      cols.add(new Column("FULLY APPLIED", o -> condition(o, "FullyApplied")));
      cols.add(
          new Column("CLUSTERS", o -> Integer.toString(o.path("spec").path("clusters").size())));
      wideOnly.add(new Column("PLACEMENT", Columns::placement));
    } else if (is(type, ResourceTypes.WORK, "Work")) {
      cols.add(new Column("CLUSTER", o -> text(o.path("spec").path("cluster"))));
      cols.add(new Column("APPLIED", o -> condition(o, "Applied")));
    } else if (is(type, ResourceTypes.POLICY, "ResidencyPolicy")) {
      cols.add(new Column("ENFORCEMENT", o -> o.path("spec").path("enforcement").asText("Deny")));
      cols.add(new Column("ALLOWED CLUSTERS", Columns::allowedClusters));
    } else if (is(type, "", "Namespace")) {

      cols.add(new Column("STATUS", o -> o.path("status").path("phase").asText("Active")));
    }
    cols.add(
        new Column(
            "AGE", o -> Age.since(o.path("metadata").path("creationTimestamp").asText(""), now)));
    if (wide) {
      cols.addAll(wideOnly);
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

  private static boolean is(ResourceType type, String group, String kind) {
    return type.group().equals(group) && type.kind().equals(kind);
  }

  private static String text(JsonNode node) {
    String s = node.isValueNode() ? node.asText("") : "";
    return s.isEmpty() ? NONE : s;
  }

  /** The status of the {@code Ready} condition: True, False or Unknown. */
  static String conditionReady(JsonNode o) {
    return condition(o, "Ready");
  }

  /** The status of a condition, or Unknown while none is written. */
  static String condition(JsonNode o, String type) {
    return Summaries.conditionStatus(o, type);
  }

  /** How many warnings a policy's status holds. */
  static String warnings(JsonNode o) {
    return Integer.toString(o.path("status").path("warnings").size());
  }

  /** A binding's clusters, with their replicas when divided: {@code eu-1=4,us-1=2}. */
  static String placement(JsonNode o) {
    return joined(Summaries.placement(o));
  }

  /** A ResidencyPolicy's allowed clusters, or {@code <none>}. */
  static String allowedClusters(JsonNode o) {
    return joined(Summaries.texts(o.path("status").path("allowedClusters")));
  }

  private static String joined(List<String> items) {
    return items.isEmpty() ? NONE : String.join(",", items);
  }

  /** Simulated clusters must never pass for real ones. */
  static String simulated(JsonNode o) {
    JsonNode sim = o.path("spec").path("connection").path("simulated");
    return sim.isMissingNode() || sim.isNull() ? "no" : "yes";
  }

  static String replicasReady(JsonNode o) {
    long desired = o.path("spec").path("replicas").asLong(1);
    long ready = o.path("status").path("readyReplicas").asLong(0);
    return ready + "/" + desired;
  }

  private static String containers(JsonNode o, String field) {
    JsonNode list = o.path("spec").path("template").path("spec").path("containers");
    String s =
        StreamSupport.stream(list.spliterator(), false)
            .map(c -> c.path(field).asText(""))
            .collect(Collectors.joining(","));
    return s.isEmpty() ? NONE : s;
  }
}
