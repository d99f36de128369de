package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The columns {@code get} shows per kind: Name, the kind's own columns, Age, then the wide ones.
 * One definition serves both {@code meridian get} and the hub's server-side tables for kubectl, so
 * both print the same.
 */
public final class TableColumns {
  /** What an empty cell shows. */
  public static final String NONE = "<none>";

  private TableColumns() {}

  /**
   * @param now for the ages
   */
  public static List<TableColumn> forType(ResourceType type, Instant now) {
    List<TableColumn> cols = new ArrayList<>();
    cols.add(column("Name", "the object's name", Meta::name));
    if (is(type, ResourceTypes.FLEET, "Cluster")) {
      cols.add(column("Ready", "the Ready condition", o -> conditionStatus(o, "Ready")));
      cols.add(column("Simulated", "a simulated cluster, not a real one", TableColumns::simulated));
      cols.add(column("Region", "spec.location.region", o -> location(o, "region")));
      cols.add(column("Country", "spec.location.country", o -> location(o, "country")));
      cols.add(column("Provider", "spec.location.provider", o -> location(o, "provider")));
      cols.add(
          column(
              "Version",
              "the Kubernetes version the cluster runs",
              o -> text(o.path("status").path("kubernetesVersion"))));
    } else if (is(type, "apps", "Deployment") || is(type, "apps", "StatefulSet")) {
      cols.add(column("Ready", "ready replicas / wanted", TableColumns::replicasReady));
    } else if (is(type, "", "Event")) {
      cols.add(
          column(
              "Last Seen",
              "when it last happened",
              o -> Age.since(o.path("lastTimestamp").asText(""), now)));
      cols.add(column("Type", "Normal or Warning", o -> text(o.path("type"))));
      cols.add(column("Reason", "why", o -> text(o.path("reason"))));
      cols.add(column("Object", "what it is about", TableColumns::involvedObject));
      cols.add(column("Message", "what happened", o -> text(o.path("message"))));
    } else if (is(type, ResourceTypes.POLICY, "PropagationPolicy")
        || is(type, ResourceTypes.POLICY, "ClusterPropagationPolicy")
        || is(type, ResourceTypes.POLICY, "OverridePolicy")) {
      cols.add(
          column(
              "Resolved",
              "whether every cluster it names is in the fleet",
              o -> conditionStatus(o, "ResolvedRefs")));
      cols.add(
          column(
              "Warnings",
              "how many warnings its status holds",
              o -> Integer.toString(o.path("status").path("warnings").size())));
    } else if (is(type, ResourceTypes.POLICY, "ResidencyPolicy")) {
      cols.add(
          column(
              "Enforcement",
              "Deny or Audit",
              o -> o.path("spec").path("enforcement").asText("Deny")));
      cols.add(
          column(
              "Allowed Clusters",
              "the fleet's clusters in its allowed locations",
              o -> joined(texts(o.path("status").path("allowedClusters")))));
    } else if (is(type, ResourceTypes.WORK, "ResourceBinding")) {
      cols.add(
          column("Scheduled", "the Scheduled condition", o -> conditionStatus(o, "Scheduled")));
      cols.add(
          column(
              "Fully Applied",
              "the FullyApplied condition",
              o -> conditionStatus(o, "FullyApplied")));
      cols.add(
          column(
              "Clusters",
              "how many clusters it is placed on",
              o -> Integer.toString(o.path("spec").path("clusters").size())));
    } else if (is(type, ResourceTypes.WORK, "Work")) {
      cols.add(
          column(
              "Cluster", "the cluster it applies to", o -> text(o.path("spec").path("cluster"))));
      cols.add(column("Applied", "the Applied condition", o -> conditionStatus(o, "Applied")));
    } else if (is(type, ResourceTypes.NETWORK, "GlobalRoute")) {
      cols.add(
          column(
              "Hostnames",
              "spec.hostnames; * for any host",
              o ->
                  o.path("spec").path("hostnames").isEmpty()
                      ? "*"
                      : joined(texts(o.path("spec").path("hostnames")))));
      cols.add(
          column(
              "Backends",
              "how many Service backends it resolves",
              o -> Integer.toString(o.path("status").path("backends").size())));
      cols.add(
          column(
              "Endpoints",
              "ready endpoints of its backends, across clusters",
              o ->
                  Long.toString(
                      routeEndpoints(o).stream()
                          .filter(e -> e.path("ready").asBoolean())
                          .count())));
      cols.add(
          column(
              "Clusters",
              "how many clusters have endpoints of it",
              o ->
                  Long.toString(
                      routeEndpoints(o).stream()
                          .map(e -> e.path("cluster").asText())
                          .distinct()
                          .count())));
    } else if (is(type, "", "Namespace")) {
      cols.add(
          column(
              "Status",
              "Active or Terminating",
              o -> o.path("status").path("phase").asText("Active")));
    }
    cols.add(
        column(
            "Age",
            "since its creation",
            o -> Age.since(o.path("metadata").path("creationTimestamp").asText(""), now)));
    // with -o wide
    if (is(type, ResourceTypes.FLEET, "Cluster")) {
      cols.add(wide("Zone", "spec.location.zone", o -> location(o, "zone")));
      cols.add(wide("Sync", "Push or Pull", o -> o.path("spec").path("syncMode").asText("Push")));
    } else if (is(type, "apps", "Deployment") || is(type, "apps", "StatefulSet")) {
      cols.add(wide("Containers", "container names", o -> containers(o, "name")));
      cols.add(wide("Images", "container images", o -> containers(o, "image")));
    } else if (is(type, ResourceTypes.WORK, "ResourceBinding")) {
      cols.add(
          wide(
              "Placement",
              "each cluster, with its replicas when divided",
              o -> joined(placement(o))));
    }
    return cols;
  }

