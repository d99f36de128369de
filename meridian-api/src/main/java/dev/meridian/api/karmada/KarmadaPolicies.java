package dev.meridian.api.karmada;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Karmada's policies ({@code policy.karmada.io/v1alpha1} {@code PropagationPolicy}, {@code
 * ClusterPropagationPolicy}, {@code OverridePolicy}) converted to Meridian's kinds of the same
 * names, as a migration path: every field Karmada defines either maps to a Meridian field with the
 * same meaning (Karmada's defaults included: a {@code replicaScheduling} without a type is {@code
 * Divided}) or is refused with a cause naming it; nothing is dropped in silence. {@code
 * docs/karmada.md} has the table.
 *
 * <p>The hub stores a Karmada policy as written and keeps a Meridian twin of it (labelled {@link
 * #DIALECT_LABEL}, annotated with {@link #ORIGIN_ANNOTATION}); {@code meridian import karmada}
 * converts files offline with the same code.
 */
public final class KarmadaPolicies {
  public static final String GROUP = "policy.karmada.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** The kinds converted. {@code ClusterOverridePolicy} has no Meridian counterpart yet. */
  public static final List<String> KINDS =
      List.of("PropagationPolicy", "ClusterPropagationPolicy", "OverridePolicy");

  /**
   * On a twin: the Karmada object it was converted from, {@code policy.karmada.io/v1alpha1/KIND}.
   */
  public static final String ORIGIN_ANNOTATION = "meridian.dev/converted-from";

  /** On a twin: {@code karmada}. */
  public static final String DIALECT_LABEL = "meridian.dev/dialect";

  /**
   * On what {@link #importing} made: the Karmada kind it came from. Not a twin: nothing on the hub
   * keeps it in step with a Karmada object, or deletes it.
   */
  public static final String IMPORTED_ANNOTATION = "meridian.dev/imported-from";

  private static final String MERIDIAN_API_VERSION =
      ResourceTypes.POLICY + "/" + ResourceTypes.MERIDIAN_VERSION;

  /** Karmada's health taints and Meridian's. */
  private static final Map<String, String> TAINT_KEYS =
      Map.of(
          "cluster.karmada.io/not-ready", "cluster.meridian.dev/not-ready",
          "cluster.karmada.io/unreachable", "cluster.meridian.dev/unreachable");

  /** Karmada's cluster field selector keys, and where Meridian keeps the same facts. */
  private static final Map<String, String> LOCATION_KEYS =
      Map.of("provider", "providers", "region", "regions", "zone", "zones");

  private KarmadaPolicies() {}

  /**
   * The Meridian object and the causes that stop the conversion (the object is only usable when
   * there are none).
   */
  public record Conversion(ObjectNode object, List<FieldError> errors) {
    public Conversion {
      errors = List.copyOf(errors);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** Whether {@code apiVersion}/{@code kind} is one of the Karmada kinds converted here. */
  public static boolean converts(String apiVersion, String kind) {
    return API_VERSION.equals(apiVersion) && KINDS.contains(kind);
  }

  /** Converts a Karmada policy into the twin the hub keeps of it; see {@link Conversion}. */
  public static Conversion convert(JsonNode karmada) {
    return convert(karmada, true);
  }

  /** Converts a Karmada policy into a Meridian one of its own (offline import). */
  public static Conversion importing(JsonNode karmada) {
    return convert(karmada, false);
  }

  private static Conversion convert(JsonNode karmada, boolean twin) {
    List<FieldError> errors = new ArrayList<>();
    String kind = karmada.path("kind").asText("");
    ObjectNode out = ResourceCodec.newObject();
    if (!converts(karmada.path("apiVersion").asText(""), kind)) {
      errors.add(
          FieldError.notSupported(
              "kind",
              "not a Karmada kind Meridian converts: "
                  + karmada.path("apiVersion").asText("")
                  + " "
                  + kind
                  + " (it converts "
                  + String.join(", ", KINDS)
                  + " of "
                  + API_VERSION
                  + ")"));
      return new Conversion(out, errors);
    }
    out.put("apiVersion", MERIDIAN_API_VERSION).put("kind", kind);
    out.set("metadata", metadata(karmada.path("metadata"), kind, twin));
    Fields spec = new Fields(karmada.path("spec"), "spec", errors);
    out.set("spec", kind.equals("OverridePolicy") ? overrideSpec(spec) : propagationSpec(spec));
    spec.done();
    return new Conversion(out, errors);
  }

  private static ObjectNode metadata(JsonNode meta, String kind, boolean twin) {
    ObjectNode m = ResourceCodec.newObject();
    for (String f : List.of("name", "generateName", "namespace")) {
      if (meta.path(f).isTextual()) {
        m.put(f, meta.path(f).asText());
      }
    }
    ObjectNode labels = m.putObject("labels");
    if (meta.path("labels").isObject()) {
      labels.setAll((ObjectNode) meta.get("labels"));
    }
    if (twin) {
      labels.put(DIALECT_LABEL, "karmada");
    }
    ObjectNode annotations = m.putObject("annotations");
    if (meta.path("annotations").isObject()) {
      annotations.setAll((ObjectNode) meta.get("annotations"));
    }
    annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
    annotations.put(twin ? ORIGIN_ANNOTATION : IMPORTED_ANNOTATION, API_VERSION + "/" + kind);
    if (labels.isEmpty()) {
      m.remove("labels");
    }
    return m;
  }

  // --- PropagationPolicy, ClusterPropagationPolicy

  private static ObjectNode propagationSpec(Fields spec) {
    ObjectNode out = ResourceCodec.newObject();
    resourceSelectors(spec, out);
    boolean dependencies =
        spec.take("propagateDeps").asBoolean(false)
            // Karmada's deprecated spelling of the same
            || spec.take("association").asBoolean(false);
    if (dependencies) {
      out.put("propagateDependencies", true);
    }
    JsonNode priority = spec.take("priority");
    if (priority.isNumber()) {
      out.put("priority", priority.asInt());
    }
    spec.onlyValues(
        "preemption",
        "Never",
        "not supported yet: Always (preemption of templates"
            + " claimed by a lower-priority policy)");
    spec.notSupported("dependentOverrides", "waiting for named OverridePolicies to exist");
    spec.onlyValues(
        "schedulerName", "default-scheduler", "Meridian has one scheduler, the default one");
    spec.onlyValues("activationPreference", "", "not supported yet: Lazy activation");
    spec.notSupported("suspension", "suspended dispatching");
    spec.notSupported("schedulePriority", "scheduling priority classes");
    String conflict = spec.take("conflictResolution").asText("");
    switch (conflict) {
      case "" -> {}
      case "Abort" -> out.put("conflictResolution", "Abort");
      case "Overwrite" -> out.put("conflictResolution", "Adopt");
      default -> spec.invalid("conflictResolution", "must be Overwrite or Abort, not " + conflict);
    }
    if (spec.take("preserveResourcesOnDeletion").asBoolean(false)) {
      out.put("deletePolicy", "Orphan");
    }
    JsonNode failover = spec.take("failover");
    if (failover.isObject()) {
      Fields f = spec.child(failover, "failover");
      f.notSupported("application", "application failover");
      JsonNode cluster = f.take("cluster");
      if (cluster.isObject()) {
        Fields c = f.child(cluster, "cluster");
        String purge = c.take("purgeMode").asText("");
        c.notSupported("statePreservation", "state preservation on failover");
        String mode =
            switch (purge) {
              case "" -> null;
              case "Directly" -> "Immediately";
              case "Gracefully" -> "Graceful";
              case "Never" -> "Never";
              default -> {
                c.invalid("purgeMode", "must be Directly, Gracefully or Never, not " + purge);
                yield null;
              }
            };
        if (mode != null) {
          out.putObject("failover").put("purgeMode", mode);
        }
        c.done();
      }
      f.done();
    }
    JsonNode placement = spec.take("placement");
    if (placement.isObject()) {
      Fields p = spec.child(placement, "placement");
      out.set("placement", placement(p));
      p.done();
    }
    return out;
  }

  private static void resourceSelectors(Fields spec, ObjectNode out) {
    spec.list(
        "resourceSelectors",
        out,
        "resourceSelectors",
        (f, o) -> {
          for (String name : List.of("apiVersion", "kind", "namespace", "name")) {
            copy(f, o, name, name);
          }
          copy(f, o, "labelSelector", "labelSelector");
        });
  }

  private static ObjectNode placement(Fields p) {
    ObjectNode out = ResourceCodec.newObject();
    JsonNode affinity = p.take("clusterAffinity");
    if (affinity.isObject()) {
      out.set("clusterAffinity", affinity(p.child(affinity, "clusterAffinity"), null));
    }
    p.list(
        "clusterAffinities",
        out,
        "clusterAffinities",
        (t, o) -> {
          t.notSupported("overflowAffinities", "overflow affinities");
          o.setAll(affinity(t, t.take("affinityName").asText("")));
        });
    p.list(
        "clusterTolerations",
        out,
        "clusterTolerations",
        (t, o) -> {
          String key = t.take("key").asText("");
          if (!key.isEmpty()) {
            o.put("key", TAINT_KEYS.getOrDefault(key, key));
          }
          for (String name : List.of("operator", "value", "effect")) {
            copy(t, o, name, name);
          }
          JsonNode seconds = t.take("tolerationSeconds");
          if (seconds.isNumber()) {
            o.put("tolerationSeconds", seconds.asLong());
          }
        });
    p.list(
        "spreadConstraints",
        out,
        "spreadConstraints",
        (s, o) -> {
          s.notSupported("spreadByLabel", "spreading by a cluster label");
          String by = s.take("spreadByField").asText("");
          if (List.of("cluster", "region", "zone", "provider").contains(by)) {
            o.put("spreadBy", by);
          } else if (!by.isEmpty()) {
            s.invalid("spreadByField", "must be cluster, region, zone or provider, not " + by);
          }
          // Karmada's 0 is unset (and its webhook makes minGroups 1)
          for (String name : List.of("minGroups", "maxGroups")) {
            JsonNode v = s.take(name);
            if (v.isNumber() && v.asInt() > 0) {
              o.put(name, v.asInt());
            }
          }
        });
    p.notSupported("workloadAffinity", "workload affinity and anti-affinity");
    JsonNode replicas = p.take("replicaScheduling");
    if (replicas.isObject()) {
      out.set("replicaScheduling", replicaScheduling(p.child(replicas, "replicaScheduling")));
    }
    return out;
  }

  private static ObjectNode replicaScheduling(Fields r) {
    ObjectNode out = ResourceCodec.newObject();
    // Karmada's CRD defaults the type to Divided, its webhook the division to Weighted
    String type = r.take("replicaSchedulingType").asText("");
    if (type.isEmpty()) {
      type = "Divided";
    }
    if (!type.equals("Divided") && !type.equals("Duplicated")) {
      r.invalid("replicaSchedulingType", "must be Duplicated or Divided, not " + type);
    }
    out.put("type", type);
    String division = r.take("replicaDivisionPreference").asText("");
    if (!division.isEmpty()) {
      if (!division.equals("Weighted") && !division.equals("Aggregated")) {
        r.invalid("replicaDivisionPreference", "must be Aggregated or Weighted, not " + division);
      } else if (type.equals("Divided")) {
        out.put("division", division);
      }
    }
    JsonNode weights = r.take("weightPreference");
    if (weights.isObject()) {
      Fields w = r.child(weights, "weightPreference");
      ObjectNode ws = ResourceCodec.newObject();
      w.list(
          "staticWeightList",
          ws,
          "static",
          (s, o) -> {
            o.set("clusters", affinity(s.child(s.take("targetCluster"), "targetCluster"), null));
            JsonNode weight = s.take("weight");
            if (weight.isNumber()) {
              o.put("weight", weight.asLong());
            } else {
              s.required("weight");
            }
          });
      String dynamic = w.take("dynamicWeight").asText("");
      if (dynamic.equals("AvailableReplicas")) {
        ws.put("dynamic", dynamic);
      } else if (!dynamic.isEmpty()) {
        w.invalid("dynamicWeight", "must be AvailableReplicas, not " + dynamic);
      }
      w.done();
      if (!ws.isEmpty()) {
        out.set("weights", ws);
      }
    }
    r.done();
    return out;
  }

  /** A Karmada ClusterAffinity (names, labels, provider/region/zone, exclusions). */
  private static ObjectNode affinity(Fields a, String affinityName) {
    ObjectNode out = ResourceCodec.newObject();
    if (affinityName != null && !affinityName.isEmpty()) {
      out.put("affinityName", affinityName);
    }
    copy(a, out, "clusterNames", "names");
    copy(a, out, "labelSelector", "labelSelector");
    copy(a, out, "exclude", "exclude");
    JsonNode fields = a.take("fieldSelector");
    if (fields.isObject()) {
      Fields f = a.child(fields, "fieldSelector");
      ObjectNode locations = ResourceCodec.newObject();
      int i = 0;
      for (JsonNode e : f.take("matchExpressions")) {
        Fields x = f.child(e, "matchExpressions[" + i++ + "]");
        String key = x.take("key").asText("");
        String operator = x.take("operator").asText("");
        JsonNode values = x.take("values");
        String field = LOCATION_KEYS.get(key);
        if (field == null) {
          x.invalid("key", "must be provider, region or zone, not " + key);
        } else if (!operator.equals("In")) {
          x.notSupported(
              "operator", operator + " (only In: a location field lists what it allows)");
        } else if (locations.has(field)) {
          x.invalid("key", key + " is already selected by an earlier expression");
        } else {
          locations.set(field, values.isArray() ? values : ResourceCodec.newArray());
        }
        x.done();
      }
      f.done();
      if (!locations.isEmpty()) {
        out.set("locations", locations);
      }
    }
    a.done();
    return out;
  }

  // --- OverridePolicy

  private static ObjectNode overrideSpec(Fields spec) {
    ObjectNode out = ResourceCodec.newObject();
    resourceSelectors(spec, out);
    spec.list("overrideRules", out, "overrideRules", (r, o) -> o.setAll(overrideRule(r)));
    ArrayNode rules = out.withArrayProperty("overrideRules");
    // the deprecated single rule, which Karmada ignores when overrideRules is set
    JsonNode target = spec.take("targetCluster");
    JsonNode overriders = spec.take("overriders");
    boolean single = target.isObject() || (overriders.isObject() && !overriders.isEmpty());
    if (single && !rules.isEmpty()) {
      spec.invalid(
          "overriders",
          "Karmada ignores targetCluster and overriders when overrideRules is set: remove them"
              + " or move them into overrideRules");
    } else if (single) {
      ObjectNode r = rules.addObject();
      if (target.isObject()) {
        r.set("targetCluster", affinity(spec.child(target, "targetCluster"), null));
      }
      r.set("overriders", overriders(spec.child(overriders, "overriders")));
    }
    return out;
  }

  private static ObjectNode overrideRule(Fields r) {
    ObjectNode out = ResourceCodec.newObject();
    JsonNode target = r.take("targetCluster");
    if (target.isObject()) {
      out.set("targetCluster", affinity(r.child(target, "targetCluster"), null));
    }
    out.set("overriders", overriders(r.child(r.take("overriders"), "overriders")));
    return out;
  }

  /** Karmada and Meridian apply a rule's overriders in the same order: image … plaintext last. */
  private static ObjectNode overriders(Fields o) {
    ObjectNode out = ResourceCodec.newObject();
    o.list(
        "imageOverrider",
        out,
        "imageOverrider",
        (f, m) -> {
          copy(f, m, "component", "component");
          copy(f, m, "operator", "operator");
          copy(f, m, "value", "value");
          JsonNode predicate = f.take("predicate");
          if (predicate.isObject()) {
            Fields p = f.child(predicate, "predicate");
            m.putObject("predicate").put("path", p.take("path").asText(""));
            p.done();
          }
        });
    o.notSupported("commandOverrider", "overriding container commands (args are: argsOverrider)");
    o.list(
        "argsOverrider",
        out,
        "args",
        (f, m) -> {
          copy(f, m, "containerName", "container");
          String operator = f.take("operator").asText("");
          if (operator.equals("add") || operator.equals("remove")) {
            m.put("operator", operator);
          } else {
            f.invalid("operator", "must be add or remove, not " + operator);
          }
          JsonNode value = f.take("value");
          m.set("value", value.isArray() ? value : ResourceCodec.newArray());
        });
    BiConsumer<Fields, ObjectNode> map =
        (f, m) -> {
          copy(f, m, "operator", "operator");
          JsonNode value = f.take("value");
          m.set("value", value.isObject() ? value : ResourceCodec.newObject());
        };
    o.list("labelsOverrider", out, "labels", map);
    o.list("annotationsOverrider", out, "annotations", map);
    o.notSupported("fieldOverrider", "overriding fields inside embedded JSON or YAML documents");
    o.list(
        "plaintext",
        out,
        "plaintext",
        (f, m) -> {
          copy(f, m, "operator", "op");
          copy(f, m, "path", "path");
          JsonNode value = f.take("value");
          if (!value.isMissingNode() && !value.isNull()) {
            m.set("value", value);
          }
        });
    o.done();
    return out;
  }

  /** Copies a field that says something (a string, a list or an object, not empty). */
  private static void copy(Fields from, ObjectNode to, String name, String as) {
    JsonNode v = from.take(name);
    if ((v.isTextual() && !v.asText().isEmpty()) || (v.isContainerNode() && !v.isEmpty())) {
      to.set(as, v);
    }
  }

  /**
   * One object of the Karmada document being read: which of its fields were read, so that any other
   * is reported as unknown, never dropped.
   */
  private static final class Fields {
    private final JsonNode node;
    private final String path;
    private final List<FieldError> errors;
    private final Set<String> read = new HashSet<>();
    private boolean done;

    Fields(JsonNode node, String path, List<FieldError> errors) {
      this.node = node;
      this.path = path;
      this.errors = errors;
      if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
        errors.add(FieldError.invalid(path, "must be an object"));
      }
    }

    Fields child(JsonNode n, String name) {
      return new Fields(n, path + "." + name, errors);
    }

    JsonNode take(String name) {
      read.add(name);
      return node.path(name);
    }

    /** A Karmada field with no Meridian counterpart yet: refused when it says anything. */
    void notSupported(String name, String what) {
      JsonNode v = take(name);
      if (!isEmpty(v)) {
        errors.add(FieldError.notSupported(path + "." + name, "not supported yet: " + what));
      }
    }

    /** A Karmada field whose only supported value (or empty) is {@code allowed}. */
    void onlyValues(String name, String allowed, String why) {
      String v = take(name).asText("");
      if (!v.isEmpty() && !v.equals(allowed)) {
        errors.add(FieldError.notSupported(path + "." + name, why));
      }
    }

    void invalid(String name, String message) {
      errors.add(FieldError.invalid(path + "." + name, message));
    }

    void required(String name) {
      errors.add(FieldError.required(path + "." + name));
    }

    /**
     * Converts each item of the list {@code name} (when it has any) into an object of the list
     * {@code as} of {@code out}.
     */
    void list(String name, ObjectNode out, String as, BiConsumer<Fields, ObjectNode> item) {
      JsonNode items = take(name);
      if (!items.isArray() || items.isEmpty()) {
        return;
      }
      ArrayNode list = out.putArray(as);
      int i = 0;
      for (JsonNode n : items) {
        Fields f = child(n, name + "[" + i++ + "]");
        item.accept(f, list.addObject());
        f.done();
      }
    }

    /** Reports the fields nobody read (once). */
    void done() {
      if (!node.isObject() || done) {
        return;
      }
      done = true;
      Map<String, JsonNode> unread = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!read.contains(e.getKey())) {
          unread.put(e.getKey(), e.getValue());
        }
      }
      unread
          .keySet()
          .forEach(
              k ->
                  errors.add(
                      FieldError.invalid(
                          path + "." + k, "unknown field \"" + k + "\" (not a Karmada field)")));
    }

    private static boolean isEmpty(JsonNode v) {
      return v.isMissingNode()
          || v.isNull()
          || (v.isContainerNode() && v.isEmpty())
          || (v.isTextual() && v.asText().isEmpty())
          || (v.isBoolean() && !v.asBoolean());
    }
  }
}
