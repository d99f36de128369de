package dev.meridian.hub.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.KubernetesOpenApi.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}), applied as
 * kube-apiserver applies it ({@code k8s.io/apimachinery/pkg/util/strategicpatch}, {@code
 * StrategicMergeMapPatch}: parallel lists merged, unmatched nulls ignored): maps merge, lists merge
 * by their {@code x-kubernetes-patch-merge-key} where {@code x-kubernetes-patch-strategy} says
 * {@code merge} and are replaced otherwise, with the directives {@code $patch:
 * replace|delete|merge}, {@code $deleteFromPrimitiveList/FIELD}, {@code $setElementOrder/FIELD} and
 * {@code $retainKeys}. The keys and strategies come from the built-in OpenAPI of the pinned
 * Kubernetes version.
 *
 * <p>The port follows the Go code step for step, list order included (see {@link GoStableSort}).
 * Two deliberate differences: a subtree that the patch adds (nothing to merge it into) loses every
 * directive, not only {@code $patch} (kube-apiserver drops the others when it decodes into its Go
 * types; the hub stores templates as JSON); and a key that starts with {@code $} and is no
 * directive is refused, where kube-apiserver would answer "unknown field" or ignore it.
 */
public final class StrategicMergePatch {
  static final String DIRECTIVE = "$patch";
  static final String DELETE = "delete";
  static final String REPLACE = "replace";
  static final String MERGE = "merge";
  static final String RETAIN_KEYS_STRATEGY = "retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";

  // the messages of k8s.io/apimachinery/pkg/util/mergepatch
  static final String BAD_JSON_DOC = "invalid JSON document";
  static final String NO_LIST_OF_LISTS = "lists of lists are not supported";
  static final String BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
  static final String BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
  static final String BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";

  private StrategicMergePatch() {}

  /** A patch that cannot be applied: 400, or 422 where kube-apiserver answers so. */
  public static final class PatchException extends RuntimeException {
    private final int code;