  /** The status of a condition of {@code obj}, or {@code Unknown} while it has none. */
  public static String conditionStatus(JsonNode obj, String type) {
    return Conditions.find(obj, type).path("status").asText("Unknown");
  }

  /** A ResourceBinding's clusters, with their replicas when divided ({@code eu-1=4}). */
  public static List<String> placement(JsonNode binding) {
    List<String> placed = new ArrayList<>();
    for (JsonNode c : binding.path("spec").path("clusters")) {
      placed.add(
          c.path("name").asText() + (c.has("replicas") ? "=" + c.path("replicas").asText() : ""));
    }
    return placed;
  }

  /** Every endpoint of a GlobalRoute's backends. */
  private static List<JsonNode> routeEndpoints(JsonNode route) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode b : route.path("status").path("backends")) {
      b.path("endpoints").forEach(out::add);
    }
    return out;
  }

  private static TableColumn column(
      String name, String description, java.util.function.Function<JsonNode, String> cell) {
    return new TableColumn(name, description, false, cell);
  }

  private static TableColumn wide(
      String name, String description, java.util.function.Function<JsonNode, String> cell) {
    return new TableColumn(name, description, true, cell);
  }

  private static boolean is(ResourceType type, String group, String kind) {
    return type.group().equals(group) && type.kind().equals(kind);
  }

  private static String text(JsonNode node) {
    String s = node.isValueNode() ? node.asText("") : "";
    return s.isEmpty() ? NONE : s;
  }

  private static String location(JsonNode cluster, String field) {
    return text(cluster.path("spec").path("location").path(field));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String joined(List<String> items) {
    return items.isEmpty() ? NONE : String.join(",", items);
  }

  /** Simulated clusters must never pass for real ones. */
  private static String simulated(JsonNode o) {
    JsonNode sim = o.path("spec").path("connection").path("simulated");
    return sim.isMissingNode() || sim.isNull() ? "no" : "yes";
  }

  private static String replicasReady(JsonNode o) {
    long desired = o.path("spec").path("replicas").asLong(1);
    long ready = o.path("status").path("readyReplicas").asLong(0);
    return ready + "/" + desired;
  }

  private static String involvedObject(JsonNode o) {
    JsonNode about = o.path("involvedObject");
    return about.path("kind").asText("").toLowerCase(Locale.ROOT)
        + "/"
        + about.path("name").asText("");
  }

  private static String containers(JsonNode o, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
      values.add(c.path(field).asText(""));
    }
    return joined(values);
  }
}
