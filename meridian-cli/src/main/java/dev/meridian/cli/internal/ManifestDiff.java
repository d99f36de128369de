package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether {@code apply} has anything to change: the user's manifest against the live
 * object, field by field, over the fields the manifest sets. What the hub sets itself (status,
 * resourceVersion, uid, timestamps, generation) is ignored, and so is what others added that the
 * manifest does not mention, such as a controller's finalizer or a defaulted field.
 *
 * <p>The price of comparing only what the manifest sets: deleting a field from a manifest, and
 * changing nothing else, leaves the live object as it is ({@code unchanged}). kubectl avoids that
 * with a last-applied annotation; Meridian keeps templates exactly as written instead.
 */
public final class ManifestDiff {
  /** Metadata the hub owns; a manifest exported with {@code get -o yaml} may still carry it. */
  static final Set<String> SERVER_METADATA = Set.copyOf(dev.meridian.api.Meta.SERVER_FIELDS);

  private ManifestDiff() {}

  /** The path of the first field the manifest sets differently from the live object, if any. */
  public static Optional<String> firstDifference(JsonNode manifest, JsonNode live) {
    Iterator<Map.Entry<String, JsonNode>> it = manifest.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.equals("status")) {
        continue;
      }
      Optional<String> d =
          key.equals("metadata") && e.getValue().isObject()
              ? metadataDifference(e.getValue(), live.path("metadata"))
              : difference(key, e.getValue(), live.path(key));
      if (d.isPresent()) {
        return d;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> metadataDifference(JsonNode manifest, JsonNode live) {
    Iterator<Map.Entry<String, JsonNode>> it = manifest.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (SERVER_METADATA.contains(e.getKey())) {
        continue;
      }
      Optional<String> d =
          difference("metadata." + e.getKey(), e.getValue(), live.path(e.getKey()));
      if (d.isPresent()) {
        return d;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> difference(String path, JsonNode want, JsonNode have) {
    if (isUnset(want)) {
      // "x: null", "x: {}" and "x: []" ask for nothing, which an absent field satisfies
      return isUnset(have) ? Optional.empty() : Optional.of(path);
    }
    if (want.isObject()) {
      if (!have.isObject()) {
        return Optional.of(path);
      }
      Iterator<Map.Entry<String, JsonNode>> it = want.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        Optional<String> d =
            difference(path + "." + e.getKey(), e.getValue(), have.path(e.getKey()));
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        return Optional.of(path);
      }
      for (int i = 0; i < want.size(); i++) {
        Optional<String> d = difference(path + "[" + i + "]", want.get(i), have.get(i));
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    if (want.isNumber() && have.isNumber()) {
      // 3, 3.0 and 3e0 are the same number whichever parser read them
      return want.decimalValue().compareTo(have.decimalValue()) == 0
          ? Optional.empty()
          : Optional.of(path);
    }
    return want.equals(have) ? Optional.empty() : Optional.of(path);
  }

  private static boolean isUnset(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() || (n.isContainerNode() && n.isEmpty());
  }
}
