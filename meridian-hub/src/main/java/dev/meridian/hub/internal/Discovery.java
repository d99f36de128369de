package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ObjectValidator;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kubernetes API discovery ({@code /api}, {@code /apis}, {@code /apis/G/V}, {@code /version}) and
 * the OpenAPI v3 documents, built from the served kinds so kubectl and fabric8 can find them.
 */
public final class Discovery {
  /** The Kubernetes API level the hub's REST surface follows. */
  public static final String KUBERNETES_COMPAT_MAJOR = "1";

  public static final String KUBERNETES_COMPAT_MINOR = "37";

  private static final List<String> VERBS =
      List.of("create", "delete", "get", "list", "patch", "update", "watch");

  private final ResourceTypes types;
  private final String version;

  public Discovery(ResourceTypes types, String version) {
    this.types = types;
    this.version = version;
  }

  public ObjectNode version() {
    ObjectNode v = ResourceCodec.newObject();
    v.put("major", KUBERNETES_COMPAT_MAJOR);
    v.put("minor", KUBERNETES_COMPAT_MINOR);
    v.put(
        "gitVersion",
        "v" + KUBERNETES_COMPAT_MAJOR + "." + KUBERNETES_COMPAT_MINOR + ".0-meridian." + version);
    v.put(
        "platform",
        System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
    v.put("meridianVersion", version);
    return v;
  }

  public ObjectNode coreVersions() {
    ObjectNode o = ResourceCodec.newObject();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    o.putArray("serverAddressByClientCIDRs");
    return o;
  }

  public ObjectNode groupList() {
    ObjectNode o = ResourceCodec.newObject();
    o.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = o.putArray("groups");
    groupVersions().forEach((g, versions) -> groups.add(group(g, versions)));
    return o;
  }

  /** {@code /apis/G}, or null if no such group. */
  public ObjectNode group(String name) {
    List<String> versions = groupVersions().get(name);
    return versions == null ? null : group(name, versions);
  }

  private ObjectNode group(String name, List<String> versions) {
    ObjectNode g = ResourceCodec.newObject();
    g.put("kind", "APIGroup").put("apiVersion", "v1").put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
    }
    g.putObject("preferredVersion")
        .put("groupVersion", name + "/" + versions.get(0))
        .put("version", versions.get(0));
    return g;
  }

  private Map<String, List<String>> groupVersions() {
    // alphabetical, Karmada's group last: kubectl resolves a name several groups serve
    // (propagationpolicies) to the first group that has it, which must be Meridian's
    Map<String, List<String>> out =
        new TreeMap<>(
            java.util.Comparator.comparing(
                    (String g) -> g.equals(dev.meridian.api.karmada.KarmadaPolicies.GROUP))
                .thenComparing(java.util.Comparator.naturalOrder()));
    for (ResourceType t : types.all()) {
      if (!t.group().isEmpty()) {
        List<String> vs = out.computeIfAbsent(t.group(), k -> new java.util.ArrayList<>());
        if (!vs.contains(t.version())) {
          vs.add(t.version());
        }
      }
    }
    return out;
  }

