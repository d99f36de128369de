package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One RFC 6902 operation ({@code add, remove, replace, move, copy, test}) applied in place, for
 * {@code plaintext} overriders.
 *
 * <p>The hub's API has its own JSON Patch, which answers HTTP errors; this one reports a problem as
 * an {@link OverrideException} so that a bad operation in a policy becomes a recorded error rather
 * than a failed render. Callers apply it to a copy and keep the copy only on success, so a failed
 * operation leaves nothing half done.
 */
final class JsonPatchOperation {
  private JsonPatchOperation() {}

  /**
   * Applies {@code op} to {@code doc}, changing it in place.
   *
   * @return the document's root afterwards (a different node only when {@code path} is empty)
   */
  static JsonNode apply(JsonNode doc, JsonNode op) {
    if (!op.isObject()) {
      throw new OverrideException("an operation must be an object");
    }
    String name = op.path("op").asText("");
    JsonNode pathNode = op.get("path");
    if (pathNode == null || !pathNode.isTextual()) {
      throw new OverrideException(name + ": missing path");
    }
    String path = pathNode.asText();
    return switch (name) {
      case "add" -> add(doc, path, value(op, name));
      case "remove" -> {
        remove(doc, path);
        yield doc;
      }
      case "replace" -> {
        at(doc, path);
        JsonNode v = value(op, name);
        if (path.isEmpty()) {
          yield v;
        }
        remove(doc, path);
        yield add(doc, path, v);
      }
      case "move" -> {
        String from = from(op, name);
        if (path.startsWith(from + "/")) {
          throw new OverrideException("move: cannot move " + from + " into itself");
        }
        JsonNode v = at(doc, from);
        remove(doc, from);
        yield add(doc, path, v);
      }
      case "copy" -> add(doc, path, at(doc, from(op, name)).deepCopy());
      case "test" -> {
        if (!JsonValues.sameValue(at(doc, path), value(op, name))) {
          throw new OverrideException("test failed: " + path + " is not " + op.get("value"));
        }
        yield doc;
      }
      default -> throw new OverrideException("unknown op \"" + name + "\"");
    };
  }

  private static JsonNode value(JsonNode op, String name) {
    if (!op.has("value")) {
      throw new OverrideException(name + ": missing value");
    }
    return op.get("value").deepCopy();
  }

  private static String from(JsonNode op, String name) {
    JsonNode from = op.get("from");
    if (from == null || !from.isTextual()) {
      throw new OverrideException(name + ": missing from");
    }
    return from.asText();
  }

  /** The value at {@code path}; an error when there is none. */
  static JsonNode at(JsonNode doc, String path) {
    JsonNode n = doc;
    for (String t : tokens(path)) {
      if (n.isArray()) {
        n = n.get(index(t, n.size(), path));
      } else if (n.isObject()) {
        n = n.get(t);
      } else {
        n = null;
      }
      if (n == null) {
        throw new OverrideException("no value at " + path);
      }
    }
    return n;
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    List<String> t = tokens(path);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = at(doc, parentPath(path));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        a.insert(index(last, a.size() + 1, path), value);
      }
    } else {
      throw new OverrideException(
          "cannot add at " + path + ": the parent is not an object or list");
    }
    return doc;
  }

  private static void remove(JsonNode doc, String path) {
    List<String> t = tokens(path);
    if (t.isEmpty()) {
      throw new OverrideException("cannot remove the whole object");
    }
    JsonNode parent = at(doc, parentPath(path));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size(), path));
    } else {
      throw new OverrideException("no value at " + path);
    }
  }

  private static String parentPath(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }

  private static List<String> tokens(String path) {
    List<String> out = new ArrayList<>();
    if (path.isEmpty()) {
      return out;
    }
    if (!path.startsWith("/")) {
      throw new OverrideException("\"" + path + "\" is not a JSON pointer (it must start with /)");
    }
    for (String t : path.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  /** An array index: digits without leading zeros, below {@code limit}. */
  private static int index(String token, int limit, String path) {
    boolean canonical = token.matches("0|[1-9][0-9]{0,8}");
    int i = canonical ? Integer.parseInt(token) : -1;
    if (i < 0 || i >= limit) {
      throw new OverrideException("no list index " + token + " at " + path);
    }
    return i;
  }
}
