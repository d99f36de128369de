package dev.meridian.hub.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.hub.ApiException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-side apply and field ownership ({@code metadata.managedFields}), as kube-apiserver's field
 * manager does them on top of structured-merge-diff:
 *
 * <ul>
 *   <li>{@link #apply}: the applied configuration is merged into the live object; the fields it
 *       sets become its manager's ({@code operation: Apply}); a field another manager owns whose
 *       value would change is a conflict (409, one cause per field and manager, in kube-apiserver's
 *       words) unless forced, which takes it over; fields the manager applied before and no longer
 *       does are removed unless another manager owns them.
 *   <li>{@link #update}: any other write (create, update, patch) gives its manager ({@code
 *       operation: Update}) the fields it added or changed, and takes them from the others.
 * </ul>
 *
 * A request that sets {@code metadata.managedFields} itself (kubectl's client-side to server-side
 * apply upgrade does) has them taken as written. {@code status} and the server's metadata are not
 * tracked (as kube-apiserver resets them for the main resource).
 */
public final class ServerSideApply {
  /** Fields never tracked: what the server sets, and status. */
  private static final List<String> UNTRACKED_METADATA =
      List.of(
          "name",
          "namespace",
          "generateName",
          "creationTimestamp",
          "selfLink",
          "uid",
          "generation",
          "managedFields",
          "resourceVersion",
          "deletionTimestamp",
          "deletionGracePeriodSeconds");

  private ServerSideApply() {}

  /** One entry of {@code metadata.managedFields}. */
  record Entry(
      String manager,
      String operation,
      String apiVersion,
      String time,
      String subresource,
      FieldSet fields) {
    String id() {
      return manager + "\0" + operation + "\0" + subresource;
    }
  }

  /** The object with its managed fields as they result from {@code apply}; see the class. */
  public static ObjectNode apply(
      ObjectNode live,
      ObjectNode config,
      String manager,
      boolean force,
      String apiVersion,
      KubernetesOpenApi.Schema schema,
      Instant now) {
    ObjectNode base = live == null ? emptyLike(config) : live;
    Map<String, Entry> managers = decode(base);
    ObjectNode cfg = withoutNulls(config);
    ObjectNode merged = (ObjectNode) TypedValues.merge(base, cfg, schema);
    Meta.metadata(merged).remove("managedFields");
    String me = manager + "\0Apply\0";
    Entry last = managers.get(me);
    FieldSet applied = tracked(TypedValues.fieldSet(cfg, schema));
    // the time is set later, once it is known whether the object changes
    managers.put(
        me, new Entry(manager, "Apply", apiVersion, last == null ? "" : last.time(), "", applied));
    if (last != null) {
      FieldSet keep = applied;
      for (Entry e : managers.values()) {
        if (!e.id().equals(me)) {
          keep = keep.union(e.fields());
        }
      }
      FieldSet gone = last.fields().difference(keep);
      TypedValues.remove(merged, gone, keep, schema);
    }
    TypedValues.Comparison c = TypedValues.compare(base, merged, schema);
    FieldSet changed = tracked(c.added().union(c.modified()));
    List<Conflict> conflicts = new ArrayList<>();
    for (Entry e : managers.values()) {
      if (!e.id().equals(me)) {
        e.fields().intersection(changed).paths().forEach(p -> conflicts.add(new Conflict(p, e)));
      }
    }
    if (!conflicts.isEmpty() && !force && manager.equals(KUBECTL)) {
      // kube-apiserver's upgrade path from kubectl's client-side apply: a conflict on a field
      // whose live value is still what kubectl last applied client-side is no conflict
      FieldSet allowed = lastAppliedUnchanged(base, schema);
      conflicts.removeIf(x -> allowed.has(x.path()));
    }
    if (!conflicts.isEmpty() && !force) {
      throw conflict(conflicts);
    }
    FieldSet removed = tracked(c.removed());
    // as kube-apiserver's managedFieldsUpdater: the applier's time is now when the object
    // changes; an apply that changes nothing but who owns what leaves the times as they were
    ObjectNode unmanaged = base.deepCopy();
    Meta.metadata(unmanaged).remove("managedFields");
    boolean objectChanged = !ResourceCodec.sameTree(unmanaged, merged);
    Map<String, Entry> next = new LinkedHashMap<>();
    for (Entry e : managers.values()) {
      FieldSet f = e.fields();
      if (e.id().equals(me)) {
        if (!f.isEmpty()) { // a manager that applies nothing owns nothing, and is no entry
          next.put(e.id(), objectChanged ? withFields(e, f, now) : e);
        }
        continue;
      }
      f = f.difference(changed).difference(removed);
      if (!f.isEmpty()) {
        next.put(e.id(), f.equals(e.fields()) ? e : withFields(e, f, null));
      }
    }
    if (manager.equals(KUBECTL)
        && !base.path("metadata").path("annotations").path(LAST_APPLIED).asText("").isEmpty()) {
      // as kube-apiserver's lastAppliedUpdater: kubectl's record stays true for a later
      // client-side apply
      ObjectNode record = config.deepCopy();
      JsonNode annotations = record.path("metadata").path("annotations");
      if (annotations.isObject()) {
        ((ObjectNode) annotations).remove(LAST_APPLIED);
      }
      Meta.metadata(merged).withObjectProperty("annotations").put(LAST_APPLIED, record.toString());
    }
    encode(merged, next);
    return merged;
  }

