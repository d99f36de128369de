package dev.meridian.hub.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.ResourceCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Objects seen through their schema as structured-merge-diff sees them, for server-side apply:
 * which fields an object sets ({@link #fieldSet}, as {@code ToFieldSet}), the merge of an applied
 * configuration into the live object ({@link #merge}, as {@code Merge}, lists by their {@code
 * x-kubernetes-list-type}), what changed between two objects ({@link #compare}) and the removal of
 * fields ({@link #remove}).
 *
 * <p>The schema is Kubernetes' OpenAPI for the built-in kinds (list types {@code atomic}, {@code
 * set}, {@code map} with {@code x-kubernetes-list-map-keys}; {@code x-kubernetes-map-type:
 * atomic}), Meridian's own schema for its kinds, or none: a kind without a schema is "deduced", its
 * objects granular maps and its lists atomic, as Kubernetes treats an object it has no schema for.
 */
public final class TypedValues {
  private TypedValues() {}

  /** How a value is tracked. */
  enum Kind {
    /** A scalar, or something owned as a whole (an atomic list or map). */
    LEAF,
    /** An object with declared fields. */
    STRUCT,
    /** An object of arbitrary keys ({@code additionalProperties}, or no schema at all). */
    MAP,
    /** A list whose items are identified by key fields. */
    LIST_MAP,
    /** A list of scalars identified by their value. */
    LIST_SET
  }

  /** A value's kind and what is known about its children. */
  record Type(Kind kind, KubernetesOpenApi.Schema schema, List<String> keys) {
    static final Type DEDUCED_MAP = new Type(Kind.MAP, null, List.of());
    static final Type LEAF = new Type(Kind.LEAF, null, List.of());

    boolean declares(String field) {
      return kind == Kind.STRUCT && schema.resolved().node().path("properties").has(field);
    }

    /** The type of a field's value. */
    Type field(String name, JsonNode value) {
      if (schema == null) {
        return of(null, value);
      }
      JsonNode n = schema.resolved().node();
      if (n.path("properties").has(name)) {
        return of(schema.property(name).orElse(null), value);
      }
      JsonNode ap = n.path("additionalProperties");
      if (ap.isObject()) {
        return of(new KubernetesOpenApi.Schema(schema.name(), schema.schemas(), ap), value);
      }
      return of(null, value);
    }

    /** The type of a list's items. */
    Type item(JsonNode value) {
      return of(schema == null ? null : schema.resolved().items().orElse(null), value);
    }
  }

  /** The type of {@code value} under {@code schema} (null: deduced from the value). */
  static Type of(KubernetesOpenApi.Schema schema, JsonNode value) {
    if (schema == null) {
      return value != null && value.isObject() ? Type.DEDUCED_MAP : Type.LEAF;
    }
    KubernetesOpenApi.Schema s = schema.resolved();
    JsonNode n = s.node();
    String type = n.path("type").asText("");
    if (n.path("x-kubernetes-int-or-string").asBoolean(false)
        || List.of("string", "integer", "number", "boolean").contains(type)) {
      return Type.LEAF;
    }
    if (type.equals("array") || n.has("items")) {
      String listType =
          schema
              .node()
              .path("x-kubernetes-list-type")
              .asText(n.path("x-kubernetes-list-type").asText(""));
      if (listType.equals("map")) {
        List<String> keys = new ArrayList<>();
        JsonNode k = schema.node().path("x-kubernetes-list-map-keys");
        if (!k.isArray()) {
          k = n.path("x-kubernetes-list-map-keys");
        }
        k.forEach(x -> keys.add(x.asText()));
        return new Type(Kind.LIST_MAP, s, keys);
      }
      if (listType.equals("set")) {
        return new Type(Kind.LIST_SET, s, List.of());
      }
      return Type.LEAF;
    }
    String mapType =
        schema
            .node()
            .path("x-kubernetes-map-type")
            .asText(n.path("x-kubernetes-map-type").asText(""));
    if (mapType.equals("atomic")) {
      return Type.LEAF;
    }
    if (n.path("properties").isObject()) {
      return new Type(Kind.STRUCT, s, List.of());
    }
    if (n.path("additionalProperties").isObject()) {
      return new Type(Kind.MAP, s, List.of());
    }
    return of(null, value);
  }

  // --- path elements

  /** The path element of a list item ({@code k:{...}} or {@code v:...}), by the list's type. */
  static String itemElement(Type list, JsonNode item, int index) {
    if (list.kind() == Kind.LIST_MAP && item.isObject()) {
      TreeMap<String, JsonNode> keys = new TreeMap<>();
      for (String k : list.keys()) {
        if (item.has(k)) {
          keys.put(k, item.get(k));
        }
      }
      ObjectNode o = ResourceCodec.newObject();
      keys.forEach(o::set);
      return "k:" + o;
    }
    if (list.kind() == Kind.LIST_SET) {
      return "v:" + item;
    }
    return "i:" + index;
  }

  // --- ToFieldSet

  /** The fields {@code value} sets, as structured-merge-diff's {@code ToFieldSet}. */
  public static FieldSet fieldSet(JsonNode value, KubernetesOpenApi.Schema schema) {
    FieldSet set = new FieldSet();
    walk(value, of(schema, value), new ArrayList<>(), set);
    return set;
  }

  private static void walk(JsonNode v, Type t, List<String> path, FieldSet set) {
    switch (t.kind()) {
      case LEAF -> set.insert(path);
      case LIST_MAP, LIST_SET -> {
        if (!v.isArray()) {
          set.insert(path);
          return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < v.size(); i++) {
          seen.merge(itemElement(t, v.get(i), i), 1, Integer::sum);
        }
        for (int i = 0; i < v.size(); i++) {
          String pe = itemElement(t, v.get(i), i);
          path.add(pe);
          if (seen.get(pe) == 1) {
            walk(v.get(i), t.item(v.get(i)), path, set);
          }
          set.insert(path); // a duplicated item is owned as a whole
          path.remove(path.size() - 1);
        }
      }
      case STRUCT, MAP -> {
        if (!v.isObject()) {
          set.insert(path);
          return;
        }
        v.properties()
            .forEach(
                e -> {
                  path.add("f:" + e.getKey());
                  JsonNode val = e.getValue();
                  walk(val, t.field(e.getKey(), val), path, set);
                  if (val.isNull()
                      || (val.isObject() && val.isEmpty())
                      || !t.declares(e.getKey())) {
                    set.insert(path);
                  }
                  path.remove(path.size() - 1);
                });
      }
    }
  }

  // --- Merge

  /** {@code config} merged into {@code live} (config wins), as structured-merge-diff merges. */
  public static JsonNode merge(JsonNode live, JsonNode config, KubernetesOpenApi.Schema schema) {
    return merge(live, config, of(schema, config));
  }

  private static JsonNode merge(JsonNode l, JsonNode r, Type t) {
    if (r == null) {
      return l;
    }
    if (l == null || l.isNull()) {
      return r;
    }
    switch (t.kind()) {
      case STRUCT, MAP -> {
        if (!l.isObject() || !r.isObject()) {
          return r;
        }
        ObjectNode out = ((ObjectNode) l).deepCopy();
        r.properties()
            .forEach(
                e ->
                    out.set(
                        e.getKey(),
                        merge(l.get(e.getKey()), e.getValue(), t.field(e.getKey(), e.getValue()))));
        return out;
      }
      case LIST_MAP, LIST_SET -> {
        if (!l.isArray() || !r.isArray()) {
          return r;
        }
        return mergeLists((ArrayNode) l, (ArrayNode) r, t);
      }
      default -> {
        return r;
      }
    }
  }

  /** structured-merge-diff's list merge: both orders kept, shared items merged in place. */
  private static ArrayNode mergeLists(ArrayNode lhs, ArrayNode rhs, Type t) {
    List<String> lpe = new ArrayList<>();
    List<String> rpe = new ArrayList<>();
    Map<String, JsonNode> lItems = new LinkedHashMap<>();
    Map<String, JsonNode> rItems = new LinkedHashMap<>();
    for (int i = 0; i < lhs.size(); i++) {
      String pe = itemElement(t, lhs.get(i), i);
      lpe.add(pe);
      lItems.putIfAbsent(pe, lhs.get(i));
    }
    for (int i = 0; i < rhs.size(); i++) {
      String pe = itemElement(t, rhs.get(i), i);
      rpe.add(pe);
      rItems.putIfAbsent(pe, rhs.get(i));
    }
    List<String> shared = new ArrayList<>();
    for (String pe : rpe) {
      if (lItems.containsKey(pe)) {
        shared.add(pe);
      }
    }
    int s = 0;
    String nextShared = s < shared.size() ? shared.get(s++) : null;
    Set<String> merged = new HashSet<>();
    ArrayNode out = ResourceCodec.newArray();
    int li = 0;
    int ri = 0;
    while (li < lpe.size() || ri < rpe.size()) {
      if (li < lpe.size() && ri < rpe.size()) {
        String pe = lpe.get(li);
        if (pe.equals(rpe.get(ri))) {
          merged.add(pe);
          out.add(merge(lItems.get(pe), rItems.get(pe), t.item(rItems.get(pe))));
          li++;
          ri++;
          nextShared = s < shared.size() ? shared.get(s++) : null;
          continue;
        }
        if (rItems.containsKey(pe) && nextShared != null && !nextShared.equals(pe)) {
          li++;
          continue;
        }
      }
      if (li < lpe.size()) {
        String pe = lpe.get(li);
        if (!rItems.containsKey(pe)) {
          out.add(lhs.get(li));
          li++;
          continue;
        } else if (merged.contains(pe)) {
          li++;
        }
      }
      if (ri < rpe.size()) {
        String pe = rpe.get(ri);
        merged.add(pe);
        out.add(merge(lItems.get(pe), rItems.get(pe), t.item(rItems.get(pe))));
        ri++;
        if (pe.equals(nextShared)) {
          nextShared = s < shared.size() ? shared.get(s++) : null;
        }
      }
    }
    return out;
  }

  // --- Compare

  /** What changed from one object to another, field by field. */
  public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {}

  /** The fields added, modified and removed from {@code before} to {@code after}. */
  public static Comparison compare(
      JsonNode before, JsonNode after, KubernetesOpenApi.Schema schema) {
    FieldSet b = fieldSet(before, schema);
    FieldSet a = fieldSet(after, schema);
    FieldSet modified = new FieldSet();
    for (List<String> p : b.intersection(a).paths()) {
      FieldSet nb = node(b, p);
      FieldSet na = node(a, p);
      boolean container =
          (nb != null && !nb.children().isEmpty()) || (na != null && !na.children().isEmpty());
      if (!container
          && !ResourceCodec.sameTree(valueAt(before, p, schema), valueAt(after, p, schema))) {
        modified.insert(p);
      }
    }
    return new Comparison(a.difference(b), modified, b.difference(a));
  }

  private static FieldSet node(FieldSet s, List<String> path) {
    FieldSet n = s;
    for (String pe : path) {
      n = n.child(pe);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  /** The value at {@code path}, or null. */
  static JsonNode valueAt(JsonNode root, List<String> path, KubernetesOpenApi.Schema schema) {
    JsonNode v = root;
    Type t = of(schema, root);
    for (String pe : path) {
      if (v == null) {
        return null;
      }
      if (pe.startsWith("f:")) {
        String f = pe.substring(2);
        JsonNode next = v.get(f);
        t = t.field(f, next);
        v = next;
      } else {
        JsonNode found = null;
        for (int i = 0; v.isArray() && i < v.size(); i++) {
          if (itemElement(t, v.get(i), i).equals(pe)) {
            found = v.get(i);
            break;
          }
        }
        t = t.item(found);
        v = found;
      }
    }
    return v;
  }

  // --- Remove

  /**
   * Removes from {@code value} (in place) the members of {@code remove}, except what {@code keep}
   * still holds below them: an item some other field manager still owns a field of stays, without
   * the fields nobody owns any more. Objects left empty by the removal go too.
   */
  public static void remove(
      JsonNode value, FieldSet remove, FieldSet keep, KubernetesOpenApi.Schema schema) {
    remove(value, of(schema, value), remove, keep);
  }

  private static void remove(JsonNode v, Type t, FieldSet remove, FieldSet keep) {
    for (Map.Entry<String, FieldSet> e : new ArrayList<>(remove.children().entrySet())) {
      String pe = e.getKey();
      FieldSet r = e.getValue();
      FieldSet k = keep == null ? null : keep.child(pe);
      boolean kept = k != null && !k.isEmpty();
      if (pe.startsWith("f:") && v.isObject()) {
        String f = pe.substring(2);
        JsonNode child = v.get(f);
        if (child == null) {
          continue;
        }
        if (r.member() && !kept) {
          ((ObjectNode) v).remove(f);
          continue;
        }
        remove(child, t.field(f, child), r, k);
        if (child.isContainerNode() && child.isEmpty() && !kept) {
          ((ObjectNode) v).remove(f);
        }
      } else if (v.isArray()) {
        ArrayNode list = (ArrayNode) v;
        for (int i = 0; i < list.size(); i++) {
          if (!itemElement(t, list.get(i), i).equals(pe)) {
            continue;
          }
          JsonNode item = list.get(i);
          if (r.member() && !kept) {
            list.remove(i);
          } else {
            remove(item, t.item(item), r, k);
          }
          break;
        }
      }
    }
  }
}
