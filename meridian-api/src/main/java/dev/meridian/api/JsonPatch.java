package dev.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON Patch, one operation at a time ({@code add, remove, replace, move, copy, test}),
 * applied in place. Used by the hub's PATCH (which answers HTTP errors) and by override policies'
 * {@code plaintext} rules (which record errors): a problem is a {@link JsonPatchException}. Callers
 * that must not leave half a change apply it to a copy.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /**
   * Applies {@code op} to {@code doc}, changing it in place.
   *
   * @return the document's root afterwards (a different node only when {@code path} is empty)
   */
  public static JsonNode applyOperation(JsonNode doc, JsonNode op) {
    if (!op.isObject()) {
      throw new JsonPatchException("an operation must be an object");
    }
    String name = op.path("op").asText("");
    JsonNode pathNode = op.get("path");
    if (pathNode == null || !pathNode.isTextual()) {
      throw new JsonPatchException(name + ": missing path");
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
          throw new JsonPatchException("move: cannot move " + from + " into itself");
        }
        JsonNode v = at(doc, from);
        remove(doc, from);
        yield add(doc, path, v);
      }
      case "copy" -> add(doc, path, at(doc, from(op, name)).deepCopy());
      case "test" -> {
        if (!sameValue(at(doc, path), value(op, name))) {
          throw new JsonPatchException("test failed: " + path + " is not " + op.get("value"));
        }
        yield doc;
      }
      default -> throw new JsonPatchException("unknown op \"" + name + "\"");
    };
  }

  private static JsonNode value(JsonNode op, String name) {
    if (!op.has("value")) {
      throw new JsonPatchException(name + ": missing value");
    }
    return op.get("value").deepCopy();
  }

  private static String from(JsonNode op, String name) {
    JsonNode from = op.get("from");
    if (from == null || !from.isTextual()) {
      throw new JsonPatchException(name + ": missing from");
    }
    return from.asText();
  }

  /** The value at {@code path}; an error when there is none. */
  public static JsonNode at(JsonNode doc, String path) {
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
        throw new JsonPatchException("no value at " + path);
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
      throw new JsonPatchException(
          "cannot add at " + path + ": the parent is not an object or list");
    }
    return doc;
  }

  private static void remove(JsonNode doc, String path) {
    List<String> t = tokens(path);
    if (t.isEmpty()) {
      throw new JsonPatchException("cannot remove the whole object");
    }
    JsonNode parent = at(doc, parentPath(path));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size(), path));
    } else {
      throw new JsonPatchException("no value at " + path);
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
      throw new JsonPatchException("\"" + path + "\" is not a JSON pointer (it must start with /)");
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
      throw new JsonPatchException("no list index " + token + " at " + path);
    }
    return i;
  }

  /** Equal as JSON values: numbers by value (2 == 2.0), objects regardless of field order. */
  public static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isContainerNode()
        && b.isContainerNode()
        && a.getNodeType() == b.getNodeType()
        && a.size() == b.size()) {
      if (a.isArray()) {
        for (int i = 0; i < a.size(); i++) {
          if (!sameValue(a.get(i), b.get(i))) {
            return false;
          }
        }
        return true;
      }
      var it = a.fields();
      while (it.hasNext()) {
        var e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null || !sameValue(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** An operation that cannot be applied to the document, and why. */
  public static final class JsonPatchException extends RuntimeException {
    public JsonPatchException(String message) {
      super(message);
    }
  }
}