  /**
   * {@code next} with its managed fields after a write by {@code manager} ({@code operation:
   * Update}) that turned {@code live} (null for a create) into it.
   */
  public static ObjectNode update(
      ObjectNode live,
      ObjectNode next,
      String manager,
      String apiVersion,
      KubernetesOpenApi.Schema schema,
      Instant now) {
    return update(live, next, manager, "", apiVersion, schema, now);
  }

  /** As {@link #update}, by a write to {@code subresource} ({@code scale}; empty: none). */
  public static ObjectNode update(
      ObjectNode live,
      ObjectNode next,
      String manager,
      String subresource,
      String apiVersion,
      KubernetesOpenApi.Schema schema,
      Instant now) {
    Map<String, Entry> managers;
    try {
      managers = decode(next);
    } catch (ApiException e) {
      managers = Map.of();
    }
    if (managers.isEmpty() && live != null) {
      managers = decode(live);
    }
    ObjectNode before = live == null ? emptyLike(next) : live.deepCopy();
    Meta.metadata(before).remove("managedFields");
    ObjectNode after = next.deepCopy();
    Meta.metadata(after).remove("managedFields");
    // a create adds every field: no comparison with the empty object is needed
    TypedValues.Comparison c =
        live == null
            ? new TypedValues.Comparison(
                TypedValues.fieldSet(after, schema), new FieldSet(), new FieldSet())
            : TypedValues.compare(before, after, schema);
    FieldSet changed = tracked(c.added().union(c.modified()));
    FieldSet removed = tracked(c.removed());
    String me = manager + "\0Update\0" + subresource;
    Map<String, Entry> out = new LinkedHashMap<>();
    for (Entry e : managers.values()) {
      if (e.id().equals(me)) {
        continue;
      }
      FieldSet f = e.fields().difference(changed).difference(removed);
      if (!f.isEmpty()) {
        out.put(e.id(), f.equals(e.fields()) ? e : withFields(e, f, null));
      }
    }
    Entry mine = managers.get(me);
    FieldSet f = mine == null ? new FieldSet() : mine.fields().difference(removed);
    f = f.union(changed);
    if (!f.isEmpty()) {
      out.put(
          me,
          mine != null && mine.fields().equals(f)
              ? mine
              : new Entry(manager, "Update", apiVersion, time(now), subresource, f));
    }
    ObjectNode result = next.deepCopy();
    encode(result, out);
    return result;
  }