    PatchException(int code, String message) {
      super(message);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /**
   * Applies {@code patch} to a copy of {@code original}.
   *
   * @param schema the kind's schema, from {@link dev.meridian.api.KubernetesOpenApi}
   */
  public static ObjectNode apply(ObjectNode original, JsonNode patch, Schema schema) {
    if (patch == null || !patch.isObject()) {
      throw bad(BAD_JSON_DOC);
    }
    ObjectNode result = mergeMap(original.deepCopy(), (ObjectNode) patch.deepCopy(), meta(schema));
    checkNoDirectiveLeft(result, "");
    return result;
  }

  // ---- the schema, as LookupPatchMeta

  /** A resolved schema node, or null where the schema says nothing (merged without keys). */
  private static Schema meta(Schema s) {
    return s == null ? null : s.resolved();
  }

  private record Lookup(Schema schema, String mergeKey, List<String> strategies) {
    static final Lookup NONE = new Lookup(null, "", List.of());
  }

  private static Lookup forStruct(Schema s, String key) {
    if (s == null) {
      return Lookup.NONE;
    }
    return s.property(key)
        .map(p -> new Lookup(p.resolved(), p.patchMergeKey(), p.patchStrategies()))
        .orElse(Lookup.NONE);
  }

  private static Lookup forSlice(Schema s, String key) {
    if (s == null) {
      return Lookup.NONE;
    }
    return s.property(key)
        .map(p -> new Lookup(p.items().orElse(null), p.patchMergeKey(), p.patchStrategies()))
        .orElse(Lookup.NONE);
  }

  /** The strategy other than {@code retainKeys} (extractRetainKeysPatchStrategy). */
  private static String strategy(List<String> strategies) {
    switch (strategies.size()) {
      case 0:
        return "";
      case 1:
        return strategies.get(0).equals(RETAIN_KEYS_STRATEGY) ? "" : strategies.get(0);
      case 2:
        if (strategies.get(0).equals(RETAIN_KEYS_STRATEGY)) {
          return strategies.get(1);
        }
        if (strategies.get(1).equals(RETAIN_KEYS_STRATEGY)) {
          return strategies.get(0);
        }
        throw bad("unexpected patch strategy: " + goList(strategies));
      default:
        throw bad("unexpected patch strategy: " + goList(strategies));
    }
  }

  // ---- maps

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema s) {
    if (patch.has(DIRECTIVE)) {
      JsonNode directive = patch.get(DIRECTIVE);
      if (directive.isTextual() && directive.asText().equals(REPLACE)) {
        patch.remove(DIRECTIVE);
        return patch;
      }
      if (directive.isTextual() && directive.asText().equals(DELETE)) {
        return JsonNodeFactory.instance.objectNode();
      }
      throw badPatchType(directive, patch);
    }
    if (original == null) {
      original = JsonNodeFactory.instance.objectNode();
    }
    applyRetainKeys(original, patch);
    mergePatchIntoOriginal(original, patch, s);

    for (Map.Entry<String, JsonNode> e : List.copyOf(patch.properties())) {
      String k = e.getKey();
      JsonNode patchV = e.getValue();
      boolean isDeleteList = false;
      if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        k = extractKey(k, DELETE_FROM_PRIMITIVE_LIST);
        isDeleteList = true;
      } else if (k.startsWith("$")) {
        throw bad("unknown strategic merge patch directive " + quote(k));
      }
      if (patchV.isNull()) {
        original.remove(k);
        continue;
      }
      JsonNode originalV = original.get(k);
      if (originalV == null || kind(originalV) != kind(patchV)) {
        if (!isDeleteList) {
          JsonNode v = removeDirectives(discardNulls(patchV));
          if (v == null) {
            original.remove(k);
          } else {
            original.set(k, v);
          }
        }
        continue;
      }
      switch (kind(originalV)) {
        case MAP -> {
          Lookup l = forStruct(s, k);
          String strategy = strategy(l.strategies());
          original.set(
              k,
              strategy.equals(REPLACE)
                  ? patchV
                  : mergeMap((ObjectNode) originalV, (ObjectNode) patchV, l.schema()));
        }
        case LIST -> {
          Lookup l = forSlice(s, k);
          String strategy = strategy(l.strategies());
          original.set(
              k,
              strategy.equals(MERGE) || isDeleteList
                  ? array(
                      mergeSlice(
                          list(originalV), list(patchV), l.schema(), l.mergeKey(), isDeleteList, k))
                  : patchV);
        }
        default -> {
          JsonNode v = removeDirectives(patchV);
          if (v == null) {
            original.remove(k);
          } else {
            original.set(k, v);
          }
        }
      }
    }
    return original;
  }

