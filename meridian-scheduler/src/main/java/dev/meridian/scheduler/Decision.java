package dev.meridian.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where one template goes and why: the chosen clusters with their replicas, every other cluster
 * with the reasons it was left out, and, when nothing could be placed, why.
 *
 * @param policy the selecting policy ({@code namespace/name}, or {@code name} for a
 *     ClusterPropagationPolicy); null when none selects the template
 * @param targets the chosen clusters in name order; empty when unschedulable
 * @param exclusions every cluster that is not a target → its reasons ({@code category: detail})
 * @param unschedulable why nothing is placed; null when the template is placed
 * @param warnings what is placed but worth knowing (audit residency findings, capacity short of the
 *     replicas, a fallback affinity, ...)
 * @param affinityName the name of the ordered {@code clusterAffinities} term used; null otherwise
 * @param recheckAfter when the same input, later, may decide otherwise (a tolerated {@code
 *     NoExecute} taint runs out); null when only a change of input can
 */
public record Decision(
    Resource resource,
    String policy,
    List<Target> targets,
    SortedMap<String, List<String>> exclusions,
    String unschedulable,
    List<String> warnings,
    String affinityName,
    Duration recheckAfter) {

  public Decision {
    targets = List.copyOf(targets);
    TreeMap<String, List<String>> ex = new TreeMap<>();
    exclusions.forEach((k, v) -> ex.put(k, List.copyOf(v)));
    exclusions = Collections.unmodifiableSortedMap(ex);
    warnings = List.copyOf(warnings);
  }

  /** A template by its identity; {@code namespace} is empty for cluster-scoped templates. */
  public record Resource(String apiVersion, String kind, String namespace, String name) {
    public static Resource of(JsonNode template) {
      return new Resource(
          Meta.apiVersion(template),
          Meta.kind(template),
          Meta.namespace(template),
          Meta.name(template));
    }

    /** {@code Deployment shop/web}, {@code Namespace shop}. */
    @Override
    public String toString() {
      return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  /**
   * One chosen cluster.
   *
   * @param replicas its share of {@code spec.replicas}; null for kinds without replicas
   */
  public record Target(String cluster, Integer replicas) {}

  /** The decision for a template no policy selects. */
  public static Decision noPolicy(Resource resource) {
    return new Decision(
        resource, null, List.of(), new TreeMap<>(), NO_POLICY, List.of(), null, null);
  }

  /** The {@link #unschedulable} reason of a template no policy selects. */
  public static final String NO_POLICY = "no policy selects it";

  public boolean isScheduled() {
    return unschedulable == null;
  }

  /**
   * The targets as cluster → replicas (0 for kinds without replicas): the next {@code previous}.
   */
  public Map<String, Integer> placement() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Target t : targets) {
      out.put(t.cluster(), t.replicas() == null ? 0 : t.replicas());
    }
    return out;
  }

  /**
   * The decision as {@code meridian plan -o json} prints each one and as the binding carries it:
   * {@code {"resource":{"apiVersion","kind","namespace","name"},"policy","clusters":[{"name",
   * "replicas"}],"excluded":[{"cluster","reasons":[...]}],"unschedulable","warnings":[...],
   * "affinityName"}}. {@code namespace}, {@code policy}, {@code replicas}, {@code unschedulable}
   * and {@code affinityName} are null when they do not apply.
   */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    ObjectNode r = out.putObject("resource");
    r.put("apiVersion", resource.apiVersion());
    r.put("kind", resource.kind());
    if (resource.namespace().isEmpty()) {
      r.putNull("namespace");
    } else {
      r.put("namespace", resource.namespace());
    }
    r.put("name", resource.name());
    out.put("policy", policy);
    ArrayNode clusters = out.putArray("clusters");
    for (Target t : targets) {
      ObjectNode c = clusters.addObject().put("name", t.cluster());
      if (t.replicas() == null) {
        c.putNull("replicas");
      } else {
        c.put("replicas", t.replicas());
      }
    }
    ArrayNode excluded = out.putArray("excluded");
    exclusions.forEach(
        (cluster, reasons) -> {
          ObjectNode e = excluded.addObject().put("cluster", cluster);
          ArrayNode rs = e.putArray("reasons");
          reasons.forEach(rs::add);
        });
    out.put("unschedulable", unschedulable);
    ArrayNode ws = out.putArray("warnings");
    warnings.forEach(ws::add);
    out.put("affinityName", affinityName);
    return out;
  }
}