  // --- managedFields

  /** The entries of {@code metadata.managedFields}; malformed ones are a 400, as kube says. */
  static Map<String, Entry> decode(ObjectNode obj) {
    Map<String, Entry> out = new LinkedHashMap<>();
    JsonNode list = obj.path("metadata").path("managedFields");
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw ApiException.badRequest("metadata.managedFields must be a list");
    }
    for (JsonNode e : list) {
      String manager = e.path("manager").asText("");
      String operation = e.path("operation").asText("");
      if (!operation.equals("Apply") && !operation.equals("Update")) {
        throw ApiException.badRequest(
            "metadata.managedFields: operation must be Apply or Update, not \"" + operation + "\"");
      }
      if (!e.path("fieldsType").asText("FieldsV1").equals("FieldsV1")) {
        throw ApiException.badRequest("metadata.managedFields: fieldsType must be FieldsV1");
      }
      FieldSet fields;
      try {
        fields =
            e.path("fieldsV1").isObject()
                ? FieldSet.fromFieldsV1(e.get("fieldsV1"))
                : new FieldSet();
      } catch (IllegalArgumentException x) {
        throw ApiException.badRequest("metadata.managedFields: " + x.getMessage());
      }
      Entry entry =
          new Entry(
              manager,
              operation,
              e.path("apiVersion").asText(""),
              e.path("time").asText(""),
              e.path("subresource").asText(""),
              fields);
      Entry before = out.get(entry.id());
      out.put(
          entry.id(),
          before == null ? entry : withFields(before, before.fields().union(fields), null));
    }
    return out;
  }

  /**
   * kube-apiserver's order of the entries: operation, time (seconds), manager, version,
   * subresource.
   */
  private static final java.util.Comparator<Entry> ORDER =
      java.util.Comparator.comparing(Entry::operation)
          .thenComparing(e -> seconds(e.time()))
          .thenComparing(Entry::manager)
          .thenComparing(Entry::apiVersion)
          .thenComparing(Entry::subresource);

  private static void encode(ObjectNode obj, Map<String, Entry> managers) {
    if (managers.isEmpty()) {
      Meta.metadata(obj).remove("managedFields");
      return;
    }
    ArrayNode list = Meta.metadata(obj).putArray("managedFields");
    List<Entry> sorted = new ArrayList<>(managers.values());
    sorted.sort(ORDER);
    for (Entry e : sorted) {
      ObjectNode o = list.addObject();
      o.put("manager", e.manager()).put("operation", e.operation());
      o.put("apiVersion", e.apiVersion());
      if (!e.time().isEmpty()) {
        o.put("time", e.time());
      }
      o.put("fieldsType", "FieldsV1");
      o.set("fieldsV1", e.fields().toFieldsV1());
      if (!e.subresource().isEmpty()) {
        o.put("subresource", e.subresource());
      }
    }
  }

  private static Entry withFields(Entry e, FieldSet f, Instant now) {
    return new Entry(
        e.manager(),
        e.operation(),
        e.apiVersion(),
        now == null ? e.time() : time(now),
        e.subresource(),
        f);
  }

  private static long seconds(String time) {
    try {
      return time.isEmpty() ? 0 : Instant.parse(time).getEpochSecond();
    } catch (java.time.format.DateTimeParseException e) {
      return 0;
    }
  }

  private static String time(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Without the fields no manager owns: apiVersion, kind, the server's metadata, status. */
  private static FieldSet tracked(FieldSet s) {
    FieldSet strip = new FieldSet();
    strip.insert(List.of("f:apiVersion"));
    strip.insert(List.of("f:kind"));
    strip.insert(List.of("f:metadata"));
    strip.insert(List.of("f:status"));
    for (String m : UNTRACKED_METADATA) {
      strip.insert(List.of("f:metadata", "f:" + m));
    }
    // status is never anybody's on the main resource
    return s.difference(strip).without("f:status");
  }

  private static ObjectNode emptyLike(ObjectNode obj) {
    ObjectNode o = ResourceCodec.newObject();
    o.put("apiVersion", obj.path("apiVersion").asText(""));
    o.put("kind", obj.path("kind").asText(""));
    ObjectNode meta = o.putObject("metadata");
    for (String f : List.of("name", "namespace")) {
      if (obj.path("metadata").path(f).isTextual()) {
        meta.put(f, obj.path("metadata").path(f).asText());
      }
    }
    return o;
  }

  /** The applied configuration without its null fields, which set nothing. */
  private static ObjectNode withoutNulls(ObjectNode config) {
    ObjectNode copy = config.deepCopy();
    dropNulls(copy);
    return copy;
  }

  private static void dropNulls(JsonNode n) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          dropNulls(e.getValue());
        }
      }
    } else if (n.isArray()) {
      n.forEach(ServerSideApply::dropNulls);
    }
  }

  /** As kube-apiserver prints a manager in a conflict. */
  private static String printManager(Entry e) {
    String s = "\"" + e.manager() + "\"";
    if (!e.subresource().isEmpty()) {
      s += " with subresource \"" + e.subresource() + "\"";
    }
    if (e.operation().equals("Update")) {
      s += " using " + e.apiVersion() + (e.time().isEmpty() ? "" : " at " + e.time());
    }
    return s;
  }

  /** A field {@code path} that {@code owner} owns and an apply would change. */
  private record Conflict(List<String> path, Entry owner) {}

  /** 409 Conflict with one cause per field, as {@code NewApplyConflict}. */
  private static ApiException conflict(List<Conflict> conflicts) {
    List<FieldError> causes = new ArrayList<>();
    Map<String, List<String>> byManager = new TreeMap<>();
    for (Conflict c : conflicts) {
      String who = printManager(c.owner());
      String field = FieldSet.describe(c.path());
      causes.add(
          new FieldError(field, FieldError.Reason.FieldManagerConflict, "conflict with " + who));
      byManager.computeIfAbsent(c.owner().manager(), k -> new ArrayList<>()).add(field);
    }
    String message;
    if (causes.size() == 1) {
      message =
          "Apply failed with 1 conflict: " + causes.get(0).message() + ": " + causes.get(0).field();
    } else {
      List<String> lines = new ArrayList<>();
      Map<String, String> printed = new TreeMap<>();
      conflicts.forEach(c -> printed.put(c.owner().manager(), printManager(c.owner())));
      byManager.forEach(
          (manager, paths) -> {
            lines.add("conflicts with " + printed.get(manager) + ":");
            paths.forEach(p -> lines.add("- " + p));
          });
      message = "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
    }
    return ApiException.applyConflict(message, causes);
  }

  /** The manager kubectl applies as, whose client-side history kube-apiserver honours. */
  private static final String KUBECTL = "kubectl";

  /** kubectl's client-side record of what it applied. */
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /**
   * The fields of kubectl's last client-side apply whose live values are still as it applied them
   * ({@code lastAppliedManager} in kube-apiserver); empty without the annotation.
   */
  private static FieldSet lastAppliedUnchanged(ObjectNode live, KubernetesOpenApi.Schema schema) {
    String text = live.path("metadata").path("annotations").path(LAST_APPLIED).asText("");
    if (text.isEmpty()) {
      return new FieldSet();
    }
    JsonNode last;
    try {
      last = ResourceCodec.JSON.readTree(text);
    } catch (java.io.IOException e) {
      return new FieldSet();
    }
    if (!last.isObject()
        || !last.path("apiVersion").asText("").equals(live.path("apiVersion").asText(""))) {
      return new FieldSet();
    }
    TypedValues.Comparison c = TypedValues.compare(last, live, schema);
    return TypedValues.fieldSet(last, schema)
        .difference(c.modified())
        .difference(c.added())
        .difference(c.removed());
  }
}
