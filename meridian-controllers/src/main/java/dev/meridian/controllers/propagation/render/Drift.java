package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds where a member's live object no longer holds what Meridian applied, for the {@code
 * DriftCorrected} event the work controller records before re-applying.
 *
 * <p>Only fields present in the desired manifest count: with server-side apply those are the fields
 * Meridian manages, while defaults, status and fields other managers set are theirs. In {@code
 * metadata}, only the labels and annotations the manifest sets are compared.
 *
 * <p>List items are matched by {@code name} when every desired item has a distinct one (containers,
 * env, volumes), so a path reads {@code spec.template.spec.containers[web].image} and other items
 * in the live list are ignored; other lists are compared position by position and must have the
 * same length, as server-side apply replaces them whole. Numbers compare by value ({@code 2} equals
 * {@code 2.0}); resource amounts compare as quantities ({@code 0.5} equals the {@code 500m} the API
 * server writes back); other strings compare as written. An empty object or list in the manifest
 * matches an absent field, since the API server drops those.
 */
public final class Drift {
  private static final Set<String> IGNORED_TOP_LEVEL = Set.of("apiVersion", "kind", "status");

  private Drift() {}

  /** The paths where {@code live} differs from {@code desired}, in the manifest's field order. */
  public static List<String> find(JsonNode desired, JsonNode live) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      String key = e.getKey();
      if (IGNORED_TOP_LEVEL.contains(key)) {
        continue;
      }
      if (key.equals("metadata")) {
        for (String map : List.of("labels", "annotations")) {
          compare("metadata." + map, e.getValue().path(map), live.path("metadata").path(map), out);
        }
      } else {
        compare(key, e.getValue(), live.path(key), out);
      }
    }
    return out;
  }

  private static void compare(String path, JsonNode want, JsonNode have, List<String> out) {
    if (want.isNull() || want.isMissingNode()) {
      return;
    }
    if (have.isMissingNode() || have.isNull()) {
      if (!(want.isContainerNode() && want.isEmpty())) {
        out.add(path);
      }
      return;
    }
    if (want.isObject() && have.isObject()) {
      for (Map.Entry<String, JsonNode> e : want.properties()) {
        compare(child(path, e.getKey()), e.getValue(), have.path(e.getKey()), out);
      }
    } else if (want.isArray() && have.isArray()) {
      compareLists(path, want, have, out);
    } else if (!JsonValues.sameValue(want, have) && !sameQuantity(path, want, have)) {
      out.add(path);
    }
  }

  private static void compareLists(String path, JsonNode want, JsonNode have, List<String> out) {
    Map<String, JsonNode> wantByName = byName(want);
    if (wantByName != null) {
      Map<String, JsonNode> haveByName = new HashMap<>();
      for (JsonNode item : have) {
        haveByName.putIfAbsent(item.path("name").asText(""), item);
      }
      for (Map.Entry<String, JsonNode> e : wantByName.entrySet()) {
        JsonNode other = haveByName.get(e.getKey());
        compare(
            path + "[" + e.getKey() + "]",
            e.getValue(),
            other == null ? MissingNode.getInstance() : other,
            out);
      }
      return;
    }
    if (want.size() != have.size()) {
      out.add(path);
      return;
    }
    for (int i = 0; i < want.size(); i++) {
      compare(path + "[" + i + "]", want.get(i), have.get(i), out);
    }
  }

  /** Items by name, in order, when every item is an object with a distinct non-empty name. */
  private static Map<String, JsonNode> byName(JsonNode list) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode item : list) {
      String name = item.path("name").asText("");
      if (!item.isObject() || name.isEmpty() || out.putIfAbsent(name, item) != null) {
        return null;
      }
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * Whether a resource amount (a container's {@code limits} and {@code requests}, a quota's {@code
   * hard}, an {@code emptyDir}'s {@code sizeLimit}, …) is the same quantity in another spelling:
   * the API server writes {@code cpu: 0.5} back as {@code 500m}.
   */
  private static boolean sameQuantity(String path, JsonNode want, JsonNode have) {
    return QUANTITY_PATH.matcher(path).find()
        && want.isValueNode()
        && have.isValueNode()
        && dev.meridian.api.Quantities.same(want.asText(), have.asText());
  }

  private static final Pattern QUANTITY_PATH =
      Pattern.compile(
          "(^|\\.)(limits|requests|hard|overhead|capacity)(\\.[A-Za-z0-9_-]+|\\[[^\\]]+\\])$"
              + "|(^|\\.)(sizeLimit|storage)$");

  private static String child(String path, String key) {
    return plainKey(key) ? path + "." + key : path + "[" + key + "]";
  }

  /** [A-Za-z0-9_-]+, without a regular expression (this runs for every field compared). */
  private static boolean plainKey(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