  private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
    if (!patch.has(RETAIN_KEYS)) {
      return;
    }
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (!retain.isArray()) {
      throw bad(BAD_RETAIN_KEYS);
    }
    Set<String> keep = new HashSet<>();
    retain.forEach(v -> keep.add(v.isTextual() ? v.asText() : "\0" + v));
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      if (e.getValue().isNull()
          || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)
          || k.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      if (!keep.contains(k)) {
        throw bad(BAD_RETAIN_KEYS);
      }
    }
    original.properties().removeIf(e -> !keep.contains(e.getKey()));
  }

  /** The {@code $setElementOrder/FIELD} lists, each merged with its list and ordered by it. */
  private static void mergePatchIntoOriginal(ObjectNode original, ObjectNode patch, Schema s) {
    for (String key : fieldNames(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      JsonNode setOrderNode = patch.remove(key);
      if (!setOrderNode.isArray()) {
        throw badArgType("[]interface {}", setOrderNode);
      }
      List<JsonNode> setOrder = list(setOrderNode);
      String originalKey = extractKey(key, SET_ELEMENT_ORDER);
      JsonNode originalList = original.get(originalKey);
      JsonNode patchList = patch.get(originalKey);
      List<JsonNode> originalFieldValue = List.of();
      List<JsonNode> patchFieldValue = List.of();
      if (originalList != null) {
        if (!originalList.isArray()) {
          throw badArgType("[]interface {}", originalList);
        }
        originalFieldValue = list(originalList);
      }
      if (patchList != null) {
        if (!patchList.isArray()) {
          throw badArgType("[]interface {}", patchList);
        }
        patchFieldValue = list(patchList);
      }
      Lookup l = forSlice(s, originalKey);
      String strategy = strategy(l.strategies());
      String mergeKey = l.mergeKey();
      validatePatchWithSetOrderList(patchFieldValue, setOrder, mergeKey);

      List<JsonNode> merged;
      if (originalList != null && patchList == null) {
        merged = originalFieldValue;
      } else if (originalList == null && patchList != null) {
        merged = list(removeDirectives(patchList));
      } else if (originalList != null) {
        merged =
            strategy.equals(MERGE)
                ? mergeSlice(
                    new ArrayList<>(originalFieldValue),
                    new ArrayList<>(patchFieldValue),
                    l.schema(),
                    mergeKey,
                    false,
                    originalKey)
                : patchFieldValue;
      } else {
        continue;
      }
      List<List<JsonNode>> parts =
          mergeKey.isEmpty()
              ? partitionPrimitives(merged, setOrder)
              : partitionMaps(merged, setOrder, mergeKey);
      Kind kind = sliceElementType(originalFieldValue, patchFieldValue);
      original.set(
          originalKey,
          array(
              normalizeElementOrder(
                  parts.get(0), parts.get(1), setOrder, originalFieldValue, mergeKey, kind)));
      patch.remove(originalKey);
    }
  }

  private static void validatePatchWithSetOrderList(
      List<JsonNode> patchList, List<JsonNode> setOrder, String mergeKey) {
    if (setOrder.isEmpty() || patchList.isEmpty()) {
      return;
    }
    List<JsonNode> nonDelete = mergeKey.isEmpty() ? patchList : extractToDelete(patchList).get(0);
    int pi = 0;
    int si = 0;
    while (pi < nonDelete.size() && si < setOrder.size()) {
      if (nonDelete.get(pi).isObject() && nonDelete.get(pi).has(DIRECTIVE)) {
        pi++;
        continue;
      }
      if (mergeKeyValueEqual(nonDelete.get(pi), setOrder.get(si), mergeKey)) {
        pi++;
      }
      si++;
    }
    if (pi < nonDelete.size() && si >= setOrder.size()) {
      throw bad(
          "The order in patch list:\n"
              + patchList
              + "\n doesn't match "
              + SET_ELEMENT_ORDER
              + " list:\n"
              + setOrder
              + "\n");
    }
  }

  private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey) {
    if (mergeKey.isEmpty()) {
      return same(left, right);
    }
    if (!left.isObject()) {
      throw badArgType("map[string]interface {}", left);
    }
    if (!right.isObject()) {
      throw badArgType("map[string]interface {}", right);
    }
    if (!left.has(mergeKey)) {
      throw noMergeKey(left, mergeKey);
    }
    if (!right.has(mergeKey)) {
      throw noMergeKey(right, mergeKey);
    }
    return same(left.get(mergeKey), right.get(mergeKey));
  }

  // ---- lists

  private static List<JsonNode> mergeSlice(
      List<JsonNode> original,
      List<JsonNode> patch,
      Schema s,
      String mergeKey,
      boolean isDeleteList,
      String field) {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    Kind kind = sliceElementType(original, patch);
    List<JsonNode> merged;
    if (kind != Kind.MAP) {
      if (isDeleteList) {
        return deleteFromSlice(original, patch);
      }
      List<JsonNode> both = new ArrayList<>(original);
      both.addAll(patch);
      merged = deduplicateScalars(both);
    } else {
      if (mergeKey.isEmpty()) {
        throw bad(
            "cannot merge lists without merge key for "
                + (s == null ? "field " + quote(field) : s.name()));
      }
      List<List<JsonNode>> special = mergeSliceWithSpecialElements(original, patch, mergeKey);
      original = special.get(0);
      patch = special.get(1);
      merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, s);
    }
    List<List<JsonNode>> parts =
        mergeKey.isEmpty()
            ? partitionPrimitives(merged, patch)
            : partitionMaps(merged, patch, mergeKey);
    return normalizeElementOrder(parts.get(0), parts.get(1), patch, original, mergeKey, kind);
  }

  /** {@code $patch: delete} and {@code replace} items; returns [original, patch without them]. */
  private static List<List<JsonNode>> mergeSliceWithSpecialElements(
      List<JsonNode> original, List<JsonNode> patch, String mergeKey) {
    List<JsonNode> without = new ArrayList<>();
    boolean replace = false;
    for (JsonNode v : patch) {
      JsonNode type = v.get(DIRECTIVE);
      if (type == null) {
        without.add(v);
        continue;
      }
      String t = type.isTextual() ? type.asText() : "\0";
      switch (t) {
        case DELETE -> {
          if (!v.has(mergeKey)) {
            throw noMergeKey(v, mergeKey);
          }
          original = deleteMatchingEntries(original, mergeKey, v.get(mergeKey));
        }
        case REPLACE -> replace = true;
        case MERGE -> throw bad("merging lists cannot yet be specified in the patch");
        default -> throw badPatchType(type, v);
      }
    }
    if (replace) {
      return List.of(without, new ArrayList<>());
    }
    return List.of(original, without);
  }

  private static List<JsonNode> deleteMatchingEntries(
      List<JsonNode> original, String mergeKey, JsonNode value) {
    List<JsonNode> out = new ArrayList<>(original);
    while (true) {
      int i = findMapInSlice(out, mergeKey, value);
      if (i < 0) {
        return out;
      }
      out.remove(i);
    }
  }

  private static List<JsonNode> mergeSliceWithoutSpecialElements(
      List<JsonNode> original, List<JsonNode> patch, String mergeKey, Schema s) {
    List<JsonNode> out = new ArrayList<>(original);
    for (JsonNode v : patch) {
      if (!v.has(mergeKey)) {
        throw noMergeKey(v, mergeKey);
      }
      int i = findMapInSlice(out, mergeKey, v.get(mergeKey));
      if (i >= 0) {
        out.set(i, mergeMap((ObjectNode) out.get(i), (ObjectNode) v, s));
      } else {
        out.add(v);
      }
    }
    return out;
  }

  private static int findMapInSlice(List<JsonNode> list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i);
      if (!v.isObject()) {
        throw bad("value for key " + i + " is not a map");
      }
      if (v.has(key) && same(v.get(key), value)) {
        return i;
      }
    }
    return -1;
  }

  private static List<JsonNode> deleteFromSlice(List<JsonNode> current, List<JsonNode> toDelete) {
    List<JsonNode> out = new ArrayList<>(current.size());
    for (JsonNode v : current) {
      if (toDelete.stream().noneMatch(d -> same(d, v))) {
        out.add(v);
      }
    }
    return out;
  }

  /** Go's deduplicateScalars, which moves the last item into a duplicate's place. */
  private static List<JsonNode> deduplicateScalars(List<JsonNode> s) {
    List<JsonNode> out = new ArrayList<>(s);
    int length = out.size() - 1;
    for (int i = 0; i < length; i++) {
      for (int j = i + 1; j <= length; j++) {
        if (same(out.get(i), out.get(j))) {
          out.set(j, out.get(length));
          out.remove(length);
          length--;
          j--;
        }
      }
    }
    return out;
  }

  private static List<List<JsonNode>> partitionPrimitives(
      List<JsonNode> original, List<JsonNode> partitionBy) {
    List<JsonNode> patch = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode v : original) {
      if (partitionBy.stream().anyMatch(p -> same(p, v))) {
        patch.add(v);
      } else {
        serverOnly.add(v);
      }
    }
    return List.of(patch, serverOnly);
  }

  private static List<List<JsonNode>> partitionMaps(
      List<JsonNode> original, List<JsonNode> partitionBy, String mergeKey) {
    List<JsonNode> patch = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode v : original) {
      if (!v.isObject()) {
        throw badArgType("map[string]interface {}", v);
      }
      if (!v.has(mergeKey)) {
        throw noMergeKey(v, mergeKey);
      }
      if (findMapInSlice(partitionBy, mergeKey, v.get(mergeKey)) >= 0) {
        patch.add(v);
      } else {
        serverOnly.add(v);
      }
    }
    return List.of(patch, serverOnly);
  }

  private static List<JsonNode> normalizeElementOrder(
      List<JsonNode> patch,
      List<JsonNode> serverOnly,
      List<JsonNode> patchOrder,
      List<JsonNode> serverOrder,
      String mergeKey,
      Kind kind) {
    List<JsonNode> p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
    List<JsonNode> so = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
    return mergeSortedSlice(so, p, serverOrder, mergeKey, kind);
  }

  private static List<JsonNode> normalizeSliceOrder(
      List<JsonNode> toSort, List<JsonNode> order, String mergeKey, Kind kind) {
    List<JsonNode> sorted = new ArrayList<>(toSort);
    List<JsonNode> toDelete = List.of();
    if (kind == Kind.MAP) {
      validateMergeKeyInLists(mergeKey, sorted, order);
      List<List<JsonNode>> parts = extractToDelete(sorted);
      sorted = new ArrayList<>(parts.get(0));
      toDelete = parts.get(1);
    }
    List<JsonNode> s = sorted;
    GoStableSort.sort(
        s,
        (i, j) -> {
          int ii = index(order, s.get(i), mergeKey, kind);
          if (ii >= 0) {
            int ij = index(order, s.get(j), mergeKey, kind);
            if (ij >= 0) {
              return ii < ij;
            }
          }
          return true;
        });
    s.addAll(toDelete);
    return s;
  }

  private static List<JsonNode> mergeSortedSlice(
      List<JsonNode> left,
      List<JsonNode> right,
      List<JsonNode> serverOrder,
      String mergeKey,
      Kind kind) {
    int size = left.size() + right.size();
    List<JsonNode> s = new ArrayList<>(size);
    int i = 0;
    int j = 0;
    for (int k = 0; k < size; k++) {
      if (i >= left.size() && j < right.size()) {
        s.add(right.get(j++));
      } else if (j >= right.size() && i < left.size()) {
        s.add(left.get(i++));
      } else {
        int li = index(serverOrder, left.get(i), mergeKey, kind);
        int ri = index(serverOrder, right.get(j), mergeKey, kind);
        if (li >= 0 && ri >= 0 && li < ri) {
          s.add(left.get(i++));
        } else {
          s.add(right.get(j++));
        }
      }
    }
    return s;
  }

  private static int index(List<JsonNode> l, JsonNode value, String mergeKey, Kind kind) {
    JsonNode wanted = kind == Kind.MAP ? keyOf(value, mergeKey) : value;
    for (int i = 0; i < l.size(); i++) {
      JsonNode v = kind == Kind.MAP ? keyOf(l.get(i), mergeKey) : l.get(i);
      if (same(wanted, v)) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode keyOf(JsonNode item, String mergeKey) {
    if (!item.isObject()) {
      return NullNode.instance;
    }
    JsonNode v = item.get(mergeKey);
    return v == null ? NullNode.instance : v;
  }

  private static void validateMergeKeyInLists(String mergeKey, List<JsonNode> a, List<JsonNode> b) {
    for (List<JsonNode> list : List.of(a, b)) {
      for (JsonNode item : list) {
        if (!item.isObject()) {
          throw badArgType("map[string]interface {}", item);
        }
        if (!item.has(mergeKey)) {
          throw noMergeKey(item, mergeKey);
        }
      }
    }
  }

  /** [items to keep, items with {@code $patch: delete}]. */
  private static List<List<JsonNode>> extractToDelete(List<JsonNode> l) {
    List<JsonNode> keep = new ArrayList<>();
    List<JsonNode> delete = new ArrayList<>();
    for (JsonNode v : l) {
      if (!v.isObject()) {
        throw badArgType("map[string]interface {}", v);
      }
      JsonNode d = v.get(DIRECTIVE);
      if (d != null && d.isTextual() && d.asText().equals(DELETE)) {
        delete.add(v);
      } else {
        keep.add(v);
      }
    }
    return List.of(keep, delete);
  }

  // ---- values

  private enum Kind {
    MAP,
    LIST,
    STRING,
    NUMBER,
    BOOL,
    NULL
  }

  private static Kind kind(JsonNode n) {
    if (n.isObject()) {
      return Kind.MAP;
    }
    if (n.isArray()) {
      return Kind.LIST;
    }
    if (n.isTextual()) {
      return Kind.STRING;
    }
    if (n.isNumber()) {
      return Kind.NUMBER;
    }
    if (n.isBoolean()) {
      return Kind.BOOL;
    }
    return Kind.NULL;
  }

  @SafeVarargs
  private static Kind sliceElementType(List<JsonNode>... slices) {
    Kind prev = null;
    for (List<JsonNode> s : slices) {
      for (JsonNode v : s) {
        Kind k = kind(v);
        if (prev == null) {
          if (k == Kind.LIST) {
            throw new PatchException(422, NO_LIST_OF_LISTS);
          }
          prev = k;
        } else if (prev != k) {
          throw bad("list element types are not identical: " + goList(List.of((Object[]) slices)));
        }
      }
    }
    if (prev == null) {
      throw bad("no elements in any of the given slices");
    }
    return prev;
  }

  /** Go's == on decoded JSON scalars: numbers by value. */
  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** Drops {@code $patch} maps, and (see the class comment) the other directives' keys. */
  private static JsonNode removeDirectives(JsonNode obj) {
    if (obj.isObject()) {
      if (obj.has(DIRECTIVE)) {
        return null;
      }
      ObjectNode o = (ObjectNode) obj;
      for (String k : fieldNames(o)) {
        if (k.startsWith(SET_ELEMENT_ORDER)
            || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)
            || k.equals(RETAIN_KEYS)) {
          o.remove(k);
          continue;
        }
        JsonNode v = removeDirectives(o.get(k));
        if (v == null) {
          o.remove(k);
        } else {
          o.set(k, v);
        }
      }
      return o;
    }
    if (obj.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode v : obj) {
        JsonNode kept = removeDirectives(v);
        if (kept != null) {
          out.add(kept);
        }
      }
      return out;
    }
    return obj;
  }

  private static JsonNode discardNulls(JsonNode v) {
    if (v.isObject()) {
      ((ObjectNode) v).properties().removeIf(e -> e.getValue().isNull());
      v.forEach(StrategicMergePatch::discardNulls);
    } else if (v.isArray()) {
      v.forEach(StrategicMergePatch::discardNulls);
    }
    return v;
  }

  private static void checkNoDirectiveLeft(JsonNode n, String path) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (e.getKey().startsWith("$")) {
          throw bad(
              "unknown strategic merge patch directive "
                  + quote(e.getKey())
                  + (path.isEmpty() ? "" : " in " + path));
        }
        checkNoDirectiveLeft(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        checkNoDirectiveLeft(n.get(i), path + "[" + i + "]");
      }
    }
  }

  private static String extractKey(String s, String prefix) {
    String[] parts = s.split("/", 2);
    if (parts.length <= 1 || !parts[0].equals(prefix)) {
      throw bad(
          prefix.equals(DELETE_FROM_PRIMITIVE_LIST) ? BAD_PRIMITIVE_LIST : BAD_SET_ELEMENT_ORDER);
    }
    return parts[1];
  }

  private static List<String> fieldNames(ObjectNode o) {
    List<String> names = new ArrayList<>(o.size());
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>(array.size());
    array.forEach(out::add);
    return out;
  }

  private static ArrayNode array(List<JsonNode> items) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    items.forEach(a::add);
    return a;
  }

  private static PatchException bad(String message) {
    return new PatchException(400, message);
  }

  private static PatchException badPatchType(JsonNode type, JsonNode map) {
    return bad(
        "unknown patch type: " + (type.isTextual() ? type.asText() : type) + " in map: " + map);
  }

  private static PatchException noMergeKey(JsonNode map, String key) {
    return bad("map: " + map + " does not contain declared merge key: " + key);
  }

  private static PatchException badArgType(String expected, JsonNode actual) {
    return bad("expected a " + expected + ", but received a " + goType(actual));
  }

  private static String goType(JsonNode n) {
    return switch (kind(n)) {
      case MAP -> "map[string]interface {}";
      case LIST -> "[]interface {}";
      case STRING -> "string";
      case NUMBER -> "float64";
      case BOOL -> "bool";
      case NULL -> "nil";
    };
  }

  private static String goList(List<?> l) {
    return l.toString();
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