  /** {@code /api/v1} or {@code /apis/G/V}, or null if nothing is served there. */
  public ObjectNode resourceList(String group, String version) {
    ObjectNode o = ResourceCodec.newObject();
    o.put("kind", "APIResourceList").put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = o.putArray("resources");
    for (ResourceType t : types.all()) {
      if (!t.group().equals(group) || !t.version().equals(version)) {
        continue;
      }
      ObjectNode r = resources.addObject();
      r.put("name", t.plural())
          .put("singularName", t.singular())
          .put("namespaced", t.namespaced())
          .put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      VERBS.forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (t.meridian()) {
        r.putArray("categories").add("meridian");
      }
      ObjectNode status = resources.addObject();
      status
          .put("name", t.plural() + "/status")
          .put("singularName", "")
          .put("namespaced", t.namespaced())
          .put("kind", t.kind());
      status.putArray("verbs").add("get").add("patch").add("update");
      if (ScaleSubresource.serves(t)) {
        ObjectNode scale = resources.addObject();
        scale
            .put("name", t.plural() + "/scale")
            .put("singularName", "")
            .put("namespaced", t.namespaced())
            .put("group", "autoscaling")
            .put("version", "v1")
            .put("kind", "Scale");
        scale.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return resources.isEmpty() ? null : o;
  }

  /** {@code /openapi/v3}: one entry per group-version. */
  public ObjectNode openApiIndex() {
    ObjectNode o = ResourceCodec.newObject();
    ObjectNode paths = o.putObject("paths");
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (ResourceType t : types.all()) {
      String gv =
          t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
      if (seen.putIfAbsent(gv, true) == null) {
        paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv);
      }
    }
    return o;
  }

  /** The OpenAPI v3 document of one group-version, or null. */
  public ObjectNode openApi(String group, String version) {
    ObjectNode doc = ResourceCodec.newObject();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Meridian hub").put("version", this.version);
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    boolean any = false;
    for (ResourceType t : types.all()) {
      if (!t.group().equals(group) || !t.version().equals(version)) {
        continue;
      }
      any = true;
      String schemaName =
          (t.group().isEmpty() ? "io.k8s.api.core" : reverse(t.group()))
              + "."
              + t.version()
              + "."
              + t.kind();
      java.util.Optional<dev.meridian.api.KubernetesOpenApi.Schema> builtin =
          dev.meridian.hub.patch.Patches.builtinSchema(t);
      if (builtin.isPresent()) {
        // Kubernetes' own schema, with every schema it refers to
        schemaName = builtin.get().name();
        addWithReferences(schemas, builtin.get().schemas(), schemaName);
      }
      ObjectNode schema =
          builtin.isPresent()
              ? (ObjectNode) schemas.get(schemaName)
              : t.meridian()
                  ? ObjectValidator.schema(t.kind())
                      .map(s -> (ObjectNode) s.deepCopy())
                      .orElseGet(Discovery::openSchema)
                  : openSchema();
      if (builtin.isEmpty()) {
        schema
            .putArray("x-kubernetes-group-version-kind")
            .addObject()
            .put("group", t.group())
            .put("version", t.version())
            .put("kind", t.kind());
      }
      schemas.set(schemaName, schema);
      String ref = "#/components/schemas/" + schemaName;
      String collection = t.collectionPath("{namespace}");
      ObjectNode item = paths.putObject(collection + "/{name}");
      for (String verb : List.of("get", "put", "patch", "delete")) {
        ObjectNode op = item.putObject(verb);
        describeOperation(op, t, !verb.equals("get"));
        if (verb.equals("patch")) {
          // kubectl computes a strategic merge patch from this schema where it is offered
          ObjectNode content = op.putObject("requestBody").putObject("content");
          List<String> types =
              builtin.isPresent()
                  ? List.of(
                      dev.meridian.hub.patch.Patches.JSON_PATCH,
                      dev.meridian.hub.patch.Patches.MERGE_PATCH,
                      dev.meridian.hub.patch.Patches.STRATEGIC_MERGE_PATCH,
                      dev.meridian.hub.patch.Patches.APPLY_PATCH + "+yaml")
                  : List.of(
                      dev.meridian.hub.patch.Patches.JSON_PATCH,
                      dev.meridian.hub.patch.Patches.MERGE_PATCH,
                      dev.meridian.hub.patch.Patches.APPLY_PATCH + "+yaml");
          for (String mediaType : types) {
            content
                .putObject(mediaType)
                .putObject("schema")
                .put("$ref", "#/components/schemas/" + PATCH_SCHEMA);
          }
        }
        op.put("operationId", verb + t.kind())
            .putObject("responses")
            .putObject("200")
            .putObject("content")
            .putObject("application/json")
            .putObject("schema")
            .put("$ref", ref);
      }
      ObjectNode coll = paths.putObject(collection);
      describeOperation(coll.putObject("post"), t, true);
      ((ObjectNode) coll.get("post"))
          .put("operationId", "create" + t.kind())
          .putObject("requestBody")
          .putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("$ref", ref);
      coll.putObject("get")
          .put("operationId", "list" + t.kind())
          .putObject("responses")
          .putObject("200")
          .put("description", "a " + t.kind() + "List");
    }
    if (any && !schemas.has(PATCH_SCHEMA)) {
      schemas
          .putObject(PATCH_SCHEMA)
          .put("type", "object")
          .put(
              "description",
              "Patch is provided to give a concrete name and type to the Kubernetes PATCH request"
                  + " body.");
    }
    return any ? doc : null;
  }

  private static final String PATCH_SCHEMA = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

  /**
   * Marks an operation with its kind and, for writes, the query parameters the hub accepts; kubectl
   * looks for {@code fieldValidation} on PATCH to validate on the server instead of downloading
   * OpenAPI v2.
   */
  private static void describeOperation(ObjectNode op, ResourceType t, boolean write) {
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", t.group())
        .put("version", t.version())
        .put("kind", t.kind());
    if (write) {
      ArrayNode params = op.putArray("parameters");
      for (String p : List.of("dryRun", "fieldValidation", "fieldManager")) {
        params
            .addObject()
            .put("name", p)
            .put("in", "query")
            .putObject("schema")
            .put("type", "string");
      }
    }
  }

  /** Copies schema {@code name} and, transitively, every schema it refers to. */
  private static void addWithReferences(ObjectNode into, JsonNode from, String name) {
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (into.has(n) || !from.has(n)) {
        continue;
      }
      JsonNode s = from.get(n).deepCopy();
      into.set(n, s);
      collectReferences(s, todo);
    }
  }

  private static void collectReferences(JsonNode n, java.util.Deque<String> out) {
    if (n.isObject()) {
      JsonNode ref = n.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
        out.push(ref.asText().substring("#/components/schemas/".length()));
      }
      n.forEach(c -> collectReferences(c, out));
    } else if (n.isArray()) {
      n.forEach(c -> collectReferences(c, out));
    }
  }

  private static ObjectNode openSchema() {
    ObjectNode s = ResourceCodec.newObject();
    s.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    return s;
  }

  private static String reverse(String group) {
    String[] parts = group.split("\\.");
    StringBuilder sb = new StringBuilder();
    for (int i = parts.length - 1; i >= 0; i--) {
      sb.append(sb.isEmpty() ? "" : ".").append(parts[i]);
    }
    return sb.toString();
  }
}
